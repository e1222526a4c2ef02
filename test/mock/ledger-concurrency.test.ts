// Fifty requests at once for one customer, mixed (coupon rules redeemed through a slow merchant that
// sometimes fails, points redeemed as payment, holds, control-plane debits, orders, events), in
// memory and in a state file: the ledger adds up, the points available never go below 0 at any entry
// (so no request spent points a redemption held while the merchant was called), every answered 200
// is in the ledger, and every coupon the merchant created is one the customer has.

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mock/index.ts';
import { expectLedgerAddsUp } from './ledger-support.ts';
import { keys } from './support.ts';

/** A merchant that takes 20 to 120 ms to answer and fails one call in three (500). */
async function startSlowMerchant(): Promise<{ url: string; close: () => Promise<void> }> {
  let calls = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      calls += 1;
      const failing = calls % 3 === 0;
      const code = /"code":"([^"]+)"/.exec(Buffer.concat(chunks).toString())?.[1];
      setTimeout(
        () => {
          response
            .writeHead(failing ? 500 : 200, { 'content-type': 'application/json' })
            .end(JSON.stringify(failing ? { message: 'busy' } : { couponCode: code }));
        },
        20 + ((calls * 37) % 100),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/coupons`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const customerId = 'CUS_BUSY';
const base = '/api/v4.0/integrations';
const time = '2026-11-20T09:15:30Z';

interface Call {
  kind: string;
  path: string;
  body: unknown;
}

/** The fifty requests: together they ask for far more than the customer's 3,000 points. */
function mixedCalls(): Call[] {
  const calls: Call[] = [];
  for (let i = 0; i < 50; i++) {
    switch (i % 6) {
      case 0:
      case 1:
        calls.push({ kind: 'coupon', path: `${base}/coupons/predefined`, body: { customerId, ruleId: 1022 } });
        break;
      case 2:
        calls.push({
          kind: 'redeem',
          path: `${base}/transactions/redeem`,
          body: { customerId, transactionId: `TXN-${i}`, transactionTime: time, points: 120 },
        });
        break;
      case 3:
        calls.push({
          kind: 'hold',
          path: `${base}/transactions/hold`,
          body: { customerId, transactionTime: time, pointsToHold: 90 },
        });
        break;
      case 4:
        calls.push({ kind: 'debit', path: `/__gb/customers/${customerId}/points`, body: { points: -70 } });
        break;
      default:
        calls.push(
          i % 12 === 5
            ? {
                kind: 'order',
                path: `${base}/orders`,
                body: { customerId, orderId: `ORD-${i}`, orderDate: time, totalPaid: 250 },
              }
            : { kind: 'event', path: `${base}/events`, body: { customerId, events: { review_written: {} } } },
        );
    }
  }
  return calls;
}

let merchant: Awaited<ReturnType<typeof startSlowMerchant>>;
let dir: string;
beforeAll(async () => {
  merchant = await startSlowMerchant();
  dir = mkdtempSync(path.join(os.tmpdir(), 'gb-ledger-busy-'));
});
afterAll(async () => {
  await merchant.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each([['memory'], ['a state file']])('fifty requests at once for one customer, the state in %s', (where) => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({
      logLevel: 'silent',
      preloadPrism: false,
      startingPoints: 3000,
      ...(where === 'memory' ? {} : { stateFile: path.join(dir, 'busy.db') }),
    });
    const put = await fetch(`${mock.url}${base}/configurations/coupon`, {
      method: 'PUT',
      headers: { ...keys, 'content-type': 'application/json' },
      body: JSON.stringify({ url: merchant.url, method: 'POST' }),
    });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    await mock.stop();
  });

  it('never spends what it does not have, and the ledger adds up', async () => {
    const calls = mixedCalls();
    const answers = await Promise.all(
      calls.map(async (call) => {
        const response = await fetch(`${mock.url}${call.path}`, {
          method: 'POST',
          headers: { ...keys, 'content-type': 'application/json' },
          body: JSON.stringify(call.body),
        });
        return { call, status: response.status, body: (await response.json()) as Record<string, unknown> };
      }),
    );
    // Every answer is a success or one of the refusals the mix provokes.
    for (const { call, status, body } of answers) {
      if (status === 200) continue;
      const expected = call.kind === 'coupon' ? [9008, 502] : [9008];
      expect(expected, `${call.kind} ${status} ${JSON.stringify(body)}`).toContain(body.code);
    }
    const ok = (kind: string) => answers.filter((a) => a.call.kind === kind && a.status === 200);
    expect(answers.some((a) => a.body.code === 9008)).toBe(true);
    expect(answers.some((a) => a.body.code === 502)).toBe(true);

    const ledger = await expectLedgerAddsUp(mock.url, customerId);
    // At no entry was more held or spent than the balance: no request spent a redemption's hold.
    let balance = 0;
    let held = 0;
    for (const entry of ledger.entries) {
      balance += entry.points;
      held += entry.held;
      expect(balance - held, `entry ${entry.id} (${entry.kind})`).toBeGreaterThanOrEqual(0);
    }
    // Every 200 is in the ledger, and nothing else.
    const coupons = ok('coupon').map((a) => a.body.code as string);
    const spentOn = (kind: string) => ledger.entries.filter((e) => e.kind === 'spend' && e.transactionType === kind);
    expect(
      spentOn('Redemption')
        .filter((e) => e.couponCode !== undefined)
        .map((e) => e.couponCode)
        .sort(),
    ).toEqual([...coupons].sort());
    expect(spentOn('Redemption').filter((e) => e.transactionId !== undefined)).toHaveLength(ok('redeem').length);
    expect(spentOn('ManualDeduction')).toHaveLength(ok('debit').length);
    expect(ledger.entries.filter((e) => e.kind === 'hold' && e.holdExpiresAt !== null)).toHaveLength(ok('hold').length);
    expect(ledger.held).toBe(90 * ok('hold').length);
    // Every coupon the merchant created is the customer's; none was created without its points.
    const { deliveries } = (await (await fetch(`${mock.url}/__gb/deliveries?customerId=${customerId}`)).json()) as {
      deliveries: { code: string; accepted: boolean }[];
    };
    expect(
      deliveries
        .filter((d) => d.accepted)
        .map((d) => d.code)
        .sort(),
    ).toEqual([...coupons].sort());
    const listed = (await (
      await fetch(`${mock.url}${base}/customers/${customerId}/coupons`, { headers: keys })
    ).json()) as {
      coupons: { code: string }[];
    };
    expect(listed.coupons.map((c) => c.code).sort()).toEqual([...coupons].sort());
  });
});
