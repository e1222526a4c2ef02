// The import fences of biome.json, tried the way they fail: a scratch copy of the tree gets planted
// files that import across each fence in every way a path can be written, the real biome binary
// lints them in one run, and every planted line must come back as noRestrictedImports. Legal imports
// are planted beside them and must come back clean, so that a linter refusing everything fails too.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCheckout, checkoutRoot as root } from './copy-checkout.ts';

const biome = path.join(root, 'node_modules', '.bin', 'biome');

/** The picture: what each source folder may import besides itself. */
const mayImport: Record<string, readonly string[]> = {
  openapi: [],
  core: ['openapi'],
  harness: ['core', 'openapi'],
  mock: ['core', 'openapi'],
  loadtest: ['core', 'openapi'],
  server: ['openapi'],
  cli: ['openapi', 'core', 'harness', 'mock', 'loadtest', 'server'],
};
const sources = Object.keys(mayImport);
/** Ours, but not in the package: no source folder imports them. */
const unshipped = ['test', 'bench', 'scripts'];
/** The server's packages, kept out of what merchants install. */
const serverOnly = ['koa', 'better-sqlite3', 'pino'];
const serverPackages: Record<string, readonly string[]> = { harness: serverOnly, core: serverOnly };

interface Planted {
  /** What the planted lines try, e.g. `harness -> server`. */
  fence: string;
  /** Path in the scratch copy, relative to its root. */
  file: string;
  lines: string[];
}

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string; start: { line: number } };
}

/** Every way `file` (two folders deep in `source`) can import `target`: relative, absolute, URL. */
function waysToImport(scratch: string, source: string, target: string): string[] {
  const absolute = path.join(scratch, target, 'planted.ts');
  return [
    `import '../../${target}/planted.ts';`,
    `import './../../${target}/index.ts';`,
    `import '.././../${target}/planted.ts';`,
    `import '../../${source}/../${target}/planted.ts';`,
    `import '../../${target}';`,
    `import '../../${target}/';`,
    `import type { Planted } from '../../${target}/types.ts';`,
    `export * from '../../${target}/planted.ts';`,
    `await import('../../${target}/planted.ts');`,
    `import '${absolute}';`,
    `import '${pathToFileURL(absolute).href}';`,
  ];
}

const selfImports = [
  `import 'gameball-coupon-kit';`,
  `import 'gameball-coupon-kit/server';`,
  `import type { Report } from 'gameball-coupon-kit';`,
  `export * from 'gameball-coupon-kit/package.json';`,
  `await import('gameball-coupon-kit/mock');`,
];

/** The imports that cross a fence, one planted set per forbidden source -> target. */
function forbidden(scratch: string): Planted[] {
  const planted: Planted[] = [];
  for (const source of sources) {
    const denied = [...sources, ...unshipped].filter((t) => t !== source && !mayImport[source]!.includes(t));
    for (const target of denied) {
      const fence = `${source} -> ${target}`;
      planted.push({
        fence,
        file: `${source}/planted-fences/to-${target}.ts`,
        lines: waysToImport(scratch, source, target),
      });
      planted.push({
        fence,
        file: `${source}/planted-fence-to-${target}.ts`,
        lines: [`import '../${target}/planted.ts';`],
      });
    }
    planted.push({
      fence: `${source} -> gameball-coupon-kit`,
      file: `${source}/planted-fences/self.ts`,
      lines: selfImports,
    });
    for (const name of serverPackages[source] ?? []) {
      planted.push({
        fence: `${source} -> ${name}`,
        file: `${source}/planted-fences/to-${name}.ts`,
        lines: [`import '${name}';`],
      });
    }
  }
  return planted;
}

/** Imports the picture allows: its own folder, the folders below it, and Node's modules. */
function allowed(): Planted[] {
  const own = (source: string) => [`import './sibling.ts';`, `import '../own.ts';`, `import '../../${source}/own.ts';`];
  const legal = sources.map((source) => ({
    fence: `${source} -> its own folder and ${mayImport[source]!.join(', ') || 'nothing else'}`,
    file: `${source}/planted-fences/legal.ts`,
    lines: [
      ...own(source),
      ...mayImport[source]!.flatMap((t) => [
        `import '../../${t}/planted.ts';`,
        `import type { P } from './../../${t}/p.ts';`,
      ]),
      `import 'node:path';`,
    ],
  }));
  // Tests and benches stand outside the picture: they reach every part, by path or by the package's name.
  const anything = [...sources.map((t) => `import '../../${t}/planted.ts';`), ...selfImports];
  const outside = ['test', 'bench'].map((folder) => ({
    fence: `${folder} -> anything`,
    file: `${folder}/planted-fences/anything.ts`,
    lines: anything,
  }));
  return [...legal, ...outside];
}

