// Every kind of bad input gets its status, the contract's JSON error body, and stores nothing;
// none of it can make the server answer 5xx.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discardLimitBytes } from '../../server/middleware/json-body.ts';
import { delivery, rawErrorBody, rawRequest, startTestServer, type TestServer, token } from './helpers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

const auth = { authorization: `Bearer ${token}` };
const json = { ...auth, 'content-type': 'application/json' };
const valid = JSON.stringify(delivery('BAD-INPUT-NEVER-STORED'));
const mib = 1024 * 1024;

interface Case {
  name: string;
  request: Parameters<typeof rawRequest>[1];
  status: number;
  code: string;
  fields?: string[];
  headers?: Record<string, string>;
}

const cases: Case[] = [
  {
    name: 'malformed JSON',
    request: { headers: json, body: '{"playerUniqueId": "CUS_1", "code": ' },
    status: 400,
    code: 'invalid_json',
  },
  { name: 'an empty body', request: { headers: json, body: '' }, status: 400, code: 'invalid_json' },
  {
    name: 'JSON with a trailing comma',
    request: { headers: json, body: '{"code":"X",}' },
    status: 400,
    code: 'invalid_json',
  },
  { name: 'no Content-Type', request: { headers: auth, body: valid }, status: 415, code: 'unsupported_media_type' },
  {
    name: 'text/plain',
    request: { headers: { ...auth, 'content-type': 'text/plain' }, body: valid },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a form body',
    request: { headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=X&value=10' },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'JSON in another charset',
    request: { headers: { ...auth, 'content-type': 'application/json; charset=latin1' }, body: valid },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a compressed body',
    request: { headers: { ...json, 'content-encoding': 'gzip' }, body: valid },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a 2 MiB body with Content-Length',
    request: { headers: json, body: Buffer.alloc(2 * mib, 'a') },
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a chunked body that grows past 1 MiB',
    request: { headers: json, chunks: Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024, ' ')) },
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a JSON array',
    request: { headers: json, body: '[]' },
    status: 422,
    code: 'validation_failed',
    fields: [''],
  },
  { name: 'JSON null', request: { headers: json, body: 'null' }, status: 422, code: 'validation_failed', fields: [''] },
  {
    name: 'a JSON string',
    request: { headers: json, body: '"GB10"' },
    status: 422,
    code: 'validation_failed',
    fields: [''],
  },
  {
    name: 'an empty object',
    request: { headers: json, body: '{}' },
    status: 422,
    code: 'validation_failed',
    fields: ['couponType', 'playerUniqueId', 'value'],
  },
  {
    name: 'an empty playerUniqueId',
    request: { headers: json, body: JSON.stringify(delivery('BAD-PLAYER', { playerUniqueId: '' })) },
    status: 422,
    code: 'validation_failed',
    fields: ['playerUniqueId'],
  },
  {
    name: 'a percentage over 100 and a negative minimum order',
    request: { headers: json, body: JSON.stringify(delivery('BAD-PERCENT', { value: 101, minOrderValue: -5 })) },
    status: 422,
    code: 'validation_failed',
    fields: ['minOrderValue', 'value'],
  },
  {
    name: 'a value given as a string',
    request: { headers: json, body: JSON.stringify(delivery('BAD-VALUE', { value: '10' })) },
    status: 422,
    code: 'validation_failed',
    fields: ['value'],
  },
  {
    name: 'a code with spaces',
    request: { headers: json, body: JSON.stringify(delivery('BAD CODE')) },
    status: 422,
    code: 'validation_failed',
    fields: ['code'],
  },
  {
    name: 'a code longer than 64 characters',
    request: { headers: json, body: JSON.stringify(delivery('X'.repeat(65))) },
    status: 422,
    code: 'validation_failed',
    fields: ['code'],
  },
  {
    name: 'a product id that is not a string',
    request: { headers: json, body: JSON.stringify(delivery('BAD-PRODUCTS', { entitledProductIds: ['PRD_1', 7] })) },
    status: 422,
    code: 'validation_failed',
    fields: ['entitledProductIds/1'],
  },
  {
    name: 'an unknown couponType',
    request: { headers: json, body: JSON.stringify(delivery('BAD-TYPE', { couponType: 'gift_card' })) },
    status: 422,
    code: 'unknown_coupon_type',
    fields: ['couponType'],
  },
  {
    name: 'a value too large for a number (1e400 parses as Infinity)',
    request: { headers: json, body: valid.replace('"value":10', '"value":1e400') },
    status: 422,
    code: 'validation_failed',
    fields: ['value'],
  },
  {
    name: 'an expiresAfter too large for a number',
    request: { headers: json, body: valid.replace('"expiresAfter":30', '"expiresAfter":-1e400') },
    status: 422,
    code: 'validation_failed',
    fields: ['expiresAfter'],
  },
  {
    name: 'an unknown property nested 5000 levels deep',
    request: { headers: json, body: valid.replace(/\}$/, `,"x":${'['.repeat(5000)}${']'.repeat(5000)}}`) },
    status: 422,
    code: 'validation_failed',
    fields: [`x${'/0'.repeat(31)}`],
  },
  {
    name: 'an unknown path',
    request: { method: 'GET', path: '/coupon', headers: auth },
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a trailing slash',
    request: { method: 'POST', path: '/coupons/', headers: json, body: valid },
    status: 404,
    code: 'not_found',
  },
  {
    name: 'DELETE on /coupons',
    request: { method: 'DELETE', headers: auth },
    status: 405,
    code: 'method_not_allowed',
    headers: { allow: 'POST' },
  },
  {
    name: 'PUT on /coupons/{code}',
    request: { method: 'PUT', path: '/coupons/GB10-ADM7Q2K9', headers: json, body: valid },
    status: 405,
    code: 'method_not_allowed',
    headers: { allow: 'GET, HEAD' },
  },
  {
    name: 'an unusual method on /coupons',
    request: { method: 'PROPFIND', headers: auth },
    status: 405,
    code: 'method_not_allowed',
    headers: { allow: 'POST' },
  },
  {
    name: 'OPTIONS on /coupons (not an operation of the contract)',
    request: { method: 'OPTIONS', headers: auth },
    status: 405,
    code: 'method_not_allowed',
    headers: { allow: 'POST' },
  },
  {
    name: 'an unusual method on an unknown path',
    request: { method: 'PROPFIND', path: '/nowhere', headers: auth },
    status: 404,
    code: 'not_found',
  },
  {
    name: 'the path in another case',
    request: { method: 'POST', path: '/COUPONS', headers: json, body: valid },
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a __proto__ key',
    request: { headers: json, body: valid.replace(/\}$/, ',"__proto__":{"admin":true}}') },
    status: 400,
    code: 'invalid_json',
  },
  {
    name: 'POST on /healthz',
    request: { method: 'POST', path: '/healthz', headers: json, body: '{}' },
    status: 405,
    code: 'method_not_allowed',
  },
];

