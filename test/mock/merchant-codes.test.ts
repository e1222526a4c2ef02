// The stand-in with a template without {{code}}: the merchant generates the code (Gameball's
// tutorial reading). The coupon lives under the merchant's code, through checkout; a code another
// coupon holds, or no code, is a failed redemption with nothing stored and no points spent. And the
// coupon types Gameball's redemption rules name beyond couponMapping's four.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { startMock } from '../../mock/index.ts';
import { startServer } from '../../server/index.ts';
import { gameballClient, type RecordingMerchant, startRecordingMerchant } from './support.ts';

let merchant: RecordingMerchant;
let mock: Awaited<ReturnType<typeof startMock>>;
let gb: ReturnType<typeof gameballClient>;

beforeAll(async () => {
  merchant = await startRecordingMerchant();
});
afterAll(async () => {
  await merchant.close();
});
beforeEach(async () => {
  merchant.requests.length = 0;
  merchant.behave({ answer: 'own-codes' });
  mock = await startMock({ logLevel: 'silent', merchantTimeoutMs: 10_000, seed: 11 });
  gb = gameballClient(mock.url);
  await gb.putConfiguration(ownCodesConfiguration());
});

/** Gameball's tutorial template, without {{code}}; a `reference` the template carries as it is. */
const ownCodesConfiguration = (reference?: string) => ({
  url: merchant.url,
  method: 'POST',
  payload: `{"customerId":"{{playerUniqueId}}","value":"{{amount}}","couponType":"{{discount_type}}"${reference ? `,"reference":"${reference}"` : ''}}`,
});
afterEach(async () => {
  await mock.stop();
});

interface Delivery {
  code?: string;
  codeMode: string;
  accepted: boolean;
  kind: string;
  verdict: string;
  response?: { body: string };
}

