// What importing each entry loads, in a fresh Node process: the harness entry (what merchants
// install for their tests) loads none of the server's framework, logger or SQLite driver, and no
// Prism, and no database driver (neither better-sqlite3 nor pg); the server entry loads Koa and pino but not better-sqlite3, which only starting a SQLite
// store loads; the stand-in entry (/mock) loads Prism only once it starts (or, with preloadPrism
// false, once a request needs it), and SQLite only for a state file; the load entry (/load) loads
// its HTTP parser and histogram, none of Prism, Koa, pino or SQLite. Koa, pino, better-sqlite3,
// ajv and Prism are CommonJS, so Node's require cache lists them even when they are reached
// through ESM imports.
// The server entry loads neither driver until a store starts: SQLite loads the first, PostgreSQL the second.

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

/** Prism's packages, the server's framework, logger and SQLite driver: what a light entry must not load. */
const heavy = (loaded: string[]): string[] =>
  loaded.filter((name) => name.startsWith('@stoplight/') || ['koa', 'pino', 'better-sqlite3', 'pg'].includes(name));

describe('entry points by weight', () => {
  it('the harness entry loads ajv but not Prism, Koa, pino or better-sqlite3', () => {
    const loaded = packagesLoadedBy('harness/index.ts');
    expect(loaded).toContain('ajv');
    expect(heavy(loaded)).toEqual([]);
  });

  it('the load entry loads its HTTP parser and histogram, not Prism, Koa, pino or better-sqlite3', () => {
    const loaded = packagesLoadedBy('loadtest/index.ts');
    expect(loaded).toEqual(expect.arrayContaining(['ajv', 'http-parser-js', 'hdr-histogram-js']));
    expect(heavy(loaded)).toEqual([]);
  });

  it('the stand-in entry loads Prism once started, never Koa, pino or better-sqlite3 with its state in memory', () => {
    expect(heavy(packagesLoadedBy('mock/index.ts'))).toEqual([]);
    const ownOperationsOnly = packagesLoadedBy(
      'mock/index.ts',
      `const mock = await entry.startMock({ logLevel: 'silent', preloadPrism: false });
       await fetch(mock.url + '/api/v4.0/integrations/configurations/redemption', { headers: { APIKey: 'k' } });
       await mock.stop();`,
    );
    expect(heavy(ownOperationsOnly)).toEqual([]);
    const started = packagesLoadedBy(
      'mock/index.ts',
      // An operation answered from the document's examples: Prism is loaded by the time it answers
      // (the background preload alone may still be running when the process lists its modules).
      `const mock = await entry.startMock({ logLevel: 'silent' });
       const answer = await fetch(mock.url + '/api/v4.0/integrations/configurations/tiers', { headers: { APIKey: 'k', SecretKey: 's', Prefer: 'example=default' } });
       if (answer.status !== 200) throw new Error('tiers answered ' + answer.status);
       await mock.stop();`,
    );
    expect(heavy(started)).toEqual(expect.arrayContaining(['@stoplight/prism-core', '@stoplight/prism-http']));
    expect(heavy(started).filter((name) => !name.startsWith('@stoplight/'))).toEqual([]);
  });

  it('the server entry loads Koa and pino; better-sqlite3 only once a SQLite store starts', () => {
    const imported = packagesLoadedBy('server/index.ts');
    expect(imported).toEqual(expect.arrayContaining(['koa', 'pino']));
    expect(imported).not.toContain('better-sqlite3');
    expect(imported).not.toContain('pg');
    const started = packagesLoadedBy(
      'server/index.ts',
      `const server = await entry.startServer({ port: 0, ephemeral: true, token: 't', logger: false });
       await server.close();`,
    );
    expect(started).toContain('better-sqlite3');
    expect(started).not.toContain('pg');
  });

  it('the server entry loads pg only once a PostgreSQL store starts, and then not better-sqlite3', () => {
    // Nothing listens on port 1: the store loads its driver, then fails to connect.
    const started = packagesLoadedBy(
      'server/index.ts',
      `await entry.startServer({ port: 0, db: 'postgres://u:p@127.0.0.1:1/d', token: 't', logger: false })
         .then(() => { throw new Error('started'); }, (error) => {
           if (error.name !== 'ServerOptionError') throw error;
         });`,
    );
    expect(started).toContain('pg');
    expect(started).not.toContain('better-sqlite3');
  });
});
