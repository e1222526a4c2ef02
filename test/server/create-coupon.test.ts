// POST /coupons and GET /coupons/{code}: the contract's named examples, idempotency on the code,
// and conflicting reuse. The store's contract: every case runs against SQLite and PostgreSQL alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerOptions } from '../../server/index.ts';
import {
  couponResponse,
  delivery,
  deliveryExamples,
  errorBody,
  postgresForFile,
  startTestServer,
  storedCouponResponse,
  storeKinds,
  type TestServer,
} from './helpers.ts';

const postgres = postgresForFile();

describe.each(storeKinds)('on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind === 'postgres' ? { db: await (await postgres()).createDatabase() } : {});
  });
  afterAll(async () => {
    await server.dispose();
  });

  const countFor = (code: string): Promise<number> => server.rows(code);

  describe('the contract examples', () => {
    const examples = Object.entries(deliveryExamples());

    it('has the named examples this test expects', () => {
      expect(examples.map(([name]) => name).sort()).toEqual([
        'adamRedeems',
        'extended',
        'extendedFreeProduct',
        'freeProduct',
        'freeShipping',
        'merchantCode',
        'sarahCampaign',
        'testConnection',
      ]);
    });

    it.each(examples)(
      '%s answers 200 with its code (or one of its own), in the contract shape, and can be read back',
      async (_name, example) => {
        const response = await server.post(example);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        const body = (await response.json()) as Record<string, unknown>;
        expect(couponResponse(body), JSON.stringify(couponResponse.errors)).toBe(true);
        const { code, ...attributes } = example;
        const expected = code ?? expect.stringMatching(/^GB-[A-HJ-NP-Z2-9]{10}$/);
        expect(body).toEqual({ couponCode: expected, ...attributes, createdAt: expect.any(String) });
        expect(Date.parse(body.createdAt as string)).not.toBeNaN();

        const read = await server.get(`/coupons/${encodeURIComponent(body.couponCode as string)}`);
        expect(read.status).toBe(200);
        const stored = await read.json();
        expect(storedCouponResponse(stored)).toBe(true);
        expect(stored).toEqual(body);
      },
    );
  });

  describe('a delivery without code: the merchant generates the code', () => {
    const withoutCode = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
      const { code: _code, ...rest } = delivery('UNUSED', overrides);
      return rest;
    };

    it('stores the coupon under a code of its own before answering it, one row', async () => {
      const response = await server.post(withoutCode({ playerUniqueId: 'GEN-ONE' }));
      expect(response.status).toBe(200);
      const body = (await response.json()) as { couponCode: string };
      expect(body.couponCode).toMatch(/^GB-[A-HJ-NP-Z2-9]{10}$/);
      expect(await countFor(body.couponCode)).toBe(1);
      expect(await (await server.get(`/coupons/${body.couponCode}`)).json()).toEqual(body);
    });

    it('answers the identical delivery sent again with a second coupon: nothing in it tells a retry', async () => {
      const same = withoutCode({ playerUniqueId: 'GEN-TWICE' });
      const first = (await (await server.post(same)).json()) as { couponCode: string };
      const second = (await (await server.post(same)).json()) as { couponCode: string };
      expect(second.couponCode).not.toBe(first.couponCode);
      expect(await countFor(first.couponCode)).toBe(1);
      expect(await countFor(second.couponCode)).toBe(1);
    });

    it('gives 30 concurrent deliveries 30 different codes, each stored once', async () => {
      const answers = await Promise.all(
        Array.from({ length: 30 }, () => server.post(withoutCode({ playerUniqueId: 'GEN-BURST' }))),
      );
      const codes = await Promise.all(
        answers.map(async (r) => ((await r.json()) as { couponCode: string }).couponCode),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200));
      expect(new Set(codes).size).toBe(30);
      for (const code of codes.slice(0, 3)) expect(await countFor(code)).toBe(1);
    });

    it('still validates the rest of the delivery (422, nothing stored)', async () => {
      const before = await server.rows();
      const response = await server.post(withoutCode({ playerUniqueId: '' }));
      expect(response.status).toBe(422);
      expect(await server.rows()).toBe(before);
    });
  });

  describe('idempotency on the code', () => {
    it('answers a repeated delivery with the same coupon, createdAt included, and keeps one row', async () => {
      const coupon = delivery('IDEM-SEQ-1', { extraFromGameball: { nested: [1, 2] } });
      const answers = [];
      for (let i = 0; i < 5; i++) {
        const response = await server.post(coupon);
        expect(response.status).toBe(200);
        answers.push(await response.json());
      }
      for (const answer of answers) expect(answer).toEqual(answers[0]);
      expect(await server.rows()).toBeGreaterThan(0);
      expect(await countFor('IDEM-SEQ-1')).toBe(1);
    });

    it('treats the same attributes in another key order as the same delivery', async () => {
      const coupon = delivery('IDEM-ORDER-1');
      const first = await (await server.post(coupon)).json();
      const reversed = Object.fromEntries(Object.entries(coupon).reverse());
      const again = await server.post(reversed);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(first);
    });

    it('treats a repeated delivery whose number is written -0 as the 0 it was stored as', async () => {
      const text = JSON.stringify(delivery('IDEM-ZERO-1', { minOrderValue: 0 }));
      const first = await server.post(text.replace('"minOrderValue":0', '"minOrderValue":-0'));
      expect(first.status).toBe(200);
      const again = await server.post(text.replace('"minOrderValue":0', '"minOrderValue":-0'));
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(await first.json());
    });

    it('answers 50 concurrent identical deliveries with 200 and the same coupon, and stores one row', async () => {
      const coupon = delivery('IDEM-CONCURRENT-1');
      const responses = await Promise.all(Array.from({ length: 50 }, () => server.post(coupon)));
      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
      const bodies = await Promise.all(responses.map((r) => r.json()));
      for (const body of bodies) expect(body).toEqual(bodies[0]);
      expect(await countFor('IDEM-CONCURRENT-1')).toBe(1);
    });

    it('answers 409 to the same code with other attributes, naming each difference, and changes nothing', async () => {
      const original = delivery('CONFLICT-1');
      const created = await (await server.post(original)).json();
      const response = await server.post({ ...original, value: 15, source: 'Automation Flow', surprise: true });
      expect(response.status).toBe(409);
      const error = await errorBody(response);
      expect(error.code).toBe('code_conflict');
      expect(error.details!.map((d) => d.field).sort()).toEqual(['source', 'surprise', 'value']);
      expect(error.details!.find((d) => d.field === 'value')).toMatchObject({ stored: 10, received: 15 });
      expect(await (await server.get('/coupons/CONFLICT-1')).json()).toEqual(created);
      expect(await countFor('CONFLICT-1')).toBe(1);
    });

    it('answers 409 when a field is left out on the second delivery', async () => {
      const original = delivery('CONFLICT-2');
      expect((await server.post(original)).status).toBe(200);
      const { source: _dropped, ...withoutSource } = original;
      const response = await server.post(withoutSource);
      expect(response.status).toBe(409);
      expect((await errorBody(response)).details).toEqual([
        { field: 'source', message: 'stored "Points Redemption", received (absent)', stored: 'Points Redemption' },
      ]);
    });

    it('settles concurrent deliveries of one code with different attributes: one wins, the rest are 200 or 409', async () => {
      const variants = Array.from({ length: 20 }, (_, i) => delivery('RACE-1', { value: 1 + (i % 2) }));
      const responses = await Promise.all(variants.map((v) => server.post(v)));
      const winners = await Promise.all(
        responses.filter((r) => r.status === 200).map((r) => r.json() as Promise<{ value: number }>),
      );
      expect(responses.every((r) => r.status === 200 || r.status === 409)).toBe(true);
      expect(new Set(winners.map((w) => w.value)).size).toBe(1);
      expect(responses.filter((r) => r.status === 409)).toHaveLength(10);
      expect(await countFor('RACE-1')).toBe(1);
    });
  });

  describe('GET /coupons/{code}', () => {
    it('answers 404 with the error body for an unknown code', async () => {
      const response = await server.get('/coupons/NOPE-404');
      expect(response.status).toBe(404);
      expect((await errorBody(response)).code).toBe('not_found');
    });

    it('treats codes as case-sensitive', async () => {
      expect((await server.post(delivery('CaseCode'))).status).toBe(200);
      expect((await server.get('/coupons/casecode')).status).toBe(404);
    });
  });

  describe('GET /healthz', () => {
    it('answers 200 without credentials', async () => {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', store: kind });
    });
  });
});

