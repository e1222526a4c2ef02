// `gb-coupon serve` refuses unusable options with one paragraph and exit code 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSize } from '../../cli/serve.ts';
import { sourceCli } from '../support/processes.ts';

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
      const result = serve(['--port', String(port), '--db', ':memory:']);
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
