// `gb-coupon serve` refuses unusable options with one paragraph and exit code 2.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseSize } from '../../cli/serve.ts';
import { SqliteStore } from '../../server/index.ts';
import { sourceCli } from '../support/processes.ts';
import { setReadOnly } from './helpers.ts';

function serve(args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [...sourceCli, 'serve', '--token', 't0ken', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('gb-coupon serve usage errors', () => {
  it.each([
    [['--port', 'eighty'], /--port takes a whole number from 0 to 65535; got "eighty"/],
    [['--port', '70000'], /--port takes a whole number from 0 to 65535; got "70000"/],
    [['--body-limit', 'lots'], /--body-limit must be a size/],
    [['--synchronous', 'sometimes'], /synchronous/],
    [['--token', 'has space'], /bearer token/],
    [['--pool-size', '0'], /--pool-size takes a whole number from 1 to 1000; got "0"/],
  ])('%j exits 2 with a message', (args, message) => {
    const result = serve(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 and names the port when it is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const result = serve(['--port', String(port), '--ephemeral']);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is in use`);
    } finally {
      blocker.close();
    }
  });

  it('exits 2 and names the file when the database path cannot be made (a file where a folder should be)', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'gb-serve-')), 'plain-file');
    writeFileSync(file, 'not a folder');
    const result = serve(['--port', '0', '--db', path.join(file, 'coupons.db')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gb-coupon: Cannot use the database .*plain-file\/coupons\.db: E[A-Z]+: /);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    rmSync(path.dirname(file), { recursive: true, force: true });
  });
});

describe('nothing silently ephemeral', () => {
  it.each([[''], [':memory:'], ['file::memory:']])('refuses --db %j with exit 2 unless --ephemeral', (db) => {
    const result = serve(['--port', '0', '--db', db]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/The database must be a file: .* gone when the server stops.*--ephemeral/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses --ephemeral together with a database file', () => {
    const result = serve(['--port', '0', '--ephemeral', '--db', 'somewhere/coupons.db']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/ephemeral keeps coupons in memory, but a database file .* was also given/);
  });

  it('runs with --ephemeral and says at start-up that coupons will be lost', async () => {
    const child = spawn(process.execPath, [...sourceCli, 'serve', '--token', 't0ken', '--port', '0', '--ephemeral'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines: string[] = [];
      await new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
        createInterface({ input: child.stdout! }).on('line', (line) => {
          lines.push(line);
          if (line.includes('ephemeral store')) resolve();
        });
      });
      expect(lines.find((line) => line.includes('ephemeral store'))).toMatch(/lost when the server stops/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('a store it cannot write', () => {
  it('exits 2 with one line when the database file is read-only', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gb-serve-ro-'));
    const file = path.join(dir, 'coupons.db');
    await (await SqliteStore.open({ file })).close();
    setReadOnly([file], true);
    try {
      const result = serve(['--port', '0', '--db', file]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^gb-coupon: Cannot write to the database .*coupons\.db: .*Make it writable/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      setReadOnly([file], false);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 with one line when the folder is read-only', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gb-serve-ro-'));
    setReadOnly([dir], true);
    try {
      const result = serve(['--port', '0', '--db', path.join(dir, 'coupons.db')]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^gb-coupon: Cannot use the database .*coupons\.db: /);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      setReadOnly([dir], false);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parseSize', () => {
  it.each([
    ['1048576', 1048576],
    ['512kb', 512 * 1024],
    ['1mb', 1048576],
    ['1.5 MiB', 1572864],
    ['100B', 100],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'mb', '-1', '0', '1gb'])('rejects %j', (text) => {
    expect(() => parseSize(text)).toThrow(/--body-limit/);
  });
});
