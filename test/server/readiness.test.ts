// /readyz means "coupons sent here now can be stored": it fails while the database cannot be
// written (here: its files made read-only under a running server) and until a write succeeds again,
// while /healthz (liveness) stays 200.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delivery, errorBody, setReadOnly, startTestServer, type TestServer } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

describe('readiness', () => {
  it('is 200 while the store writes, 503 once it cannot, and 200 again after a write succeeds', async () => {
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect((await server.post(delivery('READY-1'))).status).toBe(200);

    const files = [server.dbFile, `${server.dbFile}-wal`].filter((file) => existsSync(file));
    expect(files).toHaveLength(2);
    setReadOnly(files, true);
    try {
      const failed = await server.post(delivery('READY-2'));
      expect(failed.status).toBe(500);
      const notReady = await fetch(`${server.url}/readyz`);
      expect(notReady.status).toBe(503);
      const error = await notReady.json();
      expect(error).toEqual({
        code: 'internal_error',
        message: 'The coupon store cannot write; coupons sent here now would fail.',
      });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      setReadOnly(files, false);
    }
    // The last failure is recent, so readiness does not even try yet...
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    // ...until a write succeeds again.
    const retried = await server.post(delivery('READY-2'));
    expect(retried.status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('answers 405 with Allow to other methods, like every path', async () => {
    const response = await fetch(`${server.url}/readyz`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect((await errorBody(response)).code).toBe('method_not_allowed');
  });
});
