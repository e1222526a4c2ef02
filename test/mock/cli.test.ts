// `gb-coupon mock` as a process: the ready line, a line per request, a clean stop on SIGTERM, and
// usage errors as one paragraph with exit code 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProcess } from '../support/processes.ts';

const bin = path.resolve(import.meta.dirname, '../../bin/gb-coupon.js');

describe('gb-coupon mock', () => {
  it('prints its ready line, logs each request, and exits 0 on SIGTERM', async () => {
    const mock = startProcess(process.execPath, [bin, 'mock', '--port', '0', '--api-key', 'k1', '--secret-key', 's1']);
    try {
      await mock.waitFor(/gb-coupon mock listening on http:\/\/127\.0\.0\.1:\d+\n/);
      const url = /listening on (\S+)/.exec(mock.output())![1]!;
      const refused = await fetch(`${url}/api/v4.0/integrations/configurations/redemption`, {
        headers: { apikey: 'wrong' },
      });
      expect(refused.status).toBe(401);
      const served = await fetch(`${url}/api/v4.0/integrations/configurations/redemption`, {
        headers: { apikey: 'k1' },
      });
      expect(served.status).toBe(200);
      await mock.waitFor(/GET \/api\/v4\.0\/integrations\/configurations\/redemption 200/);
      expect(await mock.stop('SIGTERM')).toBe(0);
    } finally {
      await mock.stop('SIGKILL');
    }
  });

  it('exits 2 and names the port when it is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const result = spawnSync(process.execPath, [bin, 'mock', '--port', String(port)], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is in use`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  it('exits 2 and names the file when --state cannot be opened', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gb-mock-cli-'));
    try {
      const file = path.join(dir, 'plain-file');
      writeFileSync(file, 'not a folder');
      const result = spawnSync(process.execPath, [bin, 'mock', '--port', '0', '--state', path.join(file, 'state.db')], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('Cannot open the state file');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
