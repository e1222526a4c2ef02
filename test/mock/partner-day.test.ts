// A partner's day against the stand-in, through the typed client a partner would use (openapi-fetch
// over the generated Gameball types), with a merchant's coupon endpoint written here: a customer
// created, an order with cashback, the balance, a hold, a redemption with the hold, a refund, a
// coupon rule redeemed (the merchant called), the coupon validated and burnt at checkout, and the
// order id repeated. The ledger adds up after every step, in memory and in a state file.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mock/index.ts';
import { expectLedgerAddsUp, partnerClient } from './ledger-support.ts';
import { type RecordingMerchant, startRecordingMerchant } from './support.ts';

let merchant: RecordingMerchant;
let dir: string;
beforeAll(async () => {
  merchant = await startRecordingMerchant();
  dir = mkdtempSync(path.join(os.tmpdir(), 'gb-partner-day-'));
});
afterAll(async () => {
  await merchant.close();
  rmSync(dir, { recursive: true, force: true });
});

const time = '2026-11-20T09:15:30Z';

describe.each([['memory'], ['a state file']])("a partner's day, the state in %s", (where) => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({
      logLevel: 'silent',
      preloadPrism: false,
      ...(where === 'memory' ? {} : { stateFile: path.join(dir, 'day.db') }),
    });
  });
  afterAll(async () => {
    await mock.stop();
  });

  it('adds up at every step', async () => {
    const gb = partnerClient(mock.url);
    const adam = 'CUS_ADAM';
    const base = '/api/v4.0/integrations';
    const step = async (expected: { balance: number; held?: number }) => {
      const ledger = await expectLedgerAddsUp(mock.url, adam);
      expect({ balance: ledger.balance, held: ledger.held }).toEqual({ held: 0, ...expected });
      return ledger;
    };

    // The customer, with the stand-in's 1,000 starting points.
    const created = await gb.POST(`${base}/customers`, {
      body: { customerId: adam, email: 'adam@example.com', customerAttributes: { displayName: 'Adam' } },
    });
    expect(created.data?.gameballId).toEqual(expect.any(Number));
    await step({ balance: 1000 });

    // An order with cashback: a tenth of a point per unit paid.
    const order = await gb.POST(`${base}/orders`, {
      body: { customerId: adam, orderId: 'ORD-1', orderDate: time, totalPaid: 405 },
    });
    expect(order.data).toMatchObject({ customerId: adam, rewardedPoints: 40, redeemedPoints: 0 });
    await step({ balance: 1040 });
    const balance = await gb.GET(`${base}/customers/{customerId}/balance`, { params: { path: { customerId: adam } } });
    expect(balance.data).toMatchObject({
      totalPointsBalance: 1040,
      availablePointsBalance: 1040,
      totalEarnedPoints: 1040,
    });

    // A hold, then a redemption that spends it.
    const hold = await gb.POST(`${base}/transactions/hold`, {
      body: { customerId: adam, transactionTime: time, pointsToHold: 300 },
    });
    expect(hold.data).toMatchObject({ holdEquivalentPoints: 300, holdAmount: 30 });
    const holdReference = hold.data!.holdReference!;
    const held = await step({ balance: 1040, held: 300 });
    expect(held.available).toBe(740);
    const redeemed = await gb.POST(`${base}/transactions/redeem`, {
      body: { customerId: adam, transactionId: 'TXN-1', transactionTime: time, holdReference },
    });
    expect(redeemed.data).toMatchObject({ redeemEquivalentPoints: 300, redeemAmount: 30, transactionId: 'TXN-1' });
    await step({ balance: 740 });
    const used = await gb.GET(`${base}/transactions/hold/{holdReferenceId}`, {
      params: { path: { holdReferenceId: holdReference } },
    });
    expect(used.data).toMatchObject({ state: 'Used', holdEquivalentPoints: 300 });

    // A refund of the redemption gives its points back; of a third of the order, a third of its cashback.
    const refund = await gb.POST(`${base}/transactions/refund`, {
      body: { customerId: adam, refundTransactionId: 'RFD-1', reverseTransactionId: 'TXN-1', transactionTime: time },
    });
    expect(refund.data).toMatchObject({ refundEquivalentPoints: 300, refundAmount: 30 });
    await step({ balance: 1040 });
    const partial = await gb.POST(`${base}/transactions/refund`, {
      body: {
        customerId: adam,
        refundTransactionId: 'RFD-2',
        reverseTransactionId: 'ORD-1',
        transactionTime: time,
        refundAmount: 135,
      },
    });
    expect(partial.data).toMatchObject({ refundEquivalentPoints: 13, refundAmount: 135 });
    await step({ balance: 1027 });

    // A coupon rule: the merchant is called, and the rule's points are spent.
    await gb.PUT(`${base}/configurations/coupon`, { body: { url: merchant.url, method: 'POST' } });
    const coupon = await gb.POST(`${base}/coupons/predefined`, { body: { customerId: adam, ruleId: 1021 } });
    const code = coupon.data!.code!;
    expect(merchant.requests.map((r) => r.body).join('\n')).toContain(code);
    await step({ balance: 527 });

    // At checkout: validated with a lock, and the order that names the lock burns it.
    const validated = await gb.POST(`${base}/coupons/{code}/validate`, {
      params: { path: { code } },
      body: { customerId: adam, lock: true },
    });
    const lockReference = validated.data!.lockReference!;
    const checkout = await gb.POST(`${base}/orders`, {
      body: {
        customerId: adam,
        orderId: 'ORD-2',
        orderDate: time,
        totalPaid: 100,
        redemption: { couponsLockReference: lockReference },
      },
    });
    expect(checkout.data).toMatchObject({ rewardedPoints: 10 });
    const coupons = await gb.GET(`${base}/customers/{customerId}/coupons`, { params: { path: { customerId: adam } } });
    expect(coupons.data?.coupons?.find((c) => c.code === code)).toMatchObject({
      usedCount: 1,
      isAvailableToUse: false,
    });
    await step({ balance: 537 });

    // The order id again, by Adam with a new lock, or by anyone: Gameball's 9004, and nothing
    // changes: the new lock's coupon is not burnt, and the lock can still be released.
    const second = (await gb.POST(`${base}/coupons/predefined`, { body: { customerId: adam, ruleId: 1022 } })).data!;
    const secondLock = (
      await gb.POST(`${base}/coupons/{code}/validate`, {
        params: { path: { code: second.code! } },
        body: { customerId: adam, lock: true },
      })
    ).data!.lockReference!;
    await step({ balance: 237 });
    for (const customerId of [adam, 'CUS_SARAH']) {
      const repeat = await gb.POST(`${base}/orders`, {
        body: {
          customerId,
          orderId: 'ORD-1',
          orderDate: time,
          totalPaid: 999,
          redemption: { couponsLockReference: secondLock },
        },
      });
      expect(repeat.response.status).toBe(422);
      expect(repeat.error).toMatchObject({ code: 9004, type: 'Transaction Error' });
    }
    await step({ balance: 237 });
    const after = await gb.GET(`${base}/customers/{customerId}/coupons`, { params: { path: { customerId: adam } } });
    expect(after.data?.coupons?.find((c) => c.code === second.code)).toMatchObject({ usedCount: 0 });
    const released = await gb.DELETE(`${base}/coupons/{lockReference}`, {
      params: { path: { lockReference: secondLock } },
    });
    expect(released.data).toMatchObject({ success: true, releasedCoupons: [second.code] });

    // The order's transactions: its cashback and the refund of a third of it.
    const transactions = await gb.GET(`${base}/orders/{orderId}/transactions`, {
      params: { path: { orderId: 'ORD-1' } },
    });
    expect(transactions.data?.transactions?.map((t) => [t.transactionType, t.equivalentPoints])).toEqual([
      ['PaymentReward', 40],
      ['PartialRefund', 13],
    ]);
  });
});
