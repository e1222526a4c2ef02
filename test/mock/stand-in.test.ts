// The Gameball stand-in (startMock) over real HTTP on 127.0.0.1: the configuration it stores, the
// merchant calls it makes from that configuration (byte for byte), what it does when the merchant
// does not create the coupon, and the coupon's life at checkout.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mock/index.ts';
import { gameballClient, keys, type RecordingMerchant, startRecordingMerchant } from './support.ts';

let merchant: RecordingMerchant;
let mock: RunningMock;
let gb: ReturnType<typeof gameballClient>;

beforeAll(async () => {
  merchant = await startRecordingMerchant();
});
afterAll(async () => {
  await merchant.close();
});
beforeEach(async () => {
  merchant.requests.length = 0;
  merchant.behave({ answer: 'ok' });
  // The default merchant timeout (10 s): a test that expects the merchant's answer must not depend on
  // the machine answering within a tight bound (a 500 ms one made this file flaky under load).
  mock = await startMock({ logLevel: 'silent', seed: 7, ...accountKeys });
  gb = gameballClient(mock.url);
});
afterEach(async () => {
  await mock.stop();
});

/** The keys the client sends, configured: the stand-in then answers the configuration unredacted. */
const accountKeys = { apiKey: keys.apikey, secretKey: keys.secretkey };

const customTemplate =
  '{"customer":"{{playerUniqueId}}","coupon":"{{code}}","amount":{{value}},"kind":"{{couponType}}"}';

function configuration(overrides: Record<string, unknown> = {}) {
  return {
    url: merchant.url,
    method: 'POST',
    headers: [{ key: 'x-api-key', value: 'shop-key-9f2' }],
    payload: customTemplate,
    couponMapping: { fixed: 'amount_off', percentage: 'percent_off', freeProduct: 'gift', freeShipping: 'ship' },
    ...overrides,
  };
}

describe('the coupon configuration', () => {
  it('answers a PUT with 200 and no body, and a GET with what was PUT', async () => {
    const put = await gb.putConfiguration(configuration());
    expect(put).toEqual({ status: 200, body: undefined });
    const get = await gb.call('GET', '/configurations/coupon', '/configurations/coupon');
    expect(get.status).toBe(200);
    expect(get.body).toEqual(configuration());
  });

  it('requires only url and method, as Gameball does', async () => {
    expect((await gb.putConfiguration({ url: merchant.url, method: 'POST' })).status).toBe(200);
    const missing = await gb.putConfiguration({ method: 'POST' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 3000, message: expect.stringContaining('url') });
  });

  it('refuses without the keys', async () => {
    const response = await fetch(`${mock.url}/api/v4.0/integrations/configurations/coupon`, {
      headers: { apikey: keys.apikey },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 1001 });
  });
});

