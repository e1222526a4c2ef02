// A merchant with its own payload template (the shape of Gameball's doc example) and its own
// answer shape: the harness renders that template, finds the code where --code-pointer says, and
// skips only what the contract cannot judge.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../harness/run/verify.ts';

const token = 'custom-template-token';
const template =
  '{"customerId":"{{playerUniqueId}}","amount":"{{value}}","code":"{{code}}","kind":"{{couponType}}","products":{{entitledProductIds}}}';
const received: Record<string, unknown>[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  const coupons = new Map<string, string>();
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const reply = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (req.headers['x-shop-key'] !== token) return reply(403, { error: 'forbidden' });
      if (raw.length > 512 * 1024) return reply(413, { error: 'too large' });
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return reply(400, { error: 'bad json' });
      }
      received.push(body);
      // What this merchant needs of a coupon: whose, which code, what kind, how much (when the
      // template carries it).
      const amount = body.amount === undefined ? 0 : Number(body.amount);
      const code = body.code;
      if (
        typeof code !== 'string' ||
        !/^[\w-]{1,64}$/.test(code) ||
        typeof body.customerId !== 'string' ||
        !/^.{1,200}$/u.test(body.customerId) ||
        ![
          'amount',
          'percent',
          'product',
          'shipping',
          'fixed_discount',
          'percentage_discount',
          'free_product',
          'free_delivery',
        ].includes(String(body.kind)) ||
        ('products' in body && !Array.isArray(body.products)) ||
        // The full template carries amount and products, the short ones neither: one without the other is broken.
        'products' in body !== 'amount' in body ||
        ('amount' in body && body.amount === '') ||
        !Number.isFinite(amount) ||
        amount < 0
      ) {
        return reply(422, { error: 'invalid' });
      }
      if (body.kind === 'percent' && amount > 100) return reply(422, { error: 'percentage over 100' });
      const key = JSON.stringify(body);
      const existing = coupons.get(code);
      if (existing !== undefined && existing !== key) return reply(409, { error: 'conflict' });
      coupons.set(code, key);
      reply(200, { data: { code, status: 'created' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/gameball/coupon`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('a custom template with --code-pointer', () => {
  it('passes every check it can judge and skips response conformance', async () => {
    const report = await verify(
      {
        url,
        method: 'POST',
        queryParams: [{ key: 'store', value: 'eg' }],
        headers: [{ key: 'X-Shop-Key', value: token }],
        payload: template,
        couponMapping: { fixed: 'amount', percentage: 'percent', freeProduct: 'product', freeShipping: 'shipping' },
        enableFixedRate: true,
        enablePercentage: true,
        enableFreeProduct: true,
        enableFreeShipping: false,
      },
      { seed: 31, codePointer: '/data/code', latencyBudgetMs: 5000 },
    );
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId['response-conformance']!.status).toBe('skipped');
    // Only what looks like a credential is withheld: the shop key, not the store parameter.
    expect(byId['auth-required']!.message).toBe('Without x-shop-key: 403.');
    expect(report.checks.filter((c) => c.status === 'failed').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    // Quoted placeholders arrive as strings, the mapping names the type, no free shipping was sent.
    const first = received.find((b) => b.kind === 'percent')!;
    expect(first.amount).toBe('10');
    expect(Array.isArray(first.products)).toBe(true);
    expect(received.some((b) => b.kind === 'shipping')).toBe(false);
  });

  it('fails accepted when the pointer names a place the code is not', async () => {
    const report = await verify(
      { url, method: 'POST', headers: [{ key: 'X-Shop-Key', value: token }], payload: template },
      { seed: 32, codePointer: '/data/id', only: ['accepted'] },
    );
    const accepted = report.checks.find((c) => c.id === 'accepted')!;
    expect(accepted.status).toBe('failed');
    expect(accepted.kind).toBe('code-missing');
    expect(accepted.message).toContain('/data/id does not hold the code');
    // Where it is instead, so the user can fix the pointer.
    expect(accepted.message).toContain('(it is at /data/code)');
  });

  it('does not judge broken values a template cannot carry (no {{value}}), and says so', async () => {
    const report = await verify(
      {
        url,
        method: 'POST',
        headers: [{ key: 'X-Shop-Key', value: token }],
        payload: '{"customerId":"{{playerUniqueId}}","code":"{{code}}","kind":"{{couponType}}"}',
      },
      { seed: 33, codePointer: '/data/code', latencyBudgetMs: 5000 },
    );
    expect(report.checks.filter((c) => c.status === 'failed').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    const badInput = report.checks.find((c) => c.id === 'bad-input')!;
    expect(badInput.message).toContain('/value missing (the template does not carry it as a value of its own)');
    expect(badInput.message).toContain('/value of the wrong type ("ten"), /value below minimum 0 (-1)');
  });

  it('skips conflicting-reuse when the template carries neither the customer nor the value', async () => {
    const report = await verify(
      {
        url,
        method: 'POST',
        headers: [{ key: 'X-Shop-Key', value: token }],
        payload: '{"code":"{{code}}","kind":"{{couponType}}"}',
      },
      { seed: 34, codePointer: '/data/code', only: ['conflicting-reuse'] },
    );
    expect(report.checks.find((c) => c.id === 'conflicting-reuse')!.status).toBe('skipped');
  });
});
