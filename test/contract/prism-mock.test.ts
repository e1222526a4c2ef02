// `prism mock openapi/gameball.yaml` is the stand-in for Gameball: it must serve the named
// examples on every operation, enforce the keys, and, like the dashboard's Test Connection, call
// the merchant URL when a configuration is PUT.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractDocument } from '../../openapi/contract.ts';
import type { paths } from '../../openapi/generated/gameball.ts';
import { resolveRef } from '../../openapi/json-pointer.ts';
import { freePort, type RunningProcess, startProcess } from '../support/processes.ts';

interface Operation {
  path: string;
  method: string;
  parameters?: { name: string; in: string; example?: unknown; examples?: Record<string, { value: unknown }> }[];
  requestBody?: { content: Record<string, { examples: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { examples?: Record<string, unknown> }> }>;
  security?: Record<string, string[]>[];
}

const document = contractDocument('gameball');
const exampleValue = (example: unknown): unknown => (resolveRef(document, example) as { value: unknown }).value;

const operations: Operation[] = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item as Record<string, object>).map(
    ([method, op]) => ({ path, method, ...(op as object) }) as Operation,
  ),
);

let prism: RunningProcess;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  prism = startProcess('node_modules/.bin/prism', [
    'mock',
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    'openapi/gameball.yaml',
  ]);
  await prism.waitFor(/Prism is listening/, 45_000);
  base = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  await prism?.stop();
});

function urlFor(op: Operation): string {
  let path = op.path;
  const query = new URLSearchParams();
  for (const p of op.parameters ?? []) {
    const value = String(p.example ?? Object.values(p.examples ?? {})[0]?.value);
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(value));
    if (p.in === 'query') query.set(p.name, value);
  }
  return `${base}${path}${query.size ? `?${query}` : ''}`;
}

function bodyFor(op: Operation, exampleName?: string): string | undefined {
  const examples = op.requestBody?.content['application/json']?.examples;
  if (!examples) return undefined;
  const chosen = (exampleName && examples[exampleName]) || Object.values(examples)[0];
  return JSON.stringify(exampleValue(chosen));
}

// Gameball's document names the headers `apikey` and `secretkey`.
const keys = { apikey: 'gb_test_api_key', secretkey: 'gb_test_secret_key' };

