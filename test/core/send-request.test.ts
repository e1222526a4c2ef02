// The harness's HTTP client against endpoints that misbehave on the wire: it keeps a bounded part
// of each answer, says how large the answer was, tells a stalled body from no answer, and knows
// when a body is not UTF-8.
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyNote } from '../../core/http/body-note.ts';
import { DISCARD_LIMIT_BYTES, sendRequest } from '../../core/http/send-request.ts';
import type { RenderedRequest } from '../../core/render/render-delivery.ts';
import {
  type Answer,
  type HostileEndpoint,
  stallBody,
  startHostileEndpoint,
  streamBody,
} from '../harness/support/hostile-endpoint.ts';

let endpoint: HostileEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

async function answerWith(answer: Answer): Promise<RenderedRequest> {
  endpoint = await startHostileEndpoint(answer);
  return { method: 'POST', url: endpoint.url, headers: { 'content-type': 'application/json' }, body: '{}' };
}

describe('sendRequest', () => {
  it('keeps the first --max-body bytes of a large answer and says how large it was', async () => {
    const request = await answerWith((res) => streamBody(res, 500, 3 * 1024 * 1024));

    const { response } = await sendRequest(request, { timeoutMs: 10_000, maxBodyBytes: 100_000 });

    expect(response?.status).toBe(500);
    expect(Buffer.byteLength(response!.body)).toBe(100_000);
    expect(response!.body.startsWith('<p>error</p>\n<p>error</p>')).toBe(true);
    expect(response).toMatchObject({ bodyBytes: 3 * 1024 * 1024, truncated: true, abandoned: false });
    expect(response!.json).toBeUndefined();
    expect(bodyNote(response!)).toBe('body truncated: 3 MiB in all');
  });

  it('stops reading an endless answer at the discard limit and drops the connection', async () => {
    const request = await answerWith((res) => streamBody(res, 200, Number.POSITIVE_INFINITY));

    const { response } = await sendRequest(request, { timeoutMs: 20_000 });

    expect(response).toMatchObject({ status: 200, truncated: true, abandoned: true });
    expect(Buffer.byteLength(response!.body)).toBe(1024 * 1024);
    expect(response!.bodyBytes).toBeGreaterThan(DISCARD_LIMIT_BYTES);
    expect(bodyNote(response!)).toMatch(/^body truncated: more than 4 MiB, the connection was dropped$/);
    await expect.poll(() => endpoint!.droppedByClient()).toBe(1);
  });

  it('keeps a small JSON answer whole and parsed', async () => {
    const request = await answerWith((res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('\ufeff{"couponCode":"GB-1 ✓"}'),
    );

    const { response } = await sendRequest(request, 5000);

    expect(response).toMatchObject({ body: '{"couponCode":"GB-1 ✓"}', truncated: false, invalidUtf8: false });
    expect(response!.json).toEqual({ couponCode: 'GB-1 ✓' });
    expect(bodyNote(response!)).toBeUndefined();
  });

  it('reports a body that is not valid UTF-8, showing the bad bytes as U+FFFD', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"couponCode":"GB-1","note":"'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('"}'),
    ]);
    const request = await answerWith((res) => res.writeHead(200, { 'content-type': 'application/json' }).end(bytes));

    const { response } = await sendRequest(request, 5000);

    expect(response!.invalidUtf8).toBe(true);
    expect(response!.body).toBe('{"couponCode":"GB-1","note":"\ufffd\ufffd"}');
    expect(bodyNote(response!)).toBe('body not valid UTF-8');
  });

  it('does not call a body invalid because the cut fell inside a character', async () => {
    // 'é' is two bytes: a cut after 5 bytes splits the third one.
    const request = await answerWith((res) => res.writeHead(200).end('ééééé'.repeat(1000)));

    const { response } = await sendRequest(request, { timeoutMs: 5000, maxBodyBytes: 5 });

    expect(response).toMatchObject({ body: 'éé', truncated: true, invalidUtf8: false });
  });

  it('tells a body that stalled after the headers from no answer at all', async () => {
    const stalled = await sendRequest(await answerWith((res) => stallBody(res, 200, '{"couponCode":')), 200);
    expect(stalled.response).toBeUndefined();
    expect(stalled.stalled).toBe(true);
    expect(stalled.partial).toMatchObject({ status: 200, bodyBytes: 14 });
    expect(stalled.error).toBe(
      'the body stalled: HTTP 200 and its headers arrived, then 14 bytes of the body, and the rest did not come within 200 ms (timed out)',
    );
    await endpoint!.close();
    endpoint = undefined;

    const silent = await sendRequest(await answerWith(() => undefined), 200);
    expect(silent.partial).toBeUndefined();
    expect(silent.stalled).toBeUndefined();
    expect(silent.error).toBe('no answer within 200 ms (timed out)');
  });

  it('says when the connection closed half-way through the body', async () => {
    // The connection ends once the status, the headers and the start of the body are on the wire.
    const request = await answerWith((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"coupon', () => res.socket?.destroy());
    });

    const exchange = await sendRequest(request, 5000);

    expect(exchange.response).toBeUndefined();
    expect(exchange.stalled).toBeUndefined();
    expect(exchange.partial?.status).toBe(200);
    expect(exchange.error).toMatch(
      /^the body was cut off: HTTP 200 and its headers arrived, then \d+ bytes? of the body, and then the connection closed$/,
    );
  });

  it('still says "no answer" when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const exchange = await sendRequest({ method: 'POST', url: `http://127.0.0.1:${port}/`, headers: {} }, 2000);

    expect(exchange.error).toBe('connection refused: nothing is listening at that address');
    expect(exchange.partial).toBeUndefined();
  });

  it('names an untrusted certificate and how to trust a private certificate authority', async () => {
    const server = createHttpsServer({
      cert: readFileSync(new URL('../support/tls/cert.pem', import.meta.url)),
      key: readFileSync(new URL('../support/tls/key.pem', import.meta.url)),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const exchange = await sendRequest(
        { method: 'POST', url: `https://127.0.0.1:${port}/coupons`, headers: {}, body: '{}' },
        { timeoutMs: 2000 },
      );
      expect(exchange.error).toBe(
        "the endpoint's TLS certificate is not trusted (self-signed certificate); if your own certificate authority signed it, start with NODE_EXTRA_CA_CERTS=its-certificate.pem",
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
