// A merchant endpoint written for the harness's tests: correct by default (in memory, node:http),
// with one switch per rule Gameball needs so that a test can break exactly one rule and see that
// exactly the matching check catches it. It is not the reference server: it exists to be broken.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { requestBodyValidator } from '../../../openapi/contract.ts';

/** The rest of the contract (bounds of optional fields, lengths), for a double that is correct by default. */
const validDelivery = requestBodyValidator('merchant', 'post', '/coupons');

export type Fault =
  | 'answers-201'
  | 'omits-code'
  | 'answers-text'
  | 'retry-fails'
  | 'racy-duplicates'
  | 'overwrites-on-reuse'
  | 'ignores-auth'
  | 'accepts-any-token'
  | 'accepts-out-of-range'
  | 'crashes-on-malformed-json'
  | 'html-errors'
  | 'stores-before-validating'
  | 'rejects-non-ascii'
  | 'fails-under-burst'
  | 'slow'
  | 'answers-with-escapes'
  // The false passes of issue 8: each must now fail.
  | 'answers-error-quoting-code'
  | 'accepts-missing-customer'
  | 'stores-duplicates'
  | 'acknowledges-without-storing'
  // Issue 18: answers right, stores the customer id with every non-ASCII character replaced by "?".
  | 'mangles-non-ascii'
  // Issue 18: acknowledges without storing, and its lookup answers 200 {"error":"not found"}.
  | 'forgets-but-lookup-says-200'
  // The false alarms: each must now pass with a warning.
  | 'plain-text-errors'
  | 'body-limit-64k';

export interface MerchantDouble {
  url: string;
  token: string;
  stored: Map<string, Record<string, unknown>>;
  /** Every row written, in order: one per code unless the endpoint stores duplicates. */
  rows: Record<string, unknown>[];
  close(): Promise<void>;
}

