// The server as a process (`gb-coupon serve`): every coupon answered 200 survives SIGKILL, and
// SIGTERM lets in-flight requests finish, then exits 0. Each child is stopped by its PID.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourceCli } from '../support/processes.ts';
import { countRows, delivery, storedCodes, token } from './helpers.ts';

let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gb-server-process-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Served {
  child: ChildProcess;
  url: string;
  port: number;
  lines: string[];
}

/** `gb-coupon serve` on a free port; resolves with its URL once it logs "listening". */
async function serve(dbFile: string): Promise<Served> {
  const child = spawn(process.execPath, [...sourceCli, 'serve', '--port', '0', '--db', dbFile, '--token', token], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 30 s: ${stderr}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening') {
        clearTimeout(timer);
        resolve(entry.url!);
      }
    });
  });
  return { child, url, port: Number(new URL(url).port), lines };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/coupons`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}

describe('crash safety', () => {
  it('keeps every coupon it answered 200 when killed with SIGKILL under load', async () => {
    const dbFile = path.join(dir, 'coupons.db');
    const first = await serve(dbFile);
    const acknowledged: string[] = [];
    const connections = 16;
    const perConnection = 150;
    const killAfter = 300;
    let killed = false;
    const kill = (): void => {
      if (killed) return;
      killed = true;
      first.child.kill('SIGKILL');
    };
    // Bounded load: 16 loops of at most 150 requests; the kill lands while requests are in flight.
    const loops = Array.from({ length: connections }, async (_, loop) => {
      for (let i = 0; i < perConnection && !killed; i++) {
        const code = `CRASH-${loop}-${i}`;
        try {
          const response = await post(first.url, delivery(code));
          if (response.status === 200) acknowledged.push(code);
          else throw new Error(`unexpected ${response.status}`);
        } catch (error) {
          if (killed) return;
          throw error;
        }
        if (acknowledged.length >= killAfter) kill();
      }
    });
    const timer = setTimeout(kill, 20_000);
    await Promise.all(loops);
    clearTimeout(timer);
    kill();
    expect(await exited(first.child)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);

    const second = await serve(dbFile);
    const missing: string[] = [];
    for (const code of acknowledged) {
      const response = await fetch(`${second.url}/coupons/${code}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) missing.push(code);
    }
    expect(missing).toEqual([]);
    expect(await countRows(dbFile)).toBeGreaterThanOrEqual(acknowledged.length);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toEqual({ code: 0, signal: null });
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests on SIGTERM, refuses new connections, and exits 0', async () => {
    const dbFile = path.join(dir, 'coupons.db');
    const served = await serve(dbFile);
    const bodies = [delivery('INFLIGHT-1'), delivery('INFLIGHT-2')].map((d) => JSON.stringify(d));
    // Each request sends its headers and waits for 100 Continue: the server is now handling it.
    const pending = await Promise.all(bodies.map((body) => startRequest(served.port, body)));

    served.child.kill('SIGTERM');
    await untilRefused(served.port);
    for (const request of pending) request.sendBody();

    const responses = await Promise.all(pending.map((request) => request.response));
    for (const response of responses) {
      expect(response).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(response).toMatch(/\r\nConnection: close\r\n/i);
    }
    expect(await exited(served.child)).toEqual({ code: 0, signal: null });
    expect(served.lines.some((line) => line.includes('shutting down'))).toBe(true);
    expect(served.lines.some((line) => line.includes('"stopped"'))).toBe(true);
    expect(await countRows(dbFile)).toBe(2);
  });
});

describe('shutdown under keep-alive load', () => {
  it('answers every request sent on open connections after SIGTERM: zero resets, every 200 stored', async () => {
    const dbFile = path.join(dir, 'coupons.db');
    const served = await serve(dbFile);
    const loops = 50;
    const perLoop = 400;
    const signalAfter = 500;
    const acknowledged: string[] = [];
    const resets: string[] = [];
    let signalled = false;
    let toldToClose = 0;
    // The loops whose connection is open (answered once): SIGTERM waits for all of them, since a
    // connection that only starts after it is refused, as it should be, and that is not this test.
    const open = new Set<number>();
    // 50 loops, each on its own keep-alive connection, sending back to back. SIGTERM lands while
    // every connection is busy; each loop stops at the first answer that says Connection: close.
    await Promise.all(
      Array.from({ length: loops }, async (_, loop) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        try {
          for (let i = 0; i < perLoop; i++) {
            const code = `TERM-${loop}-${i}`;
            let answer: { status: number; close: boolean };
            try {
              answer = await postOn(agent, served.port, JSON.stringify(delivery(code)));
            } catch (error) {
              resets.push(`${code}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
              return;
            }
            expect(answer.status).toBe(200);
            acknowledged.push(code);
            open.add(loop);
            if (!signalled && acknowledged.length >= signalAfter && open.size === loops) {
              signalled = true;
              served.child.kill('SIGTERM');
            }
            if (answer.close) {
              toldToClose += 1;
              return;
            }
          }
        } finally {
          agent.destroy();
        }
      }),
    );
    expect(signalled).toBe(true);
    expect(resets).toEqual([]);
    expect(toldToClose).toBe(loops);
    expect(await exited(served.child)).toEqual({ code: 0, signal: null });
    const stored = new Set(await storedCodes(dbFile));
    expect(acknowledged.filter((code) => !stored.has(code))).toEqual([]);
  });
});

/** One POST on the agent's keep-alive connection; whether the answer told the client to close it. */
function postOn(agent: http.Agent, port: number, body: string): Promise<{ status: number; close: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/coupons',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode!, close: response.headers.connection === 'close' }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

interface StartedRequest {
  sendBody(): void;
  response: Promise<string>;
}

/** A POST whose headers are sent with Expect: 100-continue; resolves once the server said 100 Continue. */
function startRequest(port: number, body: string): Promise<StartedRequest> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let continued = false;
    const response = new Promise<string>((done, fail) => {
      socket.on('end', () => done(received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, '')));
      socket.on('error', fail);
    });
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (!continued && received.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
        continued = true;
        resolve({ sendBody: () => socket.write(body), response });
      }
    });
    socket.write(
      `POST /coupons HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
    );
  });
}

/** Resolves once a new connection to the port is refused (the server stopped listening); at most 10 s. */
async function untilRefused(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    if (refused) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`port ${port} still accepts connections 10 s after SIGTERM`);
}
