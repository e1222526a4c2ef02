// Shared by the stand-in's tests: a recording merchant double (it keeps the exact bytes of every
// request and answers as told), and a small client of the stand-in that checks every answer
// against the document it belongs to.
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { responseBodyValidator, schemaValidator } from '../../openapi/contract.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type MerchantBehaviour =
  | { answer: 'ok'; pointer?: 'couponCode' | 'data.code' }
  | { answer: 'status'; status: number }
  | { answer: 'hang' }
  /** Codes of its own, as a merchant following Gameball's tutorial makes them: SHOP-1, SHOP-2, ... */
  | { answer: 'own-codes' }
  /** The same code of its own every time: two deliveries, one coupon. */
  | { answer: 'same-code' }
  /** 200 with an empty couponCode. */
  | { answer: 'empty-code' };

export interface RecordingMerchant {
  url: string;
  requests: RecordedRequest[];
  behave(behaviour: MerchantBehaviour): void;
  close(): Promise<void>;
}

/** Answers 200 with the code it finds in the body (under couponCode), or as told. */
export async function startRecordingMerchant(): Promise<RecordingMerchant> {
  const requests: RecordedRequest[] = [];
  let behaviour: MerchantBehaviour = { answer: 'ok' };
  let made = 0;
  const ownCode = { 'own-codes': () => `SHOP-${++made}`, 'same-code': () => 'SHOP-SAME', 'empty-code': () => '' };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      if (behaviour.answer === 'hang') return; // never answers; the stand-in's timeout must fire
      if (behaviour.answer === 'status') {
        // A wrong status that still carries the code: only exactly 200 creates the coupon.
        const code = /"(GB[A-Z0-9]*-[A-Z0-9]+)"/.exec(body)?.[1] ?? 'none';
        response
          .writeHead(behaviour.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ couponCode: code, message: 'as told' }));
        return;
      }
      if (behaviour.answer !== 'ok') {
        const couponCode = ownCode[behaviour.answer]();
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ couponCode }));
        return;
      }
      const code = /"(GB[A-Z0-9]*-[A-Z0-9]+)"/.exec(body)?.[1] ?? 'none';
      const payload = behaviour.pointer === 'data.code' ? { data: { code } } : { couponCode: code };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/gameball/coupons`,
    requests,
    behave: (next) => {
      behaviour = next;
      made = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const keys = { apikey: 'gb_test_api_key', secretkey: 'gb_test_secret_key' };
const base = '/api/v4.0/integrations';

export interface Answer {
  status: number;
  body: unknown;
}

/** Calls the stand-in and checks the answer against the document: 200s against the operation, errors against GameballError. */
export function gameballClient(mockUrl: string) {
  async function call(method: string, template: string, path: string, body?: unknown): Promise<Answer> {
    const isControl = template.startsWith('/__gb/');
    const response = await fetch(`${mockUrl}${isControl ? '' : base}${path}`, {
      method,
      headers: { ...keys, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (response.status === 200 && parsed !== undefined) {
      const validate = responseBodyValidator(
        isControl ? 'gameball-mock-control' : 'gameball',
        method,
        isControl ? template : `${base}${template}`,
        '200',
      );
      expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    } else if (response.status >= 400) {
      const validate = schemaValidator('gameball', 'GameballError');
      expect(validate(parsed), `${text} ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    return { status: response.status, body: parsed };
  }
  return {
    call,
    putConfiguration: (config: unknown) => call('PUT', '/configurations/coupon', '/configurations/coupon', config),
    redeem: (customerId: string, ruleId = 1021) =>
      call('POST', '/coupons/predefined', '/coupons/predefined', { customerId, ruleId }),
    coupons: (customerId: string) =>
      call('GET', '/customers/{customerId}/coupons', `/customers/${encodeURIComponent(customerId)}/coupons`),
    validate: (code: string, body: Record<string, unknown>) =>
      call('POST', '/coupons/{code}/validate', `/coupons/${encodeURIComponent(code)}/validate`, body),
    burn: (body: Record<string, unknown>) => call('POST', '/coupons/burn', '/coupons/burn', body),
    customer: (customerId: string) =>
      call('GET', '/__gb/customers/{customerId}', `/__gb/customers/${encodeURIComponent(customerId)}`),
    control: (method: string, path: string, body?: unknown) => call(method, path, path, body),
  };
}

/**
 * A request with its target sent byte for byte (fetch would resolve `..` and `%2e%2e` before
 * sending), answered with the status and the parsed body.
 */
export function rawRequest(
  mockUrl: string,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  const { hostname, port } = new URL(mockUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: hostname, port, method, path: target, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Checks that an answer is Gameball's error body with this code. */
export function expectGameballError(answer: { status: number; body: unknown }, status: number, code: number): void {
  expect(answer.status).toBe(status);
  const validate = schemaValidator('gameball', 'GameballError');
  expect(validate(answer.body), JSON.stringify(answer.body)).toBe(true);
  expect(answer.body).toMatchObject({ code });
}
