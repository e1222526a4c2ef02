// `gb-coupon mock` as a process: the ready line, a line per request, a clean stop on SIGTERM, and
// usage errors as one paragraph with exit code 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceCli, startProcess } from '../support/processes.ts';

describe('gb-coupon mock', () => {
  it('prints its ready line, logs each request, and exits 0 on SIGTERM', async () => {
    const mock = startProcess(process.execPath, [
      ...sourceCli,
      'mock',
      '--port',
      '0',
      '--api-key',
      'k1',
      '--secret-key',
      's1',
    ]);
    try {
      await mock.waitFor(/gb-coupon mock listening on http:\/\/127\.0\.0\.1:\d+\n[\s\S]*next .*\n/);
      const url = /listening on (\S+)/.exec(mock.output())![1]!;
      // The banner says where a client points and what it must send; it never repeats a key.
      expect(mock.output()).toContain(`Gameball API   ${url}/api/v4.0/integrations  (apikey: the one given;`);
      expect(mock.output()).toContain(`control plane  ${url}/__gb/  (no token: loopback callers only)`);
      expect(mock.output()).toContain('state          in memory');
      expect(mock.output()).not.toMatch(/\bk1\b|\bs1\b/);
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
      const result = spawnSync(process.execPath, [...sourceCli, 'mock', '--port', String(port)], {
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
      const result = spawnSync(
        process.execPath,
        [...sourceCli, 'mock', '--port', '0', '--state', path.join(file, 'state.db')],
        {
          encoding: 'utf8',
          timeout: 30_000,
        },
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('Cannot open the state file');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a host that is not loopback without --control-token, in one paragraph, exit 2', () => {
    const result = spawnSync(process.execPath, [...sourceCli, 'mock', '--port', '0', '--host', '0.0.0.0'], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, GAMEBALL_API_KEY: '', GAMEBALL_SECRET_KEY: '', GB_COUPON_CONTROL_TOKEN: '' },
    });
    expect(result.status).toBe(2);
    expect(result.stdout).not.toContain('listening');
    expect(result.stderr).toMatch(
      /--host 0\.0\.0\.0 is not a loopback address.*--control-token.*--unsafe-open-control/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    const keyless = spawnSync(
      process.execPath,
      [...sourceCli, 'mock', '--port', '0', '--host', '0.0.0.0', '--control-token', 'a-control-token-of-32-characters'],
      { encoding: 'utf8', timeout: 30_000, env: { ...process.env, GAMEBALL_API_KEY: '', GAMEBALL_SECRET_KEY: '' } },
    );
    expect(keyless.status).toBe(2);
    expect(keyless.stderr).toMatch(/--api-key and --secret-key/);
  });

  it('on 0.0.0.0 with a token and the keys, a stranger without the token cannot drive it', async () => {
    const token = 'a-control-token-of-32-characters';
    const args = ['mock', '--port', '0', '--host', '0.0.0.0', '--api-key', 'k1', '--secret-key', 's1'];
    const mock = startProcess(process.execPath, [...sourceCli, ...args, '--log-level', 'silent'], {
      env: { ...process.env, GB_COUPON_CONTROL_TOKEN: token },
    });
    try {
      await mock.waitFor(/listening on http:\/\/0\.0\.0\.0:(\d+)\n/);
      const port = /listening on http:\/\/0\.0\.0\.0:(\d+)/.exec(mock.output())![1];
      const url = `http://127.0.0.1:${port}`;
      const stranger = await fetch(`${url}/__gb/reset`, { method: 'POST' });
      expect(stranger.status).toBe(401);
      expect(await stranger.json()).toMatchObject({ code: 1000 });
      const keyless = await fetch(`${url}/api/v4.0/integrations/configurations/redemption`, {
        headers: { apikey: 'guess' },
      });
      expect(keyless.status).toBe(401);
      const owner = await fetch(`${url}/__gb/deliveries`, { headers: { authorization: `Bearer ${token}` } });
      expect(owner.status).toBe(200);
      expect(mock.stderr()).toBe('');
    } finally {
      await mock.stop('SIGKILL');
    }
  });

  it('with --unsafe-open-control, starts and warns that the control plane is open', async () => {
    const args = ['mock', '--port', '0', '--host', '0.0.0.0', '--api-key', 'k1', '--secret-key', 's1'];
    const mock = startProcess(process.execPath, [...sourceCli, ...args, '--unsafe-open-control']);
    try {
      await mock.waitFor(/listening on/);
      expect(mock.stderr()).toMatch(
        /^warning: --unsafe-open-control: the control plane \(\/__gb\/\) is open to anyone/,
      );
    } finally {
      await mock.stop('SIGKILL');
    }
  });
});