const couponTypes = ['fixed_discount', 'percentage_discount', 'free_product', 'free_delivery'];
export async function startMerchantDouble(fault?: Fault, token = 'test-token-123'): Promise<MerchantDouble> {
  const limit = fault === 'body-limit-64k' ? 64 * 1024 : 1024 * 1024;
  const stored = new Map<string, Record<string, unknown>>();
  const rows: Record<string, unknown>[] = [];
  const racing = new Map<string, () => void>();
  let inFlight = 0;

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    if (fault === 'html-errors' && status >= 400) {
      res.writeHead(status, { 'content-type': 'text/html' }).end(`<h1>Error ${status}</h1>`);
      return;
    }
    if ((fault === 'plain-text-errors' || fault === 'body-limit-64k') && status >= 400) {
      res.writeHead(status, { 'content-type': 'text/plain' }).end(`Error ${status}`);
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> => {
    const auth = req.headers.authorization;
    if (fault !== 'ignores-auth') {
      if (!auth) return json(res, 401, { code: 'unauthorized', message: 'missing token' });
      if (fault !== 'accepts-any-token' && auth !== `Bearer ${token}`)
        return json(res, 401, { code: 'unauthorized', message: 'wrong token' });
    }
    // The lookup (--lookup 'GET …/coupons/{code}'): every row stored under the code.
    const lookup = /^\/coupons\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && lookup) {
      const code = decodeURIComponent(lookup[1]!);
      const found = rows.filter((row) => row.code === code);
      if (found.length === 0 && fault === 'forgets-but-lookup-says-200') return json(res, 200, { error: 'not found' });
      if (found.length === 0) return json(res, 404, { code: 'not_found', message: 'no such coupon' });
      return json(res, 200, found.length === 1 ? found[0] : found);
    }
    if (req.method !== 'POST' || !req.url?.startsWith('/coupons'))
      return json(res, 404, { code: 'not_found', message: 'no such path' });
    if (fault === 'answers-error-quoting-code') {
      const code = /"code":"([^"]*)"/.exec(raw)?.[1];
      return json(res, 200, { success: false, error: `Could not create coupon ${code}: shop API down` });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      if (fault === 'crashes-on-malformed-json') return json(res, 500, { code: 'internal_error', message: 'boom' });
      return json(res, 400, { code: 'invalid_json', message: 'not JSON' });
    }
    const code = body.code;
    if (fault === 'rejects-non-ascii' && /[^\x00-\x7f]/.test(String(body.playerUniqueId))) {
      return json(res, 422, { code: 'validation_failed', message: 'ascii only' });
    }
    if (fault === 'stores-before-validating' && typeof code === 'string' && !stored.has(code)) {
      stored.set(code, body);
      rows.push(body);
    }
    const problems: string[] = [];
    if (
      fault !== 'accepts-missing-customer' &&
      (typeof body.playerUniqueId !== 'string' || body.playerUniqueId.length === 0)
    )
      problems.push('playerUniqueId');
    if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(code)) problems.push('code');
    if (!couponTypes.includes(String(body.couponType))) problems.push('couponType');
    if (typeof body.value !== 'number') problems.push('value');
    else if (
      fault !== 'accepts-out-of-range' &&
      (body.value < 0 || (body.couponType === 'percentage_discount' && body.value > 100))
    )
      problems.push('value');
    // The faults that accept what the hand checks let through must not be caught by the contract.
    if (problems.length === 0 && fault !== 'accepts-out-of-range' && fault !== 'accepts-missing-customer') {
      if (!validDelivery(body)) problems.push('contract');
    }
    if (problems.length)
      return json(res, 422, {
        code: 'validation_failed',
        message: 'invalid',
        details: problems.map((field) => ({ field, message: 'invalid' })),
      });

    if (fault === 'fails-under-burst') {
      // More than 25 deliveries in flight overload it: a campaign burst of 30 fails, the 20 concurrent
      // duplicates do not. Each delivery is held 500 event-loop turns (not milliseconds: the harness
      // shares this process, so a burst arrives within those turns however loaded the machine).
      inFlight++;
      try {
        if (inFlight > 25) return json(res, 503, { code: 'internal_error', message: 'overloaded' });
        await new Promise<void>((resolve) => {
          let turns = 0;
          const spin = (): void => (++turns < 500 ? void setImmediate(spin) : resolve());
          setImmediate(spin);
        });
      } finally {
        inFlight--;
      }
    }
    if (fault === 'slow') await new Promise((resolve) => setTimeout(resolve, 60));
    if (fault === 'acknowledges-without-storing' || fault === 'forgets-but-lookup-says-200') {
      // Answers as if the coupon were created, and keeps nothing (a queue that drops, a rolled-back write).
      return json(res, 200, { couponCode: code, ...body });
    }
    if (fault === 'stores-duplicates') {
      // No unique constraint and no idempotency: every copy is a row, and every answer looks right.
      rows.push(body);
      stored.set(code as string, body);
      return json(res, 200, { couponCode: code, ...body });
    }
    const existing = stored.get(code as string);
    if (existing) {
      if (fault === 'retry-fails') return json(res, 500, { code: 'internal_error', message: 'duplicate key' });
      if (fault === 'overwrites-on-reuse') {
        stored.set(code as string, body);
        rows.splice(rows.indexOf(existing), 1, body);
      } else if (!isDeepStrictEqual(existing, body)) {
        return json(res, 409, { code: 'code_conflict', message: 'other attributes' });
      }
    } else {
      if (fault === 'racy-duplicates') {
        // Check-then-insert with a gap that lasts until a second copy of the code arrives: concurrent
        // duplicates then both think they are first. A delivery nobody duplicates is let go after
        // 500 turns of the event loop, not after some milliseconds: the harness runs in this
        // process, so however loaded the machine, its 20 copies reach the server within those
        // turns (loopback sockets need no wall-clock time, only turns of this loop), while a clock
        // fallback passed whenever load spread the copies wider than it.
        const arrived = racing.get(code as string);
        if (arrived) {
          arrived();
        } else {
          await new Promise<void>((resolve) => {
            let turns = 0;
            let released = false;
            racing.set(code as string, () => {
              released = true;
              resolve();
            });
            const spin = (): void => {
              if (released) return;
              if (++turns < 500) {
                setImmediate(spin);
                return;
              }
              racing.delete(code as string);
              resolve();
            };
            setImmediate(spin);
          });
        }
        if (stored.has(code as string))
          return json(res, 500, { code: 'internal_error', message: 'UNIQUE constraint failed' });
      }
      stored.set(code as string, body);
      rows.push(
        fault === 'mangles-non-ascii'
          ? { ...body, playerUniqueId: String(body.playerUniqueId).replace(/[^\x00-\x7f]/gu, '?') }
          : body,
      );
    }
    const answer = fault === 'omits-code' ? { ok: true } : { couponCode: code, ...body };
    if (fault === 'answers-201') return json(res, 201, answer);
    if (fault === 'answers-with-escapes') {
      // Raw terminal controls after the JSON: clear the screen, a C1 CSI.
      res.writeHead(200, { 'content-type': 'application/json' }).end(`${JSON.stringify(answer)}\u001b[2J\u009b31m`);
      return;
    }
    if (fault === 'answers-text') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`created ${String(code)}`);
      return;
    }
    json(res, 200, answer);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit && !refused) {
        refused = true;
        json(res, 413, { code: 'payload_too_large', message: 'too large' });
      }
      if (!refused) chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) void handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/coupons`,
    token,
    stored,
    rows,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