describe('prism mock of Gameball', () => {
  it.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
    '%s serves its named examples',
    async (_label, op) => {
      // The documented success: 200 everywhere but for the one operation Gameball answers 202.
      const [okStatus, ok] = Object.entries(op.responses).find(([status]) => status.startsWith('2'))!;
      const okExamples = ok.content?.['application/json']?.examples ?? {};
      const names = Object.keys(okExamples);
      for (const name of names.length ? names : [undefined]) {
        const body = bodyFor(op, name);
        const response = await fetch(urlFor(op), {
          method: op.method.toUpperCase(),
          headers: {
            ...keys,
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...(name ? { Prefer: `example=${name}` } : {}),
          },
          body: body ?? null,
        });
        expect(response.status, `${name}: ${await response.clone().text()}`).toBe(Number(okStatus));
        if (name) expect(await response.json()).toEqual(exampleValue(okExamples[name]));
      }
    },
  );

  it.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
    '%s answers 401 with a Gameball error body without keys',
    async (_label, op) => {
      const body = bodyFor(op);
      const response = await fetch(urlFor(op), {
        method: op.method.toUpperCase(),
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ?? null,
      });
      expect(response.status).toBe(401);
    },
  );

  it("a typed client (openapi-fetch + the generated types) follows Adam's redemption", async () => {
    const gameball = createClient<paths>({ baseUrl: base, headers: keys });
    const options = await gameball.GET('/api/v4.0/integrations/configurations/redemption', {
      params: { query: { customerId: 'CUS_10482' } },
    });
    expect(options.data!.redemptionFactor).toBe(0.1);
    const rule = options.data!.redemptionRules!.find((r) => r.pointsToRedeem === 500)!;
    expect(rule.coupon!.couponType).toBe('percentage_discount');
    const coupon = await gameball.POST('/api/v4.0/integrations/coupons/predefined', {
      body: { customerId: 'CUS_10482', ruleId: rule.id! },
    });
    expect(coupon.error).toBeUndefined();
    const code = coupon.data!.code!;
    expect(code).toBe('GB10-ADM7Q2K9');
    const listed = await gameball.GET('/api/v4.0/integrations/customers/{customerId}/coupons', {
      params: { path: { customerId: 'CUS_10482' } },
    });
    expect(listed.data!.coupons!.map((c) => c.code)).toContain(code);
    const locked = await gameball.POST('/api/v4.0/integrations/coupons/{code}/validate', {
      params: { path: { code } },
      body: { customerId: 'CUS_10482', lock: true },
    });
    expect(locked.data).toMatchObject({ valid: true, coupon: { code, type: 'percentage' } });
    const order = await gameball.POST('/api/v4.0/integrations/orders', {
      body: {
        customerId: 'CUS_10482',
        orderId: 'ORD-58231',
        orderDate: '2026-11-20T09:31:02Z',
        totalPaid: 405,
        redemption: { couponsLockReference: locked.data!.lockReference! },
      },
    });
    expect(order.data!.rewardedPoints).toBe(40);
    const refused = await createClient<paths>({ baseUrl: base }).POST('/api/v4.0/integrations/coupons/predefined', {
      body: { customerId: 'CUS_10482', ruleId: rule.id! },
    });
    expect(refused.response.status).toBe(401);
  });

  it("accepts Gameball's header names in any case (apikey, APIKey)", async () => {
    const response = await fetch(`${base}/api/v4.0/integrations/customers/CUS_10482/coupons`, {
      headers: { APIKey: keys.apikey, SecretKey: keys.secretkey },
    });
    expect(response.status).toBe(200);
  });

  it('answers 401 without the secretkey where Gameball requires both keys, and 200 where the apikey is enough', async () => {
    const apikeyOnly = { apikey: keys.apikey };
    const coupons = await fetch(`${base}/api/v4.0/integrations/customers/CUS_10482/coupons`, { headers: apikeyOnly });
    expect(coupons.status).toBe(401);
    const options = await fetch(`${base}/api/v4.0/integrations/configurations/redemption`, { headers: apikeyOnly });
    expect(options.status).toBe(200);
  });

  it('refuses a burn that names neither coupons nor a lockReference, and takes either one', async () => {
    const burn = (body: object) =>
      fetch(`${base}/api/v4.0/integrations/coupons/burn`, {
        method: 'POST',
        headers: { ...keys, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect([400, 422]).toContain((await burn({ customerId: 'CUS_10482' })).status);
    expect((await burn({ customerId: 'CUS_10482', coupons: ['GB10-ADM7Q2K9'] })).status).toBe(200);
    expect((await burn({ customerId: 'CUS_10482', lockReference: 'LCK-7F3A91C2' })).status).toBe(200);
  });

  it('rejects a configuration with booleans in couponMapping (422 or 400)', async () => {
    const response = await fetch(`${base}/api/v4.0/integrations/configurations/coupon`, {
      method: 'PUT',
      headers: { ...keys, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: 'https://shop.example.com/coupons',
        method: 'POST',
        couponMapping: { percentage: true },
      }),
    });
    expect([400, 422]).toContain(response.status);
  });

  describe('Test Connection callback', () => {
    let merchant: Server;
    const received: {
      method?: string | undefined;
      url?: string | undefined;
      headers: IncomingHttpHeaders;
      body: string;
    }[] = [];

    beforeAll(async () => {
      merchant = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          received.push({ method: req.method, url: req.url, headers: req.headers, body });
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ couponCode: 'GBTEST-CONNECTION' }));
        });
      });
      await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      await new Promise((resolve) => merchant.close(resolve));
    });

    it('PUT /configurations/coupon makes Prism send the test delivery to the configured url', async () => {
      const address = merchant.address() as { port: number };
      const response = await fetch(`${base}/api/v4.0/integrations/configurations/coupon`, {
        method: 'PUT',
        headers: { ...keys, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `http://127.0.0.1:${address.port}/coupons`, method: 'POST' }),
      });
      expect(response.status).toBe(200);
      await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThan(0);
      const delivery = received[0]!;
      expect(delivery.method).toBe('POST');
      expect(delivery.url).toBe('/coupons');
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(JSON.parse(delivery.body)).toEqual(exampleValue({ $ref: '#/components/examples/TestConnectionDelivery' }));
    });
  });
});
