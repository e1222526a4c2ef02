// The route table and the merchant contract name the same operations, and the plumbing around them
// (HEAD, request ids) behaves.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractDocument } from '../../openapi/contract.ts';
import type { CouponStore } from '../../server/index.ts';
import { routes } from '../../server/routes/index.ts';
import { startTestServer, type TestServer, token } from './helpers.ts';

const unusedStore = {} as CouponStore;

describe('the route table', () => {
  it('has exactly the operations of openapi/merchant.yaml', () => {
    const contract = Object.entries(contractDocument('merchant').paths!).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const table = routes(unusedStore, () => 'GB-UNUSED').map((route) => `${route.method} ${route.path}`);
    expect(table.sort()).toEqual(contract.sort());
  });

  it('asks for the token exactly where the contract does', () => {
    const document = contractDocument('merchant');
    for (const route of routes(unusedStore, () => 'GB-UNUSED')) {
      const operation = (document.paths![route.path] as Record<string, { security?: unknown[] }>)[
        route.method.toLowerCase()
      ]!;
      const open = Array.isArray(operation.security) && operation.security.length === 0;
      expect(route.auth, `${route.method} ${route.path}`).toBe(!open);
    }
  });
});

describe('plumbing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('answers HEAD on a GET route without a body', async () => {
    const response = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('echoes a usable X-Request-Id and makes one up otherwise', async () => {
    const given = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const unusable = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'has spaces and "quotes"' } });
    expect(unusable.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 503 from /healthz once the store is closed', async () => {
    const other = await startTestServer();
    try {
      await other.store.close();
      const response = await fetch(`${other.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ code: 'internal_error', message: 'The coupon store is not reachable.' });
    } finally {
      await other.dispose();
    }
  });
});

describe('close()', () => {
  it('ends a client whose body is still arriving once the drain is over, instead of waiting for the whole timeout', async () => {
    const slow = await startTestServer({ drainMs: 50, shutdownTimeoutMs: 120_000 });
    try {
      const socket = net.connect(slow.port, '127.0.0.1');
      socket.on('error', () => {});
      const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      // The headers; once the server says 100 Continue it is handling the request: one byte of a
      // 300-byte body follows, and the rest never comes.
      const continued = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      socket.write(
        `POST /coupons HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 300\r\nExpect: 100-continue\r\n\r\n',
      );
      await continued;
      socket.write('{');
      // Without the drain's end for slow clients this waits 120 s, past the test's timeout.
      await slow.close();
      await ended;
    } finally {
      await slow.dispose();
    }
  });
});
