// Cancelling an order's transactions (DELETE /orders/{orderId}/transactions): what is left of its
// cashback is taken back and the points it paid with are given back, each as a `Cancel`
// transaction of the order; its campaign rewards stay (*inference*: Gameball does not say). A
// cancelled order cannot be cancelled again (9001), and cashback already spent cannot be taken back
// (9008, as a refund).
import type { MockContext } from '../context.ts';
import { alreadyCancelled, notFound } from '../errors.ts';
import { worth, writeEntry } from './ledger.ts';
import { orderTransaction } from './order-transactions.ts';
import type { OrderRecord, TransactionRecord } from './records.ts';

export function cancelOrder(context: MockContext, orderId: string): void {
  context.store.transaction(() => {
    const order = context.store.get<OrderRecord>('order', orderId);
    if (!order) throw notFound(`Order ${orderId} not found: the stand-in has tracked no order with this id.`);
    if (order.closedAt !== undefined) {
      throw notFound(
        `Order ${orderId} not found: its customer was deleted at ${order.closedAt}, and the balance closed.`,
      );
    }
    if (order.cancelledAt !== undefined) {
      throw alreadyCancelled(`The transactions of order ${orderId} were already cancelled at ${order.cancelledAt}.`);
    }
    const cashback = context.store.get<TransactionRecord>('transaction', orderId);
    const takeBack = cashback ? cashback.points - cashback.refunded.points : 0;
    const giveBack = order.result.redeemedPoints ?? 0;
    for (const points of [-takeBack, giveBack]) {
      if (points === 0) continue;
      const entry = writeEntry(context, {
        customerId: order.customerId,
        kind: 'refund',
        points,
        transactionType: 'Cancel',
        orderId,
        amount: worth(Math.abs(points)),
        reason: `Order ${orderId} cancelled`,
      });
      order.transactions.push(orderTransaction(entry, 'Cancel'));
    }
    if (cashback) {
      context.store.put('transaction', orderId, {
        ...cashback,
        refunded: { points: cashback.points, amount: cashback.amount },
      });
    }
    context.store.put('order', orderId, { ...order, cancelledAt: context.now().toISOString() });
  });
}
