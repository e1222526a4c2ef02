// Shared by the ledger's tests: a partner's typed client of the stand-in (openapi-fetch over the
// generated Gameball types), the ledger as the control plane shows it, and the checks that it adds
// up: each entry's balance the running sum, never below 0, the balance the sum of the entries, the
// points held never more than the balance.
import createClient from 'openapi-fetch';
import { expect } from 'vitest';
import type { paths } from '../../openapi/generated/gameball.ts';
import type { components as control } from '../../openapi/generated/gameball-mock-control.ts';
import { keys } from './support.ts';

export type CustomerLedger = control['schemas']['CustomerLedger'];

export const partnerClient = (url: string) => createClient<paths>({ baseUrl: url, headers: keys });

export async function ledgerOf(url: string, customerId: string): Promise<CustomerLedger> {
  const response = await fetch(`${url}/__gb/customers/${encodeURIComponent(customerId)}/transactions`);
  expect(response.status).toBe(200);
  return (await response.json()) as CustomerLedger;
}

/** The ledger adds up (holds lapse by `now`, the stand-in's clock); returns it, for the caller's own expectations. */
export async function expectLedgerAddsUp(
  url: string,
  customerId: string,
  now = new Date().toISOString(),
): Promise<CustomerLedger> {
  const ledger = await ledgerOf(url, customerId);
  let running = 0;
  let held = 0;
  for (const entry of ledger.entries) {
    running += entry.points;
    expect(entry.balanceAfter, `entry ${entry.id}`).toBe(running);
    expect(running, `entry ${entry.id}`).toBeGreaterThanOrEqual(0);
    if (entry.holdExpiresAt === null || entry.holdExpiresAt === undefined || entry.holdExpiresAt > now) {
      held += entry.held;
    }
  }
  expect(ledger.balance).toBe(running);
  expect(ledger.held).toBe(held);
  expect(ledger.available).toBe(ledger.balance - ledger.held);
  expect(ledger.available).toBeGreaterThanOrEqual(0);
  // The partner's view agrees with the ledger.
  const balance = await partnerClient(url).GET('/api/v4.0/integrations/customers/{customerId}/balance', {
    params: { path: { customerId } },
  });
  if (balance.response.status === 200) {
    expect(balance.data).toMatchObject({
      totalPointsBalance: ledger.balance,
      availablePointsBalance: ledger.available,
    });
  }
  return ledger;
}