describe('the merchant makes the code', () => {
  it("stores and lists the coupon under the merchant's code, which validates and burns", async () => {
    const redeemed = await gb.redeem('CUS_10482');
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
    expect(redeemed.body).toMatchObject({ code: 'SHOP-1' });
    expect(merchant.requests[0]!.body).toBe(
      '{"customerId":"CUS_10482","value":"10","couponType":"percentage_discount"}',
    );
    const listed = (await gb.coupons('CUS_10482')).body as { coupons: { code: string }[] };
    expect(listed.coupons.map((c) => c.code)).toEqual(['SHOP-1']);
    const validated = await gb.validate('SHOP-1', { customerId: 'CUS_10482', lock: true });
    expect(validated.status).toBe(200);
    const { lockReference } = validated.body as { lockReference: string };
    const order = await gb.call('POST', '/orders', '/orders', {
      customerId: 'CUS_10482',
      orderId: 'ORD-SHOP-1',
      orderDate: '2026-11-20T09:31:02Z',
      totalPaid: 120,
      redemption: { couponsLockReference: lockReference },
    });
    expect(order.status).toBe(200);
    const used = (await gb.coupons('CUS_10482')).body as { coupons: { code: string; usedCount: number }[] };
    expect(used.coupons).toEqual([expect.objectContaining({ code: 'SHOP-1', usedCount: 1 })]);
    const { deliveries } = (await gb.control('GET', '/__gb/deliveries')).body as { deliveries: Delivery[] };
    expect(deliveries).toEqual([expect.objectContaining({ code: 'SHOP-1', codeMode: 'merchant', accepted: true })]);
  });

  it('Test Connection shows the code that came back', async () => {
    const { status, body } = await gb.control('POST', '/__gb/test-connection');
    expect(status).toBe(200);
    expect(body).toMatchObject({ accepted: true, kind: 'accepted', code: 'SHOP-1', codeMode: 'merchant' });
    expect((body as Delivery).response!.body).toBe('{"couponCode":"SHOP-1"}');
  });

  it('refuses a code another coupon holds: a Gameball error, nothing stored, no points spent', async () => {
    merchant.behave({ answer: 'same-code' });
    expect((await gb.redeem('CUS_FIRST')).status).toBe(200);
    const before = (await gb.customer('CUS_SECOND')).body;
    const refused = await gb.redeem('CUS_SECOND');
    expect(refused).toMatchObject({ status: 502, body: { code: 502, type: 'CustomCouponEngine' } });
    const message = (refused.body as { message: string }).message;
    expect(message).toContain(
      'its code SHOP-SAME was already given to another delivery (the coupon of customer CUS_FIRST',
    );
    expect(message).toContain('No coupon was created and no points were spent');
    expect((await gb.coupons('CUS_SECOND')).body).toEqual({ coupons: [] });
    expect((await gb.customer('CUS_SECOND')).body).toEqual(before);
    const listed = (await gb.coupons('CUS_FIRST')).body as { coupons: { code: string }[] };
    expect(listed.coupons.map((c) => c.code)).toEqual(['SHOP-SAME']);
    const { deliveries } = (await gb.control('GET', '/__gb/deliveries')).body as { deliveries: Delivery[] };
    expect(deliveries.at(-1)).toMatchObject({ accepted: false, kind: 'duplicate-code', code: 'SHOP-SAME' });
  });

  it("keeps the merchant's codes issued through a reset: one it gives again is refused", async () => {
    merchant.behave({ answer: 'same-code' });
    expect((await gb.redeem('CUS_FIRST')).status).toBe(200);
    await gb.control('POST', '/__gb/reset');
    await gb.putConfiguration(ownCodesConfiguration());
    const again = await gb.redeem('CUS_SECOND');
    expect(again).toMatchObject({ status: 502, body: { message: expect.stringContaining('SHOP-SAME') } });
    expect((again.body as { message: string }).message).toContain('the code the merchant gave customer CUS_FIRST');
  });

  it('never proposes to the merchant a code it made, after a reset, whatever the seed', async () => {
    // The first two codes seed 11 proposes, from a stand-in of its own.
    const probe = await startMock({ logLevel: 'silent', seed: 11 });
    const probing = gameballClient(probe.url);
    await probing.putConfiguration({ url: merchant.url, method: 'POST' });
    merchant.behave({ answer: 'ok' });
    const proposed = [];
    for (const customerId of ['CUS_A', 'CUS_B']) {
      proposed.push(((await probing.redeem(customerId, 1022)).body as { code: string }).code);
    }
    await probe.stop();
    // Seed 11 again: the first redemption takes the first code; the merchant answers the second as its own
    // (a fixed reference in the template, which the recording merchant echoes).
    await gb.putConfiguration(ownCodesConfiguration(proposed[1]));
    expect((await gb.redeem('CUS_A', 1022)).body).toMatchObject({ code: proposed[1] });
    await gb.control('POST', '/__gb/reset');
    await gb.putConfiguration({ url: merchant.url, method: 'POST' });
    merchant.requests.length = 0;
    // Seed 11 would propose the second code next: it is the merchant's, so another is proposed.
    const next = (await gb.redeem('CUS_B', 1022)).body as { code: string };
    expect(next.code).toMatch(/^GBSHIP-/);
    expect(next.code).not.toBe(proposed[1]);
    expect(merchant.requests.map((r) => r.body).join('\n')).not.toContain(proposed[1]!);
  });

  it("holds the rule's points during the call and spends them under the merchant's code; a refused code releases them", async () => {
    const ledgerOf = async (customerId: string) =>
      (await gb.call('GET', '/__gb/customers/{customerId}/transactions', `/__gb/customers/${customerId}/transactions`))
        .body as { entries: { kind: string; points: number; couponCode?: string }[]; held: number; balance: number };
    merchant.behave({ answer: 'same-code' });
    expect((await gb.redeem('CUS_FIRST')).status).toBe(200);
    const first = await ledgerOf('CUS_FIRST');
    expect(first.entries.map((e) => e.kind)).toEqual(['opening', 'hold', 'release', 'spend']);
    expect(first.entries.at(-1)).toMatchObject({ couponCode: 'SHOP-SAME' });
    expect(first.held).toBe(0);
    expect((await gb.redeem('CUS_SECOND')).status).toBe(502);
    const second = await ledgerOf('CUS_SECOND');
    expect(second.entries.map((e) => e.kind)).toEqual(['opening', 'hold', 'release']);
    expect(second).toMatchObject({ held: 0, balance: 1000 });
  });

  it('refuses an empty code: nothing stored', async () => {
    merchant.behave({ answer: 'empty-code' });
    const refused = await gb.redeem('CUS_10482');
    expect(refused.status).toBe(502);
    expect((refused.body as { message: string }).message).toContain('/couponCode does not hold a code');
    expect((await gb.coupons('CUS_10482')).body).toEqual({ coupons: [] });
    const { deliveries } = (await gb.control('GET', '/__gb/deliveries')).body as { deliveries: Delivery[] };
    expect(deliveries).toEqual([expect.objectContaining({ accepted: false, kind: 'code-missing' })]);
    expect(deliveries[0]).not.toHaveProperty('code');
  });
});