describe("Gameball's calls to the merchant", () => {
  beforeEach(async () => {
    await gb.putConfiguration(configuration());
  });

  function expectDelivery(customerId: string, code: string, amount: number, kind: string): void {
    expect(merchant.requests).toHaveLength(1);
    const [request] = merchant.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/gameball/coupons');
    expect(request!.headers['x-api-key']).toBe('shop-key-9f2');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toBe(`{"customer":"${customerId}","coupon":"${code}","amount":${amount},"kind":"${kind}"}`);
  }

  it('Test Connection sends the configured header and template and says Gameball would accept the answer', async () => {
    const { status, body } = await gb.control('POST', '/__gb/test-connection');
    expect(status).toBe(200);
    expect(body).toMatchObject({ accepted: true, code: 'GBTEST-CONNECTION', response: { status: 200 } });
    expectDelivery('gb_test_player', 'GBTEST-CONNECTION', 10, 'percent_off');
    // What the partner is shown keeps the credential out.
    expect((body as { request: { headers: Record<string, string> } }).request.headers['x-api-key']).toBe('<redacted>');
  });

  it('redeeming a rule calls the merchant with the configured header and template, then lists the coupon', async () => {
    const redeemed = await gb.redeem('CUS_10482');
    expect(redeemed.status).toBe(200);
    const code = (redeemed.body as { code: string }).code;
    expect(code).toMatch(/^GB10-/);
    expectDelivery('CUS_10482', code, 10, 'percent_off');
    const listed = await gb.coupons('CUS_10482');
    expect((listed.body as { coupons: { code: string; type: string }[] }).coupons).toEqual([
      expect.objectContaining({ code, type: 'Percentage', value: 10, isAvailableToUse: true }),
    ]);
    expect((await gb.customer('CUS_10482')).body).toMatchObject({ points: 500 });
  });

  it('a campaign award calls the merchant the same way and lists the coupon', async () => {
    const awarded = await gb.control('POST', '/__gb/campaigns/award', {
      customerId: 'CUS_20931',
      couponType: 'fixed',
      value: 20,
    });
    expect(awarded.status).toBe(200);
    const code = (awarded.body as { code: string }).code;
    expectDelivery('CUS_20931', code, 20, 'amount_off');
    const listed = (await gb.coupons('CUS_20931')).body as { coupons: { code: string; type: string }[] };
    expect(listed.coupons.map((c) => [c.code, c.type])).toEqual([[code, 'Fixed Rate Discount']]);
  });

  it('sends query parameters, the configured method and X-GB-Signature when signing is on', async () => {
    await mock.stop();
    mock = await startMock({ logLevel: 'silent', signingSecret: 'gb-secret' });
    gb = gameballClient(mock.url);
    await gb.putConfiguration(configuration({ method: 'PUT', queryParams: [{ key: 'store', value: 'eg' }] }));
    const redeemed = await gb.redeem('CUS_1');
    expect(redeemed.status).toBe(200);
    const [request] = merchant.requests;
    expect(request!.method).toBe('PUT');
    expect(request!.url).toBe('/gameball/coupons?store=eg');
    expect(request!.headers['x-gb-signature']).toMatch(/^[0-9a-f]{40}$/);
  });

  it.each([
    ['answers 401', { answer: 'status', status: 401 } as const, /answered 401/],
    ['answers 500', { answer: 'status', status: 500 } as const, /answered 500/],
    ['answers 201 with the code', { answer: 'status', status: 201 } as const, /answered 201.*anything but 200/],
    ['never answers', { answer: 'hang' } as const, /got no answer \(no answer within 500 ms/],
  ])(
    'when the merchant %s, the redemption fails with a Gameball error and nothing is stored',
    async (_label, behaviour, message) => {
      if (behaviour.answer === 'hang') {
        // Only the merchant that never answers needs a short timeout, to be seen timing out.
        await mock.stop();
        mock = await startMock({ logLevel: 'silent', seed: 7, merchantTimeoutMs: 500, ...accountKeys });
        gb = gameballClient(mock.url);
        await gb.putConfiguration(configuration());
      }
      merchant.behave(behaviour);
      const before = (await gb.customer('CUS_10482')).body;
      const redeemed = await gb.redeem('CUS_10482');
      expect(redeemed.status).toBe(502);
      expect(redeemed.body).toMatchObject({
        code: 502,
        type: 'CustomCouponEngine',
        message: expect.stringMatching(message),
      });
      expect((redeemed.body as { message: string }).message).toContain(
        'No coupon was created and no points were spent',
      );
      expect(merchant.requests).toHaveLength(1);
      expect((await gb.coupons('CUS_10482')).body).toEqual({ coupons: [] });
      expect((await gb.customer('CUS_10482')).body).toEqual(before);
      const { deliveries } = (await gb.control('GET', '/__gb/deliveries')).body as {
        deliveries: { accepted: boolean }[];
      };
      expect(deliveries).toEqual([expect.objectContaining({ accepted: false })]);
    },
  );

  it('refuses a 200 that does not carry the code sent', async () => {
    merchant.behave({ answer: 'same-code' });
    const redeemed = await gb.redeem('CUS_1');
    expect(redeemed.status).toBe(502);
    expect((redeemed.body as { message: string }).message).toMatch(
      /answered 200 but no JSON string value in the body equals the code/,
    );
  });

  it('does not call the merchant for a coupon type the configuration disables', async () => {
    await gb.putConfiguration(configuration({ enablePercentage: false }));
    const redeemed = await gb.redeem('CUS_1', 1021);
    expect(redeemed.status).toBe(422);
    expect((redeemed.body as { message: string }).message).toContain('enablePercentage');
    expect(merchant.requests).toHaveLength(0);
  });
});

describe('points', () => {
  it('a new customer starts with 1,000 points and cannot redeem more than the balance', async () => {
    await gb.putConfiguration(configuration());
    expect((await gb.redeem('CUS_9', 1021)).status).toBe(200);
    expect((await gb.redeem('CUS_9', 1022)).status).toBe(200);
    const refused = await gb.redeem('CUS_9', 1021);
    expect(refused).toMatchObject({ status: 422, body: { code: 9008 } });
    expect((await gb.customer('CUS_9')).body).toMatchObject({ points: 200 });
  });

  it('always offers a rule within the starting balance', async () => {
    await mock.stop();
    mock = await startMock({ logLevel: 'silent', startingPoints: 120 });
    gb = gameballClient(mock.url);
    const { body } = await gb.call('GET', '/configurations/redemption', '/configurations/redemption');
    const costs = (body as { redemptionRules: { pointsToRedeem: number }[] }).redemptionRules.map(
      (r) => r.pointsToRedeem,
    );
    expect(Math.min(...costs)).toBeLessThanOrEqual(120);
  });

  it("refuses to list an unknown customer's coupons with Gameball's 7000, and lists them once the customer exists", async () => {
    const unknown = await gb.coupons('CUS_NEVER_SEEN');
    expect(unknown).toMatchObject({
      status: 404,
      body: { code: 7000, type: 'Customer Error', message: expect.stringContaining('CUS_NEVER_SEEN') },
    });
    // Reading did not create the customer; POST /customers does.
    expect((await gb.coupons('CUS_NEVER_SEEN')).status).toBe(404);
    const created = await gb.call('POST', '/customers', '/customers', { customerId: 'CUS_NEVER_SEEN' });
    expect(created.status).toBe(200);
    expect(await gb.coupons('CUS_NEVER_SEEN')).toEqual({ status: 200, body: { coupons: [] } });
  });

  it('POST /transactions/redeem spends points once per transaction id', async () => {
    const body = { customerId: 'CUS_3', transactionId: 'TXN-1', transactionTime: '2026-11-20T09:15:30Z', points: 400 };
    const first = await gb.call('POST', '/transactions/redeem', '/transactions/redeem', body);
    expect(first).toMatchObject({
      status: 200,
      body: { customerId: 'CUS_3', transactionId: 'TXN-1', redeemEquivalentPoints: 400, redeemAmount: 40 },
    });
    const again = await gb.call('POST', '/transactions/redeem', '/transactions/redeem', body);
    expect(again).toMatchObject({ status: 422, body: { code: 9004 } });
    expect((await gb.customer('CUS_3')).body).toMatchObject({ points: 600 });
  });
});

describe('a coupon at checkout', () => {
  let code: string;
  beforeEach(async () => {
    await gb.putConfiguration(configuration());
    code = ((await gb.redeem('CUS_10482')).body as { code: string }).code;
  });

  it('validates with a lock, and the order that names the lock burns the coupon', async () => {
    const validated = await gb.validate(code, { customerId: 'CUS_10482', lock: true });
    expect(validated.status).toBe(200);
    const { lockReference, dateToExpire } = validated.body as { lockReference: string; dateToExpire: string };
    expect(lockReference).toMatch(/^LCK-/);
    expect(Date.parse(dateToExpire)).toBeGreaterThan(Date.now());
    const order = await gb.call('POST', '/orders', '/orders', {
      customerId: 'CUS_10482',
      orderId: 'ORD-1',
      orderDate: '2026-11-20T09:31:02Z',
      totalPaid: 405,
      redemption: { couponsLockReference: lockReference },
    });
    // The seeded loyalty rules' cashback: a tenth of a point per unit paid, as Gameball's examples.
    expect(order).toMatchObject({ status: 200, body: { customerId: 'CUS_10482', rewardedPoints: 40 } });
    const listed = (await gb.coupons('CUS_10482')).body as { coupons: { usedCount: number; isActive: boolean }[] };
    expect(listed.coupons[0]).toMatchObject({ usedCount: 1, isActive: false });
    const again = await gb.burn({ customerId: 'CUS_10482', lockReference });
    expect(again).toMatchObject({
      status: 422,
      body: { code: 3003, message: expect.stringContaining('already burnt') },
    });
  });

  it('refuses a burn after a burn', async () => {
    const first = await gb.burn({ customerId: 'CUS_10482', coupons: [code] });
    expect(first).toMatchObject({ status: 200, body: { success: true } });
    const second = await gb.burn({ customerId: 'CUS_10482', coupons: [code] });
    expect(second).toMatchObject({
      status: 422,
      body: { code: 3003, message: expect.stringContaining('already used') },
    });
  });

  it('refuses to validate an unknown code, or a code of another customer', async () => {
    expect(await gb.validate('GB10-NOSUCHCODE', { customerId: 'CUS_10482' })).toMatchObject({
      status: 404,
      body: { code: 4004 },
    });
    expect((await gb.validate(code, { customerId: 'CUS_OTHER' })).status).toBe(404);
  });

  it('refuses to burn an expired lock, and the coupon can be locked again', async () => {
    const validated = await gb.validate(code, { customerId: 'CUS_10482', lock: true, lockDuration: 5 });
    const { lockReference } = validated.body as { lockReference: string };
    expect((await gb.validate(code, { customerId: 'CUS_10482', lock: true })).status).toBe(422);
    await gb.control('POST', '/__gb/clock/advance', { seconds: 301 });
    const burn = await gb.burn({ customerId: 'CUS_10482', lockReference });
    expect(burn).toMatchObject({ status: 422, body: { code: 3003, message: expect.stringContaining('expired') } });
    expect((await gb.validate(code, { customerId: 'CUS_10482', lock: true })).status).toBe(200);
  });

  it('releasing a lock makes the coupon available again; releasing it twice is refused', async () => {
    const { lockReference } = (await gb.validate(code, { customerId: 'CUS_10482', lock: true })).body as {
      lockReference: string;
    };
    const released = await gb.call('DELETE', '/coupons/{lockReference}', `/coupons/${lockReference}`);
    expect(released).toMatchObject({ status: 200, body: { success: true, releasedCoupons: [code] } });
    const listed = (await gb.coupons('CUS_10482')).body as { coupons: { isAvailableToUse: boolean }[] };
    expect(listed.coupons[0]!.isAvailableToUse).toBe(true);
    expect((await gb.call('DELETE', '/coupons/{lockReference}', `/coupons/${lockReference}`)).status).toBe(422);
  });

  it('refuses to reopen a lock that ended: released, or burnt by its order', async () => {
    const { lockReference } = (await gb.validate(code, { customerId: 'CUS_10482', lock: true })).body as {
      lockReference: string;
    };
    await gb.call('DELETE', '/coupons/{lockReference}', `/coupons/${lockReference}`);
    expect(await gb.validate(code, { customerId: 'CUS_10482', lock: true, lockReference })).toMatchObject({
      status: 422,
      body: { code: 3003, message: expect.stringContaining('already released') },
    });
    // The coupon itself is free again, under a lock of its own.
    const relocked = await gb.validate(code, { customerId: 'CUS_10482', lock: true });
    const fresh = (relocked.body as { lockReference: string }).lockReference;
    expect(fresh).not.toBe(lockReference);
    expect((await gb.burn({ customerId: 'CUS_10482', lockReference: fresh })).status).toBe(200);
    const other = ((await gb.redeem('CUS_10482')).body as { code: string }).code;
    expect(await gb.validate(other, { customerId: 'CUS_10482', lock: true, lockReference: fresh })).toMatchObject({
      status: 422,
      body: { code: 3003, message: expect.stringContaining('already burnt by an order') },
    });
    // An unknown code is still refused as unknown first.
    expect(
      await gb.validate('GB10-NOSUCHCODE', { customerId: 'CUS_10482', lock: true, lockReference: fresh }),
    ).toMatchObject({ status: 404, body: { code: 4004 } });
    // A plain validation naming the ended lock still answers: it takes no lock.
    expect((await gb.validate(other, { customerId: 'CUS_10482', lockReference: fresh })).status).toBe(200);
  });
});

describe('--state FILE', () => {
  it('keeps the configuration, coupons and balances across a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-mock-state-'));
    try {
      const file = path.join(dir, 'state.db');
      await mock.stop();
      mock = await startMock({ logLevel: 'silent', stateFile: file, ...accountKeys });
      gb = gameballClient(mock.url);
      await gb.putConfiguration(configuration());
      const code = ((await gb.redeem('CUS_10482')).body as { code: string }).code;
      await mock.stop();

      mock = await startMock({ logLevel: 'silent', stateFile: file, ...accountKeys });
      gb = gameballClient(mock.url);
      expect((await gb.call('GET', '/configurations/coupon', '/configurations/coupon')).body).toEqual(configuration());
      const listed = (await gb.coupons('CUS_10482')).body as { coupons: { code: string }[] };
      expect(listed.coupons.map((c) => c.code)).toEqual([code]);
      expect((await gb.customer('CUS_10482')).body).toMatchObject({ points: 500 });
    } finally {
      await mock.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--state FILE and the clock', () => {
  it('keeps the clock where it was advanced to: a lapsed hold stays lapsed across a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gb-mock-clock-'));
    const file = path.join(dir, 'state.db');
    const hold = { customerId: 'CUS_CLOCK', transactionTime: '2026-11-20T09:15:30Z', pointsToHold: 300 };
    let clocked = await startMock({ logLevel: 'silent', stateFile: file, ...accountKeys });
    try {
      let client = gameballClient(clocked.url);
      const { holdReference } = (await client.call('POST', '/transactions/hold', '/transactions/hold', hold)).body as {
        holdReference: string;
      };
      const advanced = await fetch(`${clocked.url}/__gb/clock/advance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seconds: 3600 }),
      });
      const { now } = (await advanced.json()) as { now: string };
      await clocked.stop();
      clocked = await startMock({ logLevel: 'silent', stateFile: file, ...accountKeys });
      client = gameballClient(clocked.url);
      const held = await client.call(
        'GET',
        '/transactions/hold/{holdReferenceId}',
        `/transactions/hold/${holdReference}`,
      );
      expect(held.body).toMatchObject({ state: 'Expired' });
      expect((await client.customer('CUS_CLOCK')).body).toMatchObject({ points: 1000, availablePoints: 1000 });
      const coupon = (await client.redeem('CUS_CLOCK')).body as { startDate: string };
      expect(coupon.startDate >= now).toBe(true);
    } finally {
      await clocked.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what the stand-in does not own', () => {
  it('serves a named example through Prism when asked with Prefer', async () => {
    const response = await fetch(`${mock.url}/api/v4.0/integrations/configurations/tiers`, {
      headers: { apikey: keys.apikey, prefer: 'example=default' },
    });
    expect(response.status).toBe(200);
  });

  it('answers an unknown path with a Gameball error', async () => {
    const response = await fetch(`${mock.url}/api/v4.0/integrations/nothing-here`, { headers: keys });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 4004 });
  });
});
