// What importing each entry loads, in a fresh Node process: the harness entry (what merchants
// install for their tests) loads none of the server's framework, logger or SQLite driver; the
// server entry loads Koa and pino but not better-sqlite3, which only starting a SQLite store loads.
// Koa, pino, better-sqlite3 and ajv are CommonJS, so Node's require cache lists them even when
// they are reached through ESM imports.
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceCli } from '../support/processes.ts';

const tsxLoader = sourceCli.slice(0, 2);

/** The packages (by folder name under node_modules) loaded after importing `entry`, optionally after `then` ran. */
function packagesLoadedBy(entry: string, then = ''): string[] {
  const url = pathToFileURL(fileURLToPath(new URL(`../../${entry}`, import.meta.url))).href;
  const script = `
    const { createRequire } = await import('node:module');
    const entry = await import(${JSON.stringify(url)});
    ${then}
    const names = Object.keys(createRequire(process.cwd() + '/').cache)
      .map((file) => /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file)?.[1])
      .filter(Boolean);
    process.stdout.write(JSON.stringify([...new Set(names)].sort()));`;
  const result = spawnSync(process.execPath, [...tsxLoader, '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as string[];
}

describe('entry points by weight', () => {
  it('the harness entry loads ajv but not Koa, pino or better-sqlite3', () => {
    const loaded = packagesLoadedBy('harness/index.ts');
    expect(loaded).toContain('ajv');
    expect(loaded).not.toContain('koa');
    expect(loaded).not.toContain('pino');
    expect(loaded).not.toContain('better-sqlite3');
  });

  it('the server entry loads Koa and pino; better-sqlite3 only once a SQLite store starts', () => {
    const imported = packagesLoadedBy('server/index.ts');
    expect(imported).toEqual(expect.arrayContaining(['koa', 'pino']));
    expect(imported).not.toContain('better-sqlite3');
    const started = packagesLoadedBy(
      'server/index.ts',
      `const server = await entry.startServer({ port: 0, ephemeral: true, token: 't', logger: false });
       await server.close();`,
    );
    expect(started).toContain('better-sqlite3');
  });
});
