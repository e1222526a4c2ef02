// The rest of the loyalty loop on the stand-in: the loyalty rules (seeded, or a file of one's own;
// a bad file refused in a sentence), events and the previews that agree with what tracking earns,
// a customer read, detailed and deleted, the transaction lists paged and counted, payments, an
// order cancelled, and a hold that lapses.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { type RunningMock, startMock } from '../../mock/index.ts';
import { sourceCli } from '../support/processes.ts';
import { expectLedgerAddsUp } from './ledger-support.ts';
import { gameballClient } from './support.ts';

let dir: string;
let rulesFile: string;
let mock: RunningMock;
let gb: ReturnType<typeof gameballClient>;
const time = '2026-11-20T09:15:30Z';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gb-loyalty-'));
  rulesFile = path.join(dir, 'rules.json');
  writeFileSync(
    rulesFile,
    JSON.stringify({
      cashbackFactor: 0.5,
      holdMinutes: 1,
      events: [
        { event: 'review_written', campaignId: 1, campaignName: 'Review', points: 7 },
        { event: 'place_order', campaignId: 2, campaignName: 'Any order', points: 3 },
      ],
      automaticCoupons: [{ name: '10% from 100', discountType: 'percentage', value: 10, minCartTotal: 100 }],
    }),
  );
  mock = await startMock({ logLevel: 'silent', preloadPrism: false, rulesFile });
  gb = gameballClient(mock.url);
});
afterAll(async () => {
  await mock.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the loyalty rules', () => {
  it('earn by the file given, and the previews agree with what tracking earns', async () => {
    expect((await gb.control('GET', '/__gb/rules')).body).toMatchObject({ cashbackFactor: 0.5, holdMinutes: 1 });
    await gb.call('POST', '/customers', '/customers', { customerId: 'C1' });
    const preview = await gb.call('POST', '/orders/reward-preview', '/orders/reward-preview', {
      customerId: 'C1',
      totalPaid: 21,
      lineItems: [{ productId: 'P', quantity: 2, price: 11, discount: 1 }],
    });
    expect(preview.body).toMatchObject({ customerFound: true, totalPoints: 13, cashback: { totalPoints: 10 } });
    const order = { customerId: 'C1', orderId: 'O1', orderDate: time, totalPaid: 21 };
    expect((await gb.call('POST', '/orders', '/orders', order)).body).toMatchObject({ rewardedPoints: 13 });
    const events = await gb.call('POST', '/events/reward-preview', '/events/reward-preview', {
      customerId: 'C1',
      events: { review_written: {}, unknown_event: {} },
    });
    expect(events.body).toMatchObject({
      totalPoints: 7,
      events: [{ totalPoints: 7 }, { totalPoints: 0, campaigns: [] }],
    });
    await gb.call('POST', '/events', '/events', {
      customerId: 'C1',
      events: { review_written: {}, unknown_event: {} },
    });
    const ledger = await expectLedgerAddsUp(mock.url, 'C1');
    expect(ledger.balance).toBe(1000 + 10 + 3 + 7);
    const cart = { customerId: 'C1', cartId: 'K1', totalPrice: 150 };
    expect((await gb.call('POST', '/coupons/automatic', '/coupons/automatic', cart)).body).toEqual({
      isApplied: true,
      couponName: '10% from 100',
      discountAmount: 15,
      discountType: 'percentage',
    });
  });

  it('refuses a file that is not LoyaltyRules, in a sentence, and exits 2 from the command line', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ cashbackFactor: -1, holdMinutes: 1, events: [] }));
    await expect(startMock({ rulesFile: bad })).rejects.toThrow(UsageError);
    await expect(startMock({ rulesFile: bad })).rejects.toThrow(/cashbackFactor must be >= 0/);
    await expect(startMock({ rulesFile: bad })).rejects.toThrow(/automaticCoupons is required/);
    const run = spawnSync(process.execPath, [...sourceCli, 'mock', '--port', '0', '--rules', bad], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('are not valid');
  });
});