describe('bad input', () => {
  it.each(cases)('$name: $status $code, nothing stored', async ({ request, status, code, fields, headers }) => {
    const before = await server.rows();
    const response = await rawRequest(server.url, request);
    expect(response.status, response.text).toBe(status);
    const body = rawErrorBody(response);
    expect(body.code).toBe(code);
    expect(body.message.length).toBeGreaterThan(10);
    expect(response.text).not.toMatch(/\n\s+at /);
    if (fields) expect(body.details!.map((d) => d.field).sort()).toEqual(fields);
    for (const [name, value] of Object.entries(headers ?? {})) expect(response.headers[name]).toBe(value);
    expect(await server.rows()).toBe(before);
  });

  it('says a number too large to represent is that, not "must be number"', async () => {
    const response = await rawRequest(server.url, {
      headers: json,
      body: valid.replace('"value":10', '"value":1e400'),
    });
    expect(rawErrorBody(response).details).toEqual([
      { field: 'value', message: 'must be a finite number (it is too large to represent)' },
    ]);
  });

  it('stored nothing at all from the whole list', async () => {
    expect(await server.rows()).toBe(0);
    const response = await server.get('/coupons/BAD-INPUT-NEVER-STORED');
    expect(response.status).toBe(404);
  });

  it('still serves normally after all of it', async () => {
    const response = await server.post(delivery('AFTER-BAD-INPUT'));
    expect(response.status).toBe(200);
  });
});

