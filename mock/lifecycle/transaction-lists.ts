// The account's transactions as Gameball lists them (GET /transactions, /transactions/count,
// /transactions/customer-view): the ledger's entries that are Gameball transactions, oldest first,
// paged by Gameball's transaction id. Every transaction is `Active`: the stand-in has no return
// window, so no points are ever pending.
import type { components } from '../../openapi/generated/gameball.ts';
import type { MockContext } from '../context.ts';
import { invalidValue } from '../errors.ts';
import type { LedgerEntry, TransactionFilter } from '../state/ledger-table.ts';
import { entryIdAfter } from './ledger.ts';
import type { CustomerRecord } from './records.ts';

type Schemas = components['schemas'];

/** The document's default page size; the router has already refused a limit outside 1 to 200. */
const defaultLimit = 50;

/** The filter of a list request's query; a status other than Active matches nothing. */
function filterOf(query: URLSearchParams): TransactionFilter & { none: boolean } {
  const direction = query.get('direction') ?? undefined;
  if (direction !== undefined && direction !== '+' && direction !== '-') {
    throw invalidValue(`Invalid value for direction: "${direction}"; it is + (points added) or - (points taken).`);
  }
  const status = query.get('status');
  return {
    customerId: query.get('customerId') ?? undefined,
    direction,
    startAfter: entryIdAfter(Number(query.get('startAfter') ?? 0)),
    limit: Number(query.get('limit') ?? defaultLimit),
    none: status !== null && status.toLowerCase() !== 'active',
  };
}

function presentTransaction(entry: LedgerEntry): Schemas['Transaction'] {
  return {
    ...(entry.transactionId !== undefined ? { transactionId: entry.transactionId } : {}),
    gameballTransactionId: entry.gameballTransactionId!,
    type: entry.transactionType!,
    direction: entry.points < 0 ? '-' : '+',
    customerId: entry.customerId,
    points: Math.abs(entry.points),
    amount: entry.amount ?? 0,
    transactionTime: entry.at,
    status: 'Active',
    ...(entry.couponCode !== undefined ? { couponCode: entry.couponCode } : {}),
    ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
    pointsBalanceBefore: entry.balanceAfter - entry.points,
    pointsBalanceAfter: entry.balanceAfter,
  };
}

function page(context: MockContext, query: URLSearchParams): { entries: LedgerEntry[]; hasMore: boolean } {
  const filter = filterOf(query);
  if (filter.none) return { entries: [], hasMore: false };
  const entries = context.store.ledger.transactions({ ...filter, limit: filter.limit! + 1 });
  return { entries: entries.slice(0, filter.limit), hasMore: entries.length > filter.limit! };
}

export function listTransactions(context: MockContext, query: URLSearchParams): Schemas['TransactionList'] {
  const { entries, hasMore } = page(context, query);
  return { transactions: entries.map(presentTransaction), count: entries.length, hasMore };
}

export function listTransactionsWithCustomers(
  context: MockContext,
  query: URLSearchParams,
): Schemas['CustomerViewTransactionList'] {
  const { entries, hasMore } = page(context, query);
  const customers = new Map<string, CustomerRecord | undefined>();
  const transactions = entries.map((entry) => {
    if (!customers.has(entry.customerId)) {
      customers.set(entry.customerId, context.store.get<CustomerRecord>('customer', entry.customerId));
    }
    const customer = customers.get(entry.customerId);
    const name = customer?.attributes.displayName;
    const email = customer?.email ?? customer?.attributes.email;
    return {
      ...presentTransaction(entry),
      ...(name !== undefined ? { customerName: name } : {}),
      ...(email !== undefined ? { customerEmail: email } : {}),
      isCustomerDeleted: customer === undefined,
    };
  });
  return { transactions, count: transactions.length, hasMore };
}

export function countTransactions(context: MockContext, query: URLSearchParams): Schemas['Count'] {
  const filter = filterOf(query);
  return { count: filter.none ? 0 : context.store.ledger.countTransactions(filter) };
}