describe('customers, transactions and orders', () => {
  it('reads, details and deletes a customer; the ledger is closed and stays listed', async () => {
    await gb.call('POST', '/customers', '/customers', {
      customerId: 'C2',
      email: 'c2@example.com',
      customerAttributes: { displayName: 'Cee Two', country: 'EG' },
    });
    const profile = await gb.call('GET', '/customers/{customerId}', '/customers/C2');
    expect(profile.body).toMatchObject({ customerId: 'C2', customerAttributes: { country: 'EG', totalOrders: 0 } });
    expect(JSON.stringify(profile.body)).not.toContain('c2@example.com');
    const details = await gb.call('GET', '/customers/{customerId}/details', '/customers/C2/details');
    expect(details.body).toMatchObject({ customerAttributes: { email: 'c2@example.com', displayName: 'Cee Two' } });
    await gb.call('POST', '/transactions/hold', '/transactions/hold', {
      customerId: 'C2',
      transactionTime: time,
      pointsToHold: 10,
    });
    expect((await gb.call('DELETE', '/customers/{customerId}', '/customers/C2')).status).toBe(200);
    expect((await gb.call('GET', '/customers/{customerId}', '/customers/C2')).body).toMatchObject({ code: 7000 });
    const ledger = await expectLedgerAddsUp(mock.url, 'C2');
    expect(ledger).toMatchObject({ balance: 0, held: 0 });
    const view = await gb.call('GET', '/transactions/customer-view', '/transactions/customer-view?customerId=C2');
    expect(view.body).toMatchObject({ transactions: [{ isCustomerDeleted: true, type: 'ManualAccumulation' }] });
  });

  it("refunds and cancels nothing of a deleted customer's closed balance, under a new profile or none", async () => {
    const order = { customerId: 'C2D', orderId: 'O2D', orderDate: time, totalPaid: 100 };
    expect((await gb.call('POST', '/orders', '/orders', order)).status).toBe(200);
    const redeem = { customerId: 'C2D', transactionId: 'T2D', transactionTime: time, points: 300 };
    expect((await gb.call('POST', '/transactions/redeem', '/transactions/redeem', redeem)).status).toBe(200);
    expect((await gb.call('DELETE', '/customers/{customerId}', '/customers/C2D')).status).toBe(200);
    const refund = {
      customerId: 'C2D',
      refundTransactionId: 'R2D',
      reverseTransactionId: 'T2D',
      transactionTime: time,
    };
    const refunded = () => gb.call('POST', '/transactions/refund', '/transactions/refund', refund);
    const cancelled = () => gb.call('DELETE', '/orders/{orderId}/transactions', '/orders/O2D/transactions');
    expect(await refunded()).toMatchObject({ status: 404, body: { code: 9005 } });
    expect(await cancelled()).toMatchObject({ status: 404, body: { code: 4004 } });
    expect(await expectLedgerAddsUp(mock.url, 'C2D')).toMatchObject({ balance: 0 });
    // The same id again is a new profile with the starting points, and no more.
    await gb.call('POST', '/customers', '/customers', { customerId: 'C2D' });
    expect(await refunded()).toMatchObject({ status: 404, body: { code: 9005 } });
    expect(await cancelled()).toMatchObject({ status: 404, body: { code: 4004 } });
    const balance = await gb.call('GET', '/customers/{customerId}/balance', '/customers/C2D/balance');
    expect(balance.body).toMatchObject({ totalPointsBalance: 1000, availablePointsBalance: 1000 });
    expect(await expectLedgerAddsUp(mock.url, 'C2D')).toMatchObject({ balance: 1000 });
  });

  it('pages and counts the transactions, by customer and direction', async () => {
    for (let i = 0; i < 5; i++) {
      await gb.call('POST', '/transactions/cashback', '/transactions/cashback', {
        customerId: 'C3',
        transactionId: `CB-${i}`,
        transactionTime: time,
        amount: 10,
      });
    }
    await gb.call('POST', '/transactions/redeem', '/transactions/redeem', {
      customerId: 'C3',
      transactionId: 'RD-1',
      transactionTime: time,
      points: 4,
    });
    const first = await gb.call('GET', '/transactions', '/transactions?customerId=C3&limit=4');
    const page = first.body as {
      transactions: { gameballTransactionId: string; direction: string }[];
      hasMore: boolean;
    };
    expect(page).toMatchObject({ count: 4, hasMore: true });
    const next = await gb.call(
      'GET',
      '/transactions',
      `/transactions?customerId=C3&limit=4&startAfter=${page.transactions.at(-1)!.gameballTransactionId}`,
    );
    expect(next.body).toMatchObject({ count: 3, hasMore: false });
    expect((await gb.call('GET', '/transactions/count', '/transactions/count?customerId=C3&direction=-')).body).toEqual(
      { count: 1 },
    );
    expect(
      (await gb.call('GET', '/transactions/count', '/transactions/count?customerId=C3&status=Pending')).body,
    ).toEqual({ count: 0 });
    expect((await gb.call('GET', '/transactions', '/transactions?limit=many')).body).toMatchObject({ code: 3003 });
  });

  it('tracks a payment, cancels an order, and lets a hold lapse', async () => {
    const payment = await gb.call('POST', '/payments', '/payments', {
      customerId: 'C4',
      paymentId: 'PAY-1',
      paymentDate: time,
      totalPaid: 40,
      paymentDetails: [{ serviceId: 'S1', amount: 40 }],
    });
    expect(payment.body).toMatchObject({ rewardedPoints: 20, paymentDetails: [{ serviceId: 'S1', points: 20 }] });
    await gb.call('POST', '/orders', '/orders', { customerId: 'C4', orderId: 'O4', orderDate: time, totalPaid: 100 });
    expect((await expectLedgerAddsUp(mock.url, 'C4')).balance).toBe(1000 + 20 + 50 + 3);
    expect((await gb.call('DELETE', '/orders/{orderId}/transactions', '/orders/O4/transactions')).status).toBe(200);
    expect((await expectLedgerAddsUp(mock.url, 'C4')).balance).toBe(1000 + 20 + 3);
    expect((await gb.call('DELETE', '/orders/{orderId}/transactions', '/orders/O4/transactions')).body).toMatchObject({
      code: 9001,
    });
    const hold = await gb.call('POST', '/transactions/hold', '/transactions/hold', {
      customerId: 'C4',
      transactionTime: time,
      pointsToHold: 1000,
    });
    const reference = (hold.body as { holdReference: string }).holdReference;
    expect((await expectLedgerAddsUp(mock.url, 'C4')).available).toBe(23);
    const { now } = (await gb.control('POST', '/__gb/clock/advance', { seconds: 61 })).body as { now: string };
    expect(
      (await gb.call('GET', '/transactions/hold/{holdReferenceId}', `/transactions/hold/${reference}`)).body,
    ).toMatchObject({ state: 'Expired' });
    expect((await expectLedgerAddsUp(mock.url, 'C4', now)).available).toBe(1023);
    const late = { customerId: 'C4', transactionId: 'LATE', transactionTime: time, holdReference: reference };
    expect((await gb.call('POST', '/transactions/redeem', '/transactions/redeem', late)).body).toMatchObject({
      code: 9006,
    });
  });
});

