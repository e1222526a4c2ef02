// Small merchant endpoints written for the tests of the two code modes, each as a merchant following
// one reading of Gameball's documents would write it (node:http, in memory):
//   - `own-codes`: correct in both modes. With a `code` it creates the coupon under that code,
//     idempotent on it (409 for other attributes); without one it generates a code of its own, a
//     new one for every delivery (Gameball's tutorial: "your system generates the coupon and returns
//     the code"). It refuses what breaks a coupon with a JSON 4xx, and reads back GET /coupons/{code}.
//   - `same-code`: as `own-codes`, but a delivery without `code` always gets the one code SAME-CODE.
//   - `empty-code`: as `own-codes`, but a delivery without `code` gets 200 with an empty couponCode.
// The value may arrive as a number or as text ("10": the tutorial's template quotes {{amount}}); the
// customer is required unless `customerOptional` (the tutorial's template does not send one).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';

export type CodeMerchantKind = 'own-codes' | 'same-code' | 'empty-code';

export interface CodeMerchant {
  /** POST deliveries here; GET `${url}/{code}` reads one back. */
  url: string;
  token: string;
  /** The coupons, by code. */
  coupons: Map<string, Record<string, unknown>>;
  /** How many POSTs arrived. */
  received(): number;
  close(): Promise<void>;
}

const types = ['fixed_discount', 'percentage_discount', 'free_product', 'free_delivery', 'custom'];
const bodyLimit = 1024 * 1024;

/** What is wrong with a delivery, field by field. */
function problems(body: Record<string, unknown>, customerOptional: boolean): string[] {
  const found: string[] = [];
  const { playerUniqueId, code, couponType, value } = body;
  const customerGiven = 'playerUniqueId' in body || !customerOptional;
  if (
    customerGiven &&
    (typeof playerUniqueId !== 'string' || playerUniqueId.length === 0 || [...playerUniqueId].length > 200)
  )
    found.push('playerUniqueId');
  if ('code' in body && (typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(code))) found.push('code');
  if (!types.includes(String(couponType))) found.push('couponType');
  const amount = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (typeof amount !== 'number' || amount < 0 || (couponType === 'percentage_discount' && amount > 100))
    found.push('value');
  return found;
}

export async function startCodeMerchant(
  kind: CodeMerchantKind,
  options: { customerOptional?: boolean } = {},
  token = 'code-merchant-token',
): Promise<CodeMerchant> {
  const coupons = new Map<string, Record<string, unknown>>();
  let made = 0;
  let posts = 0;
  const json = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const newCode = (): string => {
    if (kind === 'same-code') return 'SAME-CODE';
    if (kind === 'empty-code') return '';
    made += 1;
    return `SHOP-${String(made).padStart(5, '0')}`;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { error: 'unauthorized' });
    const lookup = /^\/coupons\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && lookup) {
      const coupon = coupons.get(decodeURIComponent(lookup[1]!));
      return coupon ? json(res, 200, coupon) : json(res, 404, { error: 'not found' });
    }
    if (req.method !== 'POST' || req.url !== '/coupons') return json(res, 404, { error: 'no such path' });
    posts += 1;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return json(res, 400, { error: 'not JSON' });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return json(res, 422, { error: 'not an object' });
    const wrong = problems(body, options.customerOptional ?? false);
    if (wrong.length > 0) return json(res, 422, { error: 'invalid', fields: wrong });
    if (typeof body.code === 'string') {
      const existing = coupons.get(body.code);
      if (existing && !isDeepStrictEqual(existing.delivery, body)) return json(res, 409, { error: 'code taken' });
      const coupon = existing ?? { couponCode: body.code, delivery: body };
      coupons.set(body.code, coupon);
      return json(res, 200, coupon);
    }
    const code = newCode();
    const coupon = { couponCode: code, delivery: body };
    if (code !== '') coupons.set(code, coupon);
    return json(res, 200, coupon);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= bodyLimit) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > bodyLimit) return json(res, 413, { error: 'too large' });
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/coupons`,
    token,
    coupons,
    received: () => posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