describe('a configured body limit', () => {
  it('answers 413 just over the limit and 200 at it', async () => {
    const small = await startTestServer({ bodyLimit: 400 });
    try {
      const base = delivery('LIMIT-1');
      const padding = 400 - JSON.stringify({ ...base, pad: '' }).length;
      const atLimit = JSON.stringify({ ...base, pad: 'p'.repeat(padding) });
      expect(Buffer.byteLength(atLimit)).toBe(400);
      const over = await rawRequest(small.url, { headers: json, body: `${atLimit} ` });
      expect(over.status).toBe(413);
      expect(rawErrorBody(over).message).toContain('400 bytes');
      expect(await small.rows()).toBe(0);
      const at = await rawRequest(small.url, { headers: json, body: atLimit });
      expect(at.status, at.text).toBe(200);
    } finally {
      await small.dispose();
    }
  });
});

/** A raw connection to the server, with what has come back so far and how it ended. */
function connection(url: string) {
  const { port } = new URL(url);
  const socket = net.connect(Number(port), '127.0.0.1');
  const state = { received: '', ended: false, error: undefined as string | undefined };
  socket.on('data', (chunk: Buffer) => {
    state.received += chunk.toString('latin1');
  });
  socket.on('close', () => {
    state.ended = true;
  });
  socket.on('error', (error: NodeJS.ErrnoException) => {
    state.error = error.code ?? error.message;
  });
  const until = (done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (done()) {
          socket.off('data', check).off('close', check);
          resolve();
        }
      };
      socket.on('data', check).on('close', check);
      check();
    });
  const write = (data: string | Buffer): Promise<void> =>
    new Promise((resolve) => (socket.writable ? socket.write(data, () => resolve()) : resolve()));
  return { socket, state, until, write };
}

const head = (length: number) =>
  `POST /coupons HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe('a body over the limit, still being sent when the 413 comes', () => {
  it('is read to its end and dropped, so the client reads the answer and the connection is not reset', async () => {
    const client = connection(server.url);
    try {
      const length = 2 * mib;
      await client.write(head(length) + '{"pad":"'.padEnd(64 * 1024, 'x'));
      // Answered from the declared length, before the rest is sent.
      await client.until(() => client.state.received.includes('\r\n\r\n{') || client.state.ended);
      expect(client.state.received).toMatch(/^HTTP\/1\.1 413 /);
      for (let sent = 64 * 1024; sent < length; sent += 64 * 1024) await client.write(Buffer.alloc(64 * 1024, 'x'));
      // The same connection then takes the next request: nothing was reset or closed under the client.
      await client.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await client.until(() => /HTTP\/1\.1 200 /.test(client.state.received) || client.state.ended);
      expect(client.state.error).toBeUndefined();
      expect(client.state.received).toMatch(/HTTP\/1\.1 200 /);
    } finally {
      client.socket.destroy();
    }
  });

  it('is cut off once the client sends more than the bound after the answer', async () => {
    const client = connection(server.url);
    try {
      await client.write(head(64 * mib));
      await client.until(() => client.state.received.includes('413') || client.state.ended);
      const chunk = Buffer.alloc(256 * 1024, 'x');
      for (let sent = 0; sent <= discardLimitBytes + 2 * chunk.length && !client.state.ended; sent += chunk.length) {
        await client.write(chunk);
      }
      await client.until(() => client.state.ended);
      expect(client.state.received).toMatch(/^HTTP\/1\.1 413 /);
    } finally {
      client.socket.destroy();
    }
  });
});