/** Two files of core/ that import each other's types: a cycle even though the compiler erases it. */
const cycle: Planted[] = [
  {
    fence: 'cycle',
    file: 'core/planted-fences/cycle-a.ts',
    lines: [`import type { B } from './cycle-b.ts'; export type A = B[];`],
  },
  {
    fence: 'cycle',
    file: 'core/planted-fences/cycle-b.ts',
    lines: [`import type { A } from './cycle-a.ts'; export type B = A | 1;`],
  },
];

/** Lints the planted files with the real biome and returns its diagnostics by file. */
function lint(scratch: string, files: readonly string[]): Map<string, Diagnostic[]> {
  const result = spawnSync(biome, ['lint', '--reporter=json', '--max-diagnostics=none', '--colors=off', ...files], {
    cwd: scratch,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 1) throw new Error(`biome lint exited ${result.status}, expected 1:\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as { diagnostics: Diagnostic[]; summary: { diagnosticsNotPrinted: number } };
  expect(report.summary.diagnosticsNotPrinted).toBe(0);
  const byFile = new Map<string, Diagnostic[]>();
  for (const diagnostic of report.diagnostics) {
    const file = path.normalize(diagnostic.location.path).split(path.sep).join('/');
    byFile.set(file, [...(byFile.get(file) ?? []), diagnostic]);
  }
  return byFile;
}

/** The planted lines that no diagnostic of `rule` points at, as `file:line: text`. */
function unflagged(plants: readonly Planted[], diagnostics: Map<string, Diagnostic[]>, rule: string): string[] {
  return plants.flatMap(({ file, lines }) => {
    const flagged = new Set(
      (diagnostics.get(file) ?? []).filter((d) => d.category === rule).map((d) => d.location.start.line),
    );
    return lines.flatMap((text, i) => (flagged.has(i + 1) ? [] : [`${file}:${i + 1}: ${text}`]));
  });
}

const restricted = 'lint/style/noRestrictedImports';
let scratch: string;
let fences: Planted[];
let legal: Planted[];
let diagnostics: Map<string, Diagnostic[]>;

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'gb-fences-'));
  copyCheckout(scratch);
  fences = forbidden(scratch);
  legal = allowed();
  for (const { file, lines } of [...fences, ...legal, ...cycle]) {
    mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    writeFileSync(path.join(scratch, file), `${lines.join('\n')}\n`);
  }
  diagnostics = lint(
    scratch,
    [...fences, ...legal, ...cycle].map((plant) => plant.file),
  );
}, 60_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('each fence stops every way of writing the forbidden import', () => {
  // Only the names here: the scratch path the absolute imports need is not known while tests are collected.
  const names = [...new Set(forbidden('/scratch').map((plant) => plant.fence))];
  it.each(names)('%s', (fence) => {
    const plants = fences.filter((plant) => plant.fence === fence);
    expect(unflagged(plants, diagnostics, restricted)).toEqual([]);
    const [source] = fence.split(' -> ');
    const messages = plants
      .flatMap((plant) => diagnostics.get(plant.file) ?? [])
      .filter((d) => d.category === restricted)
      .map((d) => d.message);
    // The message names the folder's rule (or the self-import's), so the author knows what to move.
    for (const message of messages) expect(message).toMatch(new RegExp(`${source}/|package's name|merchants install`));
  });
});

describe('the imports the picture allows pass', () => {
  it.each(allowed().map((plant) => plant.fence))('%s', (fence) => {
    const { file } = legal.find((plant) => plant.fence === fence)!;
    const refused = (diagnostics.get(file) ?? []).filter((d) => d.category === restricted);
    expect(refused.map((d) => `${file}:${d.location.start.line}: ${d.message}`)).toEqual([]);
  });
});

it('two files importing each other fail noImportCycles, type-only imports included', () => {
  expect(unflagged(cycle, diagnostics, 'lint/suspicious/noImportCycles')).toEqual([]);
});
