// Bearer auth (before any body parsing), the optional X-GB-Signature check, and that credentials
// never reach the log.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/index.ts';
import { signBody } from '../../server/middleware/signature.ts';
import { delivery, rawErrorBody, rawRequest, startTestServer, type TestServer, token } from './helpers.ts';

describe('bearer token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  const body = JSON.stringify(delivery('AUTH-1'));
  const cases: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['the token with one character more', { authorization: `Bearer ${token}x` }],
    ['the token under another scheme', { authorization: `Basic ${token}` }],
    ['the bare token without a scheme', { authorization: token }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ];

  it.each(cases)('%s: 401 with WWW-Authenticate and nothing stored', async (_name, headers) => {
    const response = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    expect(response.status).toBe(401);
    expect(rawErrorBody(response).code).toBe('unauthorized');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(await server.rows()).toBe(0);
  });

  it('checks the token before the body: a bad body without a token is 401, not 400, 413 or 415', async () => {
    const malformed = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(malformed.status).toBe(401);
    const huge = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(2 * 1024 * 1024, 'a'),
    });
    expect(huge.status).toBe(401);
    const form = await rawRequest(server.url, { headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(form.status).toBe(401);
  });

  it('also guards GET /coupons/{code}', async () => {
    const response = await rawRequest(server.url, { method: 'GET', path: '/coupons/AUTH-1' });
    expect(response.status).toBe(401);
  });

  it('accepts the right token, with the scheme in any case', async () => {
    const first = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    expect(first.status).toBe(200);
    const again = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json', authorization: `bearer ${token}` },
      body,
    });
    expect(again.status).toBe(200);
    expect(await server.rows()).toBe(1);
  });
});

describe('X-GB-Signature (signing on)', () => {
  const secret = 'gb-secret-key-123';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ signingSecret: secret });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('accepts a delivery signed as Gameball signs webhooks', async () => {
    const coupon = delivery('SIGNED-1');
    const signature = signBody(coupon, secret);
    const response = await server.post(coupon, { 'x-gb-signature': signature });
    expect(response.status).toBe(200);
  });

  it('rejects a tampered body with 401 and stores nothing', async () => {
    const coupon = delivery('SIGNED-2');
    const signature = signBody(coupon, secret);
    const response = await server.post({ ...coupon, value: 90 }, { 'x-gb-signature': signature });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('unauthorized');
    expect((await server.get('/coupons/SIGNED-2')).status).toBe(404);
  });

  it('rejects a missing signature and one made with another secret', async () => {
    const coupon = delivery('SIGNED-3');
    expect((await server.post(coupon)).status).toBe(401);
    expect((await server.post(coupon, { 'x-gb-signature': signBody(coupon, 'other') })).status).toBe(401);
    expect((await server.post(coupon, { 'x-gb-signature': 'abc' })).status).toBe(401);
  });

  it('still requires the bearer token', async () => {
    const coupon = delivery('SIGNED-4');
    const response = await server.post(coupon, {
      'x-gb-signature': signBody(coupon, secret),
      authorization: 'Bearer wrong',
    });
    expect(response.status).toBe(401);
  });
});

describe('the request log', () => {
  it('writes one JSON line per request and never the token or the signing secret', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const secret = 'signing-secret-never-logged';
    const server = await startTestServer({
      logger: createLogger({ level: 'debug', destination: sink }),
      signingSecret: secret,
    });
    try {
      const coupon = delivery('LOGGED-1');
      await server.post(coupon, { 'x-gb-signature': signBody(coupon, secret), 'x-request-id': 'req-from-gameball-1' });
      await server.post(coupon, { authorization: 'Bearer some-wrong-guess' });
    } finally {
      await server.dispose();
    }
    const all = lines.join('\n');
    expect(all).not.toContain(token);
    expect(all).not.toContain('some-wrong-guess');
    expect(all).not.toContain(secret);
    const requests = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      reqId: 'req-from-gameball-1',
      method: 'POST',
      url: '/coupons',
      status: 200,
      outcome: 'created',
    });
    expect(requests[0]!.req).toMatchObject({
      headers: { authorization: '[redacted]', 'x-gb-signature': '[redacted]' },
    });
    expect(requests[1]).toMatchObject({ status: 401, errorCode: 'unauthorized' });
  });
});
