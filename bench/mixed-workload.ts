// The stand-in's stateful mixed workload for npm run bench:mock: each connection, over and over,
// sends an event, tracks an order, holds points, redeems the hold, redeems points without a hold
// and redeems a coupon rule (the merchant called), for one of a hundred customers in turn (so two
// connections often act for the same customer at once). Afterwards every customer's ledger must
// add up: each entry's balance the running sum, never below 0, the balance the sum of the entries.
import type { AutocannonRequest } from './autocannon.ts';

const base = '/api/v4.0/integrations';
const customers = Array.from({ length: 100 }, (_, i) => `BENCH-MIX-${i}`);

interface Cycle {
  customerId?: string;
  holdReference?: string;
}

type MixedRequest = AutocannonRequest & {
  setupRequest: (request: { body?: string }, context: Cycle) => { body?: string };
  onResponse?: (status: number, body: string, context: Cycle) => void;
};

/** The requests of one cycle, as autocannon sends them on each connection in turn. */
export function mixedRequests(keys: Record<string, string>): MixedRequest[] {
  const runId = Date.now().toString(36).toUpperCase();
  let sequence = 0;
  let turn = 0;
  const headers = { ...keys, 'content-type': 'application/json' };
  const post = (path: string, body: (context: Cycle, id: string) => unknown): MixedRequest => ({
    method: 'POST',
    path: `${base}${path}`,
    headers,
    setupRequest: (request, context) => {
      context.customerId ??= customers[turn++ % customers.length];
      sequence += 1;
      request.body = JSON.stringify(body(context, `${runId}-${sequence}`));
      return request;
    },
  });
  const time = new Date().toISOString();
  return [
    post('/events', (c) => ({ customerId: c.customerId, events: { review_written: {} } })),
    post('/orders', (c, id) => ({ customerId: c.customerId, orderId: `ORD-${id}`, orderDate: time, totalPaid: 120 })),
    {
      ...post('/transactions/hold', (c) => ({ customerId: c.customerId, transactionTime: time, pointsToHold: 30 })),
      onResponse: (status, body, context) => {
        if (status === 200) context.holdReference = (JSON.parse(body) as { holdReference: string }).holdReference;
      },
    },
    post('/transactions/redeem', (c, id) => ({
      customerId: c.customerId,
      transactionId: `TXN-H-${id}`,
      transactionTime: time,
      holdReference: c.holdReference,
    })),
    post('/transactions/redeem', (c, id) => ({
      customerId: c.customerId,
      transactionId: `TXN-P-${id}`,
      transactionTime: time,
      points: 20,
    })),
    post('/coupons/predefined', (c) => ({ customerId: c.customerId, ruleId: 1022 })),
  ];
}

interface Ledger {
  entries: { points: number; balanceAfter: number }[];
  balance: number;
  held: number;
  available: number;
}

/** Every bench customer's ledger adds up; the problems found, none when it does. */
export async function ledgerProblems(url: string): Promise<{ entries: number; problems: string[] }> {
  const problems: string[] = [];
  let entries = 0;
  for (const customerId of customers) {
    const response = await fetch(`${url}/__gb/customers/${customerId}/transactions`);
    if (response.status !== 200) {
      problems.push(`${customerId}: the ledger answered ${response.status}`);
      continue;
    }
    const ledger = (await response.json()) as Ledger;
    entries += ledger.entries.length;
    let running = 0;
    for (const entry of ledger.entries) {
      running += entry.points;
      if (entry.balanceAfter !== running || running < 0) problems.push(`${customerId}: an entry does not add up`);
    }
    if (ledger.balance !== running) problems.push(`${customerId}: balance ${ledger.balance}, entries ${running}`);
    if (ledger.held < 0 || ledger.available < 0)
      problems.push(`${customerId}: held ${ledger.held}, available ${ledger.available}`);
  }
  return { entries, problems };
}
