// What GET /orders/{orderId}/transactions lists: each ledger entry written for an order (its
// cashback, its redemption, its campaign rewards, its refunds), kept with the order.
import type { MockContext } from '../context.ts';
import type { LedgerEntry } from '../state/ledger-table.ts';
import type { OrderRecord, OrderTransaction, TransactionType } from './records.ts';

export function orderTransaction(entry: LedgerEntry, type: TransactionType): OrderTransaction {
  return {
    transactionDate: entry.at,
    gameballTransactionId: Number(entry.gameballTransactionId),
    transactionType: type,
    amount: entry.amount ?? 0,
    ...(entry.transactionId !== undefined ? { transactionId: entry.transactionId } : {}),
    equivalentPoints: Math.abs(entry.points),
  };
}

export function appendOrderTransaction(
  context: MockContext,
  orderId: string,
  entry: LedgerEntry,
  type: TransactionType,
): void {
  const order = context.store.get<OrderRecord>('order', orderId);
  if (!order) return;
  order.transactions.push(orderTransaction(entry, type));
  context.store.put('order', orderId, order);
}