describe("Gameball's own engine (no coupon configuration)", () => {
  // The control plane's document types AwardedCoupon.expiryDate as string or null, null for "never
  // expires"; Gameball's document types it as a string, so its answers leave it out.
  it('awards a coupon that never expires: expiryDate null on the control plane, absent in Gameball answers', async () => {
    const award = { customerId: 'CUS_FOREVER', couponType: 'fixed', value: 20, expiresAfter: 0 };
    const awarded = await gb.control('POST', '/__gb/campaigns/award', award);
    expect(awarded).toMatchObject({ status: 200, body: { customerId: 'CUS_FOREVER', expiryDate: null } });
    expect(awarded.body).not.toHaveProperty('deliveryId');
    const { code } = awarded.body as { code: string };
    const listed = (await gb.coupons('CUS_FOREVER')).body as { coupons: Record<string, unknown>[] };
    expect(listed.coupons).toEqual([expect.objectContaining({ code, isExpired: false, isAvailableToUse: true })]);
    expect(listed.coupons[0]).not.toHaveProperty('expiryDate');
    const validated = await gb.validate(code, { customerId: 'CUS_FOREVER' });
    expect(validated.status).toBe(200);
    expect((validated.body as { coupon: object }).coupon).not.toHaveProperty('expiryDate');
  });
});