describe('the stand-in and the reference server, without {{code}}', () => {
  it("redeems a fixed_rate_discount rule and a custom one: each coupon under the server's own code, stored there", async () => {
    const token = 'stand-in-to-server';
    const server = await startServer({ port: 0, ephemeral: true, token, logger: false, drainMs: 0 });
    try {
      await gb.putConfiguration(defaultConfiguration(`${server.url}/coupons`, token, 'merchant-code'));
      await gb.call('POST', '/__gb/customers/{customerId}/points', '/__gb/customers/CUS_REF/points', { points: 2000 });
      const codes: string[] = [];
      for (const ruleId of [1021, 1025, 1026]) {
        const redeemed = await gb.redeem('CUS_REF', ruleId);
        expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
        codes.push((redeemed.body as { code: string }).code);
      }
      expect(codes.every((code) => /^GB-[A-HJ-NP-Z2-9]{10}$/.test(code))).toBe(true);
      expect(new Set(codes).size).toBe(3);
      const stored = await Promise.all(
        codes.map(async (code) => {
          const response = await fetch(`${server.url}/coupons/${code}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          return (await response.json()) as { couponType: string };
        }),
      );
      expect(stored.map((coupon) => coupon.couponType)).toEqual(['percentage_discount', 'fixed_discount', 'custom']);
    } finally {
      await server.close();
    }
  });
});

describe("the coupon types of Gameball's redemption rules", () => {
  it('lists a fixed_rate_discount rule and a custom one', async () => {
    const { body } = await gb.call('GET', '/configurations/redemption', '/configurations/redemption');
    const types = (body as { redemptionRules: { id: number; coupon: { couponType: string } }[] }).redemptionRules
      .filter((rule) => rule.id === 1025 || rule.id === 1026)
      .map((rule) => rule.coupon.couponType);
    expect(types).toEqual(['fixed_rate_discount', 'custom']);
  });

  it('sends a fixed_rate_discount coupon through the fixed mapping, and a custom one as custom', async () => {
    expect((await gb.redeem('CUS_FR', 1025)).status).toBe(200);
    expect(JSON.parse(merchant.requests[0]!.body)).toEqual({
      customerId: 'CUS_FR',
      value: '5',
      couponType: 'fixed_discount',
    });
    await gb.call('POST', '/__gb/customers/{customerId}/points', '/__gb/customers/CUS_CUSTOM/points', { points: 1000 });
    const custom = await gb.redeem('CUS_CUSTOM', 1026);
    expect(custom.status).toBe(200);
    expect(JSON.parse(merchant.requests.at(-1)!.body)).toMatchObject({ couponType: 'custom' });
    const listed = (await gb.coupons('CUS_CUSTOM')).body as { coupons: { type: string }[] };
    expect(listed.coupons.map((c) => c.type)).toEqual(['Custom']);
  });
});
