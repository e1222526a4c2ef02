// No two folders import each other, at any depth. Inside a folder, each subfolder counts as one unit
// beside the files next to it (harness/ holds the units harness/checks, harness/run, harness/report
// and harness/index.ts), and the imports between those units must not go round. Biome's
// noImportCycles sees cycles between files; a cycle between folders can pass through different
// files each way (checks/latency.ts -> run/latency.ts while run/verify.ts -> checks/registry.ts).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sourceFolders = ['openapi', 'core', 'harness', 'mock', 'loadtest', 'server', 'cli'];

/** An import between two files, both as paths from the repository root with `/` separators. */
type Import = readonly [from: string, to: string];

/** `import ... from './x'`, `export ... from '../x'`, `import('./x')` and `import './x'`: relative ones only. */
const relativeSpecifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"\n]*)\1/g;

function relativeImports(): Import[] {
  const files = sourceFolders.flatMap((folder) =>
    readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(?:ts|mts|js|mjs)$/.test(name))
      .map((name) => path.posix.join(folder, name.split(path.sep).join('/'))),
  );
  return files.flatMap((file) =>
    [...readFileSync(path.join(root, file), 'utf8').matchAll(relativeSpecifier)].map(
      ([, , specifier]) => [file, path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier!))] as const,
    ),
  );
}

/** The folder both files sit in, and the unit of it each belongs to (a subfolder or the file itself). */
function units([from, to]: Import): { folder: string; from: string; to: string } {
  const a = from.split('/');
  const b = to.split('/');
  let shared = 0;
  while (shared < Math.min(a.length, b.length) - 1 && a[shared] === b[shared]) shared++;
  return {
    folder: a.slice(0, shared).join('/'),
    from: a.slice(0, shared + 1).join('/'),
    to: b.slice(0, shared + 1).join('/'),
  };
}

/** Groups of units that reach each other (Tarjan's strongly connected components), two or more each. */
function stronglyConnected(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (unit: string): void => {
    index.set(unit, index.size);
    low.set(unit, index.get(unit)!);
    stack.push(unit);
    for (const next of edges.get(unit) ?? []) {
      if (!index.has(next)) visit(next);
      if (stack.includes(next)) low.set(unit, Math.min(low.get(unit)!, low.get(next)!));
    }
    if (low.get(unit) !== index.get(unit)) return;
    const group = stack.splice(stack.indexOf(unit));
    if (group.length > 1) groups.push(group.sort());
  };
  for (const unit of [...edges.keys()].sort()) if (!index.has(unit)) visit(unit);
  return groups;
}

/** One way round a group, from its first unit back to it: `a -> b -> a`. */
function wayRound(group: readonly string[], edges: Map<string, Set<string>>): string[] {
  const start = group[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const unit = queue.shift()!;
    for (const next of edges.get(unit) ?? []) {
      if (next === start) return [...trail(unit, cameFrom, start), start];
      if (group.includes(next) && !cameFrom.has(next)) {
        cameFrom.set(next, unit);
        queue.push(next);
      }
    }
  }
  return [start];
}

function trail(unit: string, cameFrom: Map<string, string>, start: string): string[] {
  const units = [unit];
  while (units[0] !== start) units.unshift(cameFrom.get(units[0]!)!);
  return units;
}

/** Each cycle that has a folder in it, named with one import that makes each step of it. */
function folderCycles(imports: readonly Import[]): string[] {
  const edgesByFolder = new Map<string, Map<string, Set<string>>>();
  const example = new Map<string, string>();
  for (const link of imports) {
    const { folder, from, to } = units(link);
    if (from === to) continue;
    const edges = edgesByFolder.get(folder) ?? new Map<string, Set<string>>();
    edgesByFolder.set(folder, edges.set(from, (edges.get(from) ?? new Set()).add(to)));
    if (!example.has(`${from} -> ${to}`)) example.set(`${from} -> ${to}`, `${link[0]} imports ${link[1]}`);
  }
  const files = new Set(imports.flat());
  const cycles = [...edgesByFolder.values()].flatMap((edges) =>
    stronglyConnected(edges)
      .filter((group) => group.some((unit) => !files.has(unit)))
      .map((group) => {
        const cycle = wayRound(group, edges);
        const steps = cycle.slice(1).map((to, i) => example.get(`${cycle[i]} -> ${to}`));
        return `${cycle.join(' -> ')} (${steps.join('; ')})`;
      }),
  );
  return cycles.sort();
}

describe('folders', () => {
  const imports = relativeImports();

  it('reads the relative imports of every source folder, each naming a file that exists', () => {
    expect(new Set(imports.map(([from]) => from.split('/')[0]))).toEqual(new Set(sourceFolders));
    expect(imports.filter(([, to]) => !existsSync(path.join(root, to)))).toEqual([]);
  });

  it('no two folders import each other, at any depth', () => {
    expect(folderCycles(imports)).toEqual([]);
  });
});

describe('the folder-cycle check', () => {
  it('finds two sibling folders that import each other, naming an import each way', () => {
    const cycles = folderCycles([
      ['h/checks/latency.ts', 'h/run/latency.ts'],
      ['h/run/verify.ts', 'h/checks/registry.ts'],
      ['h/run/verify.ts', 'h/report/types.ts'],
    ]);
    expect(cycles).toEqual([
      'h/checks -> h/run -> h/checks (h/checks/latency.ts imports h/run/latency.ts; h/run/verify.ts imports h/checks/registry.ts)',
    ]);
  });

  it('finds a file and the subfolder beside it that import each other, and a cycle through three folders', () => {
    const cycles = folderCycles([
      ['m/context.ts', 'm/merchant/deliver.ts'],
      ['m/merchant/deliver.ts', 'm/context.ts'],
      ['a/x.ts', 'b/y.ts'],
      ['b/y.ts', 'c/z.ts'],
      ['c/w.ts', 'a/v.ts'],
    ]);
    expect(cycles).toEqual([
      'a -> b -> c -> a (a/x.ts imports b/y.ts; b/y.ts imports c/z.ts; c/w.ts imports a/v.ts)',
      'm/context.ts -> m/merchant -> m/context.ts (m/context.ts imports m/merchant/deliver.ts; m/merchant/deliver.ts imports m/context.ts)',
    ]);
  });

  it('lets a folder entry use its subfolders while they use another file beside it', () => {
    expect(
      folderCycles([
        ['m/start.ts', 'm/routes/route.ts'],
        ['m/routes/route.ts', 'm/context.ts'],
      ]),
    ).toEqual([]);
  });
});
