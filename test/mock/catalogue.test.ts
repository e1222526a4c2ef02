// Every refusal of the stand-in carries the code, HTTP status and category of Gameball's error
// catalogue, the same bad request gets the same refusal whether state or an example answers the
// operation, only `Prefer: example=NAME` selects an example (and never on an operation with state),
// and the answers the stand-in serves hold to the document's success shapes (no null where the
// document says string).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mock/index.ts';
import { gameballClient, keys, type RecordingMerchant, startRecordingMerchant } from './support.ts';

let merchant: RecordingMerchant;
let mock: RunningMock;
let gb: ReturnType<typeof gameballClient>;
const base = '/api/v4.0/integrations';
const time = '2026-11-20T09:15:30Z';

beforeAll(async () => {
  merchant = await startRecordingMerchant();
  mock = await startMock({ logLevel: 'silent', apiKey: keys.apikey, secretKey: keys.secretkey });
  gb = gameballClient(mock.url);
  await gb.putConfiguration({ url: merchant.url, method: 'POST' });
});
afterAll(async () => {
  await mock.stop();
  await merchant.close();
});

async function raw(method: string, path: string, body?: string, headers: Record<string, string> = keys) {
  const response = await fetch(`${mock.url}${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    body: text === '' ? undefined : JSON.parse(text),
  };
}

/** An order of 10 that burns the coupons of a lock. */
const orderWithLock = (customerId: string, orderId: string, couponsLockReference: string) =>
  gb.call('POST', '/orders', '/orders', {
    customerId,
    orderId,
    orderDate: time,
    totalPaid: 10,
    redemption: { couponsLockReference },
  });

describe("Gameball's error catalogue", () => {
  it.each([
    ['no keys at all', 'GET', '/configurations/tiers', undefined, {}, 401, 1000, 'Authentication Error'],
    ['no secret key', 'POST', '/transactions/hold', '{}', { apikey: keys.apikey }, 401, 1001, 'Authentication Error'],
    [
      'a wrong API key',
      'GET',
      '/configurations/tiers',
      undefined,
      { apikey: 'nope' },
      401,
      1000,
      'Authentication Error',
    ],
  ])('refuses %s', async (_label, method, path, body, headers, status, code, type) => {
    expect(await raw(method, path, body, headers)).toMatchObject({ status, body: { code, type } });
  });

  // The same faults on an operation with state (hold) and one answered from examples (payments/cashback is
  // stateful too, so the example side is POST /customers/social-challenges).
  it.each([
    ['a required field missing', '{"transactionTime":"2026-11-20T09:15:30Z"}', '{"challengeId":3108}', 400, 3000],
    [
      'a required field null',
      '{"customerId":null,"transactionTime":"2026-11-20T09:15:30Z"}',
      '{"customerId":null,"challengeId":3108}',
      422,
      3001,
    ],
    ['a body that is not JSON', '{"customerId":', '{"customerId":', 400, 3016],
    [
      'a field of the wrong type',
      '{"customerId":42,"transactionTime":"2026-11-20T09:15:30Z"}',
      '{"customerId":42,"challengeId":3108}',
      400,
      3016,
    ],
    [
      'a value out of range',
      '{"customerId":"","transactionTime":"2026-11-20T09:15:30Z"}',
      '{"customerId":"C","challengeId":0}',
      422,
      3003,
    ],
  ])('refuses %s alike with or without state', async (_label, stateful, examples, status, code) => {
    const fromState = await raw('POST', '/transactions/hold', stateful);
    const fromExamples = await raw('POST', '/customers/social-challenges', examples);
    expect(fromState).toMatchObject({ status, body: { code, type: 'Payload Error' } });
    expect(fromExamples).toMatchObject({ status, body: { code, type: 'Payload Error' } });
  });

  it('refuses a wrong secret key where only the API key is asked for, with or without state', async () => {
    const wrongSecret = { ...keys, secretkey: 'a-guessed-secret' };
    expect((await raw('POST', '/customers', '{"customerId":"CUS_KEYS"}')).status).toBe(200);
    for (const path of [
      '/customers/CUS_KEYS',
      '/configurations/redemption?customerId=CUS_KEYS',
      '/configurations/tiers',
    ]) {
      expect(await raw('GET', path, undefined, wrongSecret), path).toMatchObject({
        status: 401,
        body: { code: 1000, type: 'Authentication Error', message: expect.stringContaining('secretkey') },
      });
      expect((await raw('GET', path, undefined, { apikey: keys.apikey })).status, path).toBe(200);
    }
  });

  it('reads a JSON body under another content type alike with or without state', async () => {
    const post = (path: string, body: object, contentType: string) =>
      fetch(`${mock.url}${base}${path}`, {
        method: 'POST',
        headers: { ...keys, 'content-type': contentType },
        body: JSON.stringify(body),
      });
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const fromState = await post('/customers', { customerId: 'CUS_TYPED' }, contentType);
      const fromExamples = await post(
        '/customers/social-challenges',
        { customerId: 'CUS_TYPED', challengeId: 3108 },
        contentType,
      );
      expect(fromState.status, contentType).toBe(200);
      expect([fromExamples.status, await fromExamples.json()], contentType).toEqual([
        202,
        { customerId: 'CUS_10482', challengeId: 3108 },
      ]);
    }
  });

  // Every paged list, with state (transactions) or from examples (notifications, referrals, activities)
  // and on the control plane, refuses a page size it cannot serve rather than quietly serving another.
  it.each([
    '/transactions',
    '/transactions/customer-view',
    '/customers/CUS_10482/notifications',
    '/customers/CUS_10482/referrals',
    '/customers/CUS_10482/activities',
  ])('refuses a page size out of range or not a whole number on %s with 3003', async (path) => {
    for (const limit of ['0', '-1', '201', 'many', '1.5', '']) {
      expect(await raw('GET', `${path}?limit=${limit}`), `limit=${limit}`).toMatchObject({
        status: 422,
        body: { code: 3003, type: 'Payload Error', message: expect.stringContaining('limit') },
      });
    }
  });

  it('pages transactions by the limit asked for, and refuses other bad query values the same way', async () => {
    for (const i of [1, 2]) {
      const cashback = { customerId: 'CUS_PAGES', transactionId: `TXN-PAGE-${i}`, transactionTime: time, amount: 10 };
      expect((await gb.call('POST', '/transactions/cashback', '/transactions/cashback', cashback)).status).toBe(200);
    }
    const one = await gb.call('GET', '/transactions', '/transactions?customerId=CUS_PAGES&limit=1');
    expect(one.body).toMatchObject({ count: 1, hasMore: true });
    const all = await gb.call('GET', '/transactions', '/transactions?customerId=CUS_PAGES&limit=200');
    expect(all.body).toMatchObject({ hasMore: false });
    for (const [path, status] of [
      ['/__gb/deliveries?limit=0', 422],
      ['/__gb/deliveries?limit=501', 422],
      ['/__gb/deliveries?cursor=next', 422],
    ] as const) {
      expect((await fetch(`${mock.url}${path}`)).status, path).toBe(status);
    }
    for (const path of [
      '/customers/CUS_10482/notifications?isRead=maybe',
      '/customers/CUS_10482/activities?activityType=nonsense',
      '/leaderboard?from=yesterday',
    ]) {
      expect(await raw('GET', path), path).toMatchObject({ status: 422, body: { code: 3003 } });
    }
  });

  it('names the other fields when one is required only in their absence', async () => {
    const redeem = await raw(
      'POST',
      '/transactions/redeem',
      JSON.stringify({ customerId: 'C1', transactionId: 'T1', transactionTime: time }),
    );
    expect(redeem).toMatchObject({
      status: 400,
      body: { code: 3000, message: expect.stringMatching(/holdReference.*amount, points/) },
    });
  });

  it('refuses a burn without coupons or lockReference with one message, whatever the body leaves out', async () => {
    const needsOne = 'lockReference (required without coupons)';
    for (const [body, message] of [
      ['{"customerId":"C1"}', `Missing arguments: ${needsOne}`],
      ['{"customerId":"C1","coupons":[]}', `Missing arguments: ${needsOne}`],
      ['{}', `Missing arguments: ${needsOne}, customerId`],
      ['{"coupons":[]}', `Missing arguments: ${needsOne}, customerId`],
      ['{"coupons":[],"lockReference":"LCK-NONE"}', 'Missing arguments: customerId'],
    ]) {
      expect(await raw('POST', '/coupons/burn', body), body).toMatchObject({
        status: 400,
        body: { code: 3000, message },
      });
    }
  });

  it('answers an unknown customer, hold, transaction and order with their codes', async () => {
    expect(await gb.call('GET', '/customers/{customerId}/balance', '/customers/NOBODY/balance')).toMatchObject({
      status: 404,
      body: { code: 7000, type: 'Customer Error' },
    });
    expect(await gb.call('GET', '/transactions/hold/{holdReferenceId}', '/transactions/hold/HLD-NONE')).toMatchObject({
      status: 404,
      body: { code: 9006, type: 'Transaction Error' },
    });
    const refund = { customerId: 'C2', refundTransactionId: 'R1', reverseTransactionId: 'NONE', transactionTime: time };
    expect(await gb.call('POST', '/transactions/refund', '/transactions/refund', refund)).toMatchObject({
      status: 404,
      body: { code: 9005 },
    });
    expect(await gb.call('PUT', '/transactions/{transactionId}/activate', '/transactions/NONE/activate')).toMatchObject(
      {
        status: 404,
        body: { code: 9002 },
      },
    );
    expect(await gb.call('GET', '/orders/{orderId}/transactions', '/orders/NONE/transactions')).toMatchObject({
      status: 404,
      body: { code: 4004 },
    });
  });

  it('answers 7000 from the examples too for a customer it does not have, but for a named example', async () => {
    const progress = (customerId: string, headers: Record<string, string> = keys) =>
      raw('GET', `/customers/${customerId}/tier-progress`, undefined, headers);
    expect(await progress('CUS_UNSEEN')).toMatchObject({ status: 404, body: { code: 7000, type: 'Customer Error' } });
    expect((await progress('CUS_UNSEEN', { ...keys, prefer: 'example=adam' })).status).toBe(200);
    expect((await raw('POST', '/customers', '{"customerId":"CUS_UNSEEN"}')).status).toBe(200);
    expect((await progress('CUS_UNSEEN')).status).toBe(200);
    expect((await raw('DELETE', '/customers/CUS_UNSEEN')).status).toBe(200);
    expect(await progress('CUS_UNSEEN')).toMatchObject({ status: 404, body: { code: 7000 } });
  });

  it('refuses a spent, released or foreign hold with 9006, and more points than available with 9008', async () => {
    const hold = await gb.call('POST', '/transactions/hold', '/transactions/hold', {
      customerId: 'C3',
      transactionTime: time,
      pointsToHold: 800,
    });
    const holdReference = (hold.body as { holdReference: string }).holdReference;
    const redeem = (customerId: string, transactionId: string, extra: Record<string, unknown>) =>
      gb.call('POST', '/transactions/redeem', '/transactions/redeem', {
        customerId,
        transactionId,
        transactionTime: time,
        ...extra,
      });
    expect(await redeem('C3', 'T3-0', { points: 201 })).toMatchObject({
      status: 422,
      body: { code: 9008, type: 'Transaction Error' },
    });
    expect(await redeem('C4', 'T4-1', { holdReference })).toMatchObject({ status: 404, body: { code: 9006 } });
    expect(await redeem('C3', 'T3-1', { holdReference })).toMatchObject({
      status: 200,
      body: { redeemEquivalentPoints: 800 },
    });
    expect(await redeem('C3', 'T3-2', { holdReference })).toMatchObject({ status: 404, body: { code: 9006 } });
    expect(await redeem('C3', 'T3-1', { points: 1 })).toMatchObject({ status: 422, body: { code: 9004 } });
    const refund = { customerId: 'C3', refundTransactionId: 'R3', reverseTransactionId: 'T3-1', transactionTime: time };
    expect((await gb.call('POST', '/transactions/refund', '/transactions/refund', refund)).status).toBe(200);
    expect(
      await gb.call('POST', '/transactions/refund', '/transactions/refund', { ...refund, refundTransactionId: 'R4' }),
    ).toMatchObject({
      status: 422,
      body: { code: 9001 },
    });
  });

  it('answers 501 naming an operation it cannot honour, and 404 only for what Gameball does not publish', async () => {
    expect(await raw('PUT', '/customers/C1/activate', '{"isActive":false}')).toMatchObject({
      status: 501,
      body: { code: 501, message: expect.stringContaining('updateCustomerActivation') },
    });
    expect(await raw('GET', '/nothing-here')).toMatchObject({ status: 404, body: { code: 4004 } });
    expect(await raw('PATCH', '/customers/C1')).toMatchObject({
      status: 404,
      body: { message: expect.stringContaining('it has GET, DELETE') },
    });
  });
});

describe('Prefer', () => {
  it('serves a named example only where no state answers, with a fresh request id', async () => {
    const first = await raw('GET', '/leaderboard', undefined, { ...keys, prefer: 'example=adam' });
    const second = await raw('GET', '/leaderboard', undefined, { ...keys, prefer: 'example=adam' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual(second.body);
    expect(first.requestId).not.toBe(second.requestId);
    expect(await raw('GET', '/leaderboard', undefined, { ...keys, prefer: 'example=nobody' })).toMatchObject({
      status: 422,
      body: { code: 3003, message: expect.stringContaining('its examples: adam') },
    });
  });

  it('refuses an example of an operation with state, and ignores any other preference', async () => {
    const body = JSON.stringify({ customerId: 'CUS_PREFER', ruleId: 1021 });
    const refused = await raw('POST', '/coupons/predefined', body, { ...keys, prefer: 'example=adamRedeems' });
    expect(refused).toMatchObject({
      status: 400,
      body: { code: 3004, message: expect.stringContaining('from its state') },
    });
    expect(merchant.requests).toHaveLength(0);
    const minimal = await raw('POST', '/coupons/predefined', body, { ...keys, prefer: 'return=minimal, code=404' });
    expect(minimal.status).toBe(200);
    expect(merchant.requests).toHaveLength(1);
    const wrongRule = await raw(
      'POST',
      '/coupons/predefined',
      JSON.stringify({ customerId: 'CUS_PREFER', ruleId: 9 }),
      {
        ...keys,
        prefer: 'return=minimal',
      },
    );
    expect(wrongRule).toMatchObject({ status: 422, body: { code: 3003 } });
  });
});

describe("answers in the document's shapes", () => {
  it('leaves out what it has nothing to say about, never null where the document says string', async () => {
    const coupon = await gb.redeem('CUS_SHAPES');
    expect(Object.keys(coupon.body as object).sort()).toEqual(['code', 'expiryDate', 'startDate']);
    const code = (coupon.body as { code: string }).code;
    const validated = await gb.validate(code, { customerId: 'CUS_SHAPES' });
    expect(validated.body).not.toHaveProperty('lockReference');
    expect(validated.body).not.toHaveProperty('dateToExpire');
    const several = await gb.call('POST', '/coupons/validate', '/coupons/validate', {
      customerId: 'CUS_SHAPES',
      coupons: [code],
    });
    expect(several.body).not.toHaveProperty('lockReference');
    const listed = await gb.coupons('CUS_SHAPES');
    expect(JSON.stringify(listed.body)).not.toContain('null');
  });

  it("refuses another customer's lock reference, which stays its owner's", async () => {
    const code = ((await gb.redeem('CUS_OWNER')).body as { code: string }).code;
    const other = ((await gb.redeem('CUS_THIEF')).body as { code: string }).code;
    const { lockReference } = (await gb.validate(code, { customerId: 'CUS_OWNER', lock: true })).body as {
      lockReference: string;
    };
    const taken = await gb.validate(other, { customerId: 'CUS_THIEF', lock: true, lockReference });
    expect(taken).toMatchObject({ status: 404, body: { code: 4004 } });
    expect((await orderWithLock('CUS_OWNER', 'ORD-OWNER', lockReference)).status).toBe(200);
  });

  it('refuses a negative amount paid with 3003 before anything changes', async () => {
    const code = ((await gb.redeem('CUS_NEGATIVE')).body as { code: string }).code;
    const { lockReference } = (await gb.validate(code, { customerId: 'CUS_NEGATIVE', lock: true })).body as {
      lockReference: string;
    };
    const order = { customerId: 'CUS_NEGATIVE', orderId: 'ORD-NEG', orderDate: time, totalPaid: -50 };
    const payment = { customerId: 'CUS_NEGATIVE', paymentId: 'PAY-NEG', paymentDate: time, totalPaid: -50 };
    const cashback = { customerId: 'CUS_NEGATIVE', transactionId: 'TXN-NEG', transactionTime: time, amount: -50 };
    for (const [path, body] of [
      ['/orders', { ...order, redemption: { couponsLockReference: lockReference } }],
      ['/payments', payment],
      ['/transactions/cashback', cashback],
      ['/orders/cashback', { ...order, totalDiscount: 0, totalShipping: 0 }],
    ] as const) {
      expect(await gb.call('POST', path, path, body), path).toMatchObject({
        status: 422,
        body: { code: 3003, message: expect.stringContaining('totalPaid' in body ? 'totalPaid' : 'amount') },
      });
    }
    // Nothing was kept: the ids are free and the lock still holds the coupon for the real order.
    const placed = await gb.call('POST', '/orders', '/orders', {
      ...order,
      totalPaid: 50,
      redemption: { couponsLockReference: lockReference },
    });
    expect(placed).toMatchObject({ status: 200, body: { rewardedPoints: 5 } });
    expect(
      (await gb.call('POST', '/transactions/cashback', '/transactions/cashback', { ...cashback, amount: 0 })).status,
    ).toBe(200);
  });

  it('releasing a lapsed lock releases nothing another lock holds since, and says so', async () => {
    const code = ((await gb.redeem('CUS_RELOCK')).body as { code: string }).code;
    const lock = async (lockDuration?: number) =>
      (
        (await gb.validate(code, { customerId: 'CUS_RELOCK', lock: true, ...(lockDuration ? { lockDuration } : {}) }))
          .body as { lockReference: string }
      ).lockReference;
    const lapsed = await lock(1);
    const advanced = await fetch(`${mock.url}/__gb/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 61 }),
    });
    expect(advanced.status).toBe(200);
    const current = await lock();
    const released = await gb.call('DELETE', '/coupons/{lockReference}', `/coupons/${lapsed}`);
    expect(released).toMatchObject({ status: 200, body: { success: true, releasedCoupons: [] } });
    const again = await gb.call('POST', '/coupons/validate', '/coupons/validate', {
      customerId: 'CUS_RELOCK',
      coupons: [code],
      lock: true,
    });
    expect(again).toMatchObject({ status: 422, body: { message: expect.stringContaining(current) } });
    expect((await orderWithLock('CUS_RELOCK', 'ORD-RELOCK', current)).status).toBe(200);
  });
});