describe.each(storeKinds)('generated codes on %s', (kind) => {
  const database = async (): Promise<Partial<ServerOptions>> =>
    kind === 'postgres' ? { db: await (await postgres()).createDatabase() } : {};
  const withoutCode = (): Record<string, unknown> => {
    const { code: _code, ...rest } = delivery('UNUSED');
    return rest;
  };

  it('take the configured prefix and length', async () => {
    const server = await startTestServer({ ...(await database()), codePrefix: 'SHOP_', codeLength: 6 });
    try {
      const body = (await (await server.post(withoutCode())).json()) as { couponCode: string };
      expect(body.couponCode).toMatch(/^SHOP_[A-HJ-NP-Z2-9]{6}$/);
    } finally {
      await server.dispose();
    }
  });

  it('are drawn again when the code is taken, and the coupon holding it is left alone', async () => {
    const candidates = ['GEN-TAKEN', 'GEN-TAKEN', 'GEN-FREE'];
    const server = await startTestServer({ ...(await database()), generateCode: () => candidates.shift()! });
    try {
      const taken = delivery('GEN-TAKEN', { playerUniqueId: 'FIRST-OWNER' });
      expect((await server.post(taken)).status).toBe(200);
      const response = await server.post(withoutCode());
      expect(response.status).toBe(200);
      expect(((await response.json()) as { couponCode: string }).couponCode).toBe('GEN-FREE');
      const kept = (await (await server.get('/coupons/GEN-TAKEN')).json()) as { playerUniqueId: string };
      expect(kept.playerUniqueId).toBe('FIRST-OWNER');
      expect(await server.rows()).toBe(2);
    } finally {
      await server.dispose();
    }
  });

  it('answer 500 with the error body, storing nothing, when every draw is taken', async () => {
    const server = await startTestServer({ ...(await database()), generateCode: () => 'GEN-ALWAYS' });
    try {
      expect((await server.post(delivery('GEN-ALWAYS'))).status).toBe(200);
      const response = await server.post(withoutCode());
      expect(response.status).toBe(500);
      expect((await errorBody(response)).message).toMatch(/no free coupon code/i);
      expect(await server.rows()).toBe(1);
    } finally {
      await server.dispose();
    }
  });
});
