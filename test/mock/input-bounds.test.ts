// Every input bounded (issue 18): no request can break the stand-in until restart, revive an
// expired coupon, overflow a balance, crash it with a deep body, or slip bytes that are not text
// through to the merchant. Each refusal is Gameball's error body.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPast } from '../../mock/dates.ts';
import { type RunningMock, startMock } from '../../mock/index.ts';
import { expectGameballError, gameballClient, keys, rawRequest, startRecordingMerchant } from './support.ts';

let mock: RunningMock;
let gb: ReturnType<typeof gameballClient>;

beforeEach(async () => {
  mock = await startMock({ logLevel: 'silent', preloadPrism: false, seed: 3 });
  gb = gameballClient(mock.url);
});
afterEach(async () => {
  await mock.stop();
});

const base = '/api/v4.0/integrations';
const json = { ...keys, 'content-type': 'application/json' };
const configuration = { url: 'http://127.0.0.1:9/unused', method: 'POST' };

describe("the stand-in's clock", () => {
  it('refuses an advance past its documented maximum, and every coupon operation still works', async () => {
    const huge = await gb.control('POST', '/__gb/clock/advance', { seconds: 9007199254740991 });
    expectGameballError(huge, 422, 3003);
    const awarded = await gb.control('POST', '/__gb/campaigns/award', {
      customerId: 'C1',
      couponType: 'fixed',
      value: 5,
    });
    expect(awarded.status).toBe(200);
    expect((await gb.coupons('C1')).status).toBe(200);
  });

  it('moves at most 100 years ahead in all, and reset sets it back', async () => {
    const century = 3_155_760_000;
    expect((await gb.control('POST', '/__gb/clock/advance', { seconds: century })).status).toBe(200);
    expectGameballError(await gb.control('POST', '/__gb/clock/advance', { seconds: 1 }), 422, 3003);
    expect((await gb.control('POST', '/__gb/reset')).status).toBe(200);
    const { body } = await gb.control('POST', '/__gb/clock/advance', { seconds: 60 });
    expect(Date.parse((body as { now: string }).now) - Date.now()).toBeLessThan(century * 1000);
  });

  it('cannot revive an expired coupon by moving past the year 9999', async () => {
    const { code } = (
      await gb.control('POST', '/__gb/campaigns/award', { customerId: 'C2', couponType: 'fixed', value: 5 })
    ).body as { code: string };
    const toYear10026 = 8000 * 31_557_600;
    expect((await gb.control('POST', '/__gb/clock/advance', { seconds: toYear10026 })).status).toBe(422);
    await gb.control('POST', '/__gb/clock/advance', { seconds: 15 * 86_400 });
    expect((await gb.validate(code, { customerId: 'C2' })).body).toMatchObject({
      code: 3003,
      message: expect.stringContaining('expired'),
    });
    const listed = (await gb.coupons('C2')).body as { coupons: { isExpired: boolean }[] };
    expect(listed.coupons[0]!.isExpired).toBe(true);
  });

  it('compares dates as instants: a date past the year 9999 is not in the past', () => {
    const now = new Date('2026-11-20T09:00:00.000Z');
    expect(isPast('+010026-01-01T00:00:00.000Z', now)).toBe(false);
    expect(isPast('2026-11-20T08:59:59.999Z', now)).toBe(true);
  });

  it('refuses a lock that would end past the year 9999 with 3003, not a 500', async () => {
    const { code } = (
      await gb.control('POST', '/__gb/campaigns/award', { customerId: 'C3', couponType: 'fixed', value: 5 })
    ).body as { code: string };
    const locked = await gb.validate(code, { customerId: 'C3', lock: true, lockDuration: 1e15 });
    expectGameballError(locked, 422, 3003);
    expect((await gb.validate(code, { customerId: 'C3', lock: true })).status).toBe(200);
  });
});

describe('configuration payloads', () => {
  it('refuses a 20,000-deep payload object with 3016, not a 500', async () => {
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const body = `{"url":"http://127.0.0.1:9/x","method":"POST","payload":${deep}}`;
    const answer = await rawRequest(mock.url, 'PUT', `${base}/configurations/coupon`, json, body);
    expectGameballError(answer, 400, 3016);
    expect(String(answer.body?.message)).toMatch(/nests arrays and objects 20001 deep.*at most 32/);
  });

  it('refuses a deeply nested payload template and a configuration over 64 KiB', async () => {
    const template = `{"a":${'['.repeat(1000)}"{{code}}"${']'.repeat(1000)}}`;
    expectGameballError(await gb.putConfiguration({ ...configuration, payload: template }), 400, 3016);
    const big = { ...configuration, headers: [{ key: 'x-padding', value: 'x'.repeat(70_000) }] };
    const answer = await gb.putConfiguration(big);
    expectGameballError(answer, 400, 3016);
    expect((answer.body as { message: string }).message).toMatch(/at most 65536/);
    expect((await gb.call('GET', '/configurations/coupon', '/configurations/coupon')).status).toBe(404);
  });
});

describe('numbers', () => {
  function order(orderId: string, totalPaid: number): string {
    return `{"customerId":"C4","orderId":"${orderId}","orderDate":"2026-11-20T09:31:02Z","totalPaid":${totalPaid}}`;
  }

  it('refuses totalPaid 1e308 with 3003, so the balance never becomes null', async () => {
    for (const orderId of ['O1', 'O2']) {
      expectGameballError(await rawRequest(mock.url, 'POST', `${base}/orders`, json, order(orderId, 1e308)), 422, 3003);
    }
    expect((await gb.customer('C4')).body).toMatchObject({ points: 1000 });
  });

  it('refuses an order that would take the balance past the largest safe integer', async () => {
    // 1,000 starting points and this leave the balance 5 short of the largest safe integer.
    const credit = { points: Number.MAX_SAFE_INTEGER - 1005 };
    const path = '/__gb/customers/C4/points';
    expect((await gb.call('POST', '/__gb/customers/{customerId}/points', path, credit)).status).toBe(200);
    // Cashback of 100 points (the rules' 0.1 a unit) would pass it.
    expectGameballError(await rawRequest(mock.url, 'POST', `${base}/orders`, json, order('O4', 1000)), 422, 3003);
    const { points } = (await gb.customer('C4')).body as { points: number };
    expect(Number.isSafeInteger(points)).toBe(true);
  });
});

describe('text', () => {
  it('refuses a body that is not UTF-8 and creates nobody', async () => {
    const bytes = Buffer.concat([Buffer.from('{"customerId":"Jos'), Buffer.from([0xe9]), Buffer.from('"}')]);
    expectGameballError(await rawRequest(mock.url, 'POST', `${base}/customers`, json, bytes), 400, 3016);
    expect((await gb.coupons('Jos\uFFFD')).status).toBe(404);
  });

  it('refuses a customer id with a lone surrogate before calling the merchant', async () => {
    const merchant = await startRecordingMerchant();
    try {
      const payload = '{"c":"{{code}}","p":"{{playerUniqueId}}"}';
      await gb.putConfiguration({ url: merchant.url, method: 'POST', payload });
      const body = '{"customerId":"CUS_\\ud800","couponType":"fixed","value":5}';
      const headers = { 'content-type': 'application/json' };
      expectGameballError(await rawRequest(mock.url, 'POST', '/__gb/campaigns/award', headers, body), 400, 3016);
      expect(merchant.requests).toHaveLength(0);
    } finally {
      await merchant.close();
    }
  });
});