describe('coupons at checkout', () => {
  const codeOf = async (customerId: string) => ((await gb.redeem(customerId, 1022)).body as { code: string }).code;
  const lockOf = (answer: { body: unknown }) => (answer.body as { lockReference: string }).lockReference;
  const several = (body: Record<string, unknown>) => gb.call('POST', '/coupons/validate', '/coupons/validate', body);
  it('validates one coupon or several alike: the customer may re-validate its locked coupons, not lock them twice', async () => {
    const customerId = 'CUS_CART';
    const [first, second] = [await codeOf(customerId), await codeOf(customerId)];
    const held = lockOf(await gb.validate(first, { customerId, lock: true }));
    // Re-validating the cart (no lock asked, so no lockReference to give) finds the coupons usable.
    expect((await gb.validate(first, { customerId })).status).toBe(200);
    expect(await several({ customerId, coupons: [first, second] })).toMatchObject({
      status: 200,
      body: { valid: true, coupons: [{ code: first }, { code: second }] },
    });
    // A second lock session is refused the coupon the first holds, by either operation, the same way.
    const refusal = { status: 422, body: { code: 3003, message: expect.stringContaining(`lock ${held}`) } };
    expect(await gb.validate(first, { customerId, lock: true })).toMatchObject(refusal);
    expect(await several({ customerId, coupons: [second, first], lock: true })).toMatchObject(refusal);
  });

  it("refuses an order's coupon codes that no lock holds, before anything changes", async () => {
    const customerId = 'CUS_UNLOCKED';
    const [first, second] = [await codeOf(customerId), await codeOf(customerId)];
    const order = (orderId: string, redemption: Record<string, unknown>) =>
      gb.call('POST', '/orders', '/orders', { customerId, orderId, orderDate: time, totalPaid: 10, redemption });
    const notLocked = { status: 422, body: { code: 3003, message: expect.stringContaining('must be locked') } };
    expect(await order('ORD-UNLOCKED-1', { couponCodes: [first] })).toMatchObject(notLocked);
    const held = lockOf(await gb.validate(first, { customerId, lock: true }));
    // A code outside the lock the order names is refused too, and the lock is left as it was.
    expect(await order('ORD-UNLOCKED-2', { couponsLockReference: held, couponCodes: [first, second] })).toMatchObject(
      notLocked,
    );
    expect(await order('ORD-UNLOCKED-3', { couponCodes: [first] })).toMatchObject({ status: 200 });
    expect(await gb.validate(first, { customerId })).toMatchObject({ status: 422, body: { code: 3003 } });
    expect((await gb.validate(second, { customerId })).status).toBe(200);
  });

  it('changes the coupons of a lock session named: a list replaces them, one coupon joins them', async () => {
    const customerId = 'CUS_SESSION';
    const [first, second, third] = [await codeOf(customerId), await codeOf(customerId), await codeOf(customerId)];
    const held = lockOf(await several({ customerId, coupons: [first, second], lock: true }));
    expect(lockOf(await several({ customerId, coupons: [second], lock: true, lockReference: held }))).toBe(held);
    // The first coupon, left out of the list, is free for another checkout.
    const other = lockOf(await gb.validate(first, { customerId, lock: true }));
    expect(other).not.toBe(held);
    expect(lockOf(await gb.validate(third, { customerId, lock: true, lockReference: held }))).toBe(held);
    const released = await gb.call('DELETE', '/coupons/{lockReference}', `/coupons/${held}`);
    expect(released.body).toMatchObject({ releasedCoupons: [second, third] });
    expect((await orderWithLock(customerId, 'ORD-CART', other)).status).toBe(200);
    expect(await gb.validate(first, { customerId })).toMatchObject({ status: 422, body: { code: 3003 } });
  });
});
