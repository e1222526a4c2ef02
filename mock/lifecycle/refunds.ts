// Refunds and reversals (POST /transactions/refund): an earlier cashback (an order's included) gives
// back the points it earned, an earlier redemption gets back the points it spent, in proportion to
// the amount refunded, or whole when no amount is given (a reversal). Refunds add up to the
// transaction at most; a transaction refunded whole is cancelled (9001). Taking back points the
// customer has already spent is refused with 9008 rather than making the balance negative
// (*inference*: Gameball does not say what it does).
import type { components } from '../../openapi/generated/gameball.ts';
import type { MockContext } from '../context.ts';
import { alreadyCancelled, invalidValue, nonReversible, reversedTransactionNotFound } from '../errors.ts';
import { writeEntry } from './ledger.ts';
import { appendOrderTransaction } from './order-transactions.ts';
import { recordTransaction, unusedTransactionId } from './points-transactions.ts';
import type { TransactionRecord } from './records.ts';

type Schemas = components['schemas'];

const refundable = new Set<TransactionRecord['type']>(['PaymentReward', 'Redemption']);

export function refundTransaction(context: MockContext, request: Schemas['RefundRequest']): Schemas['RefundResult'] {
  return context.store.transaction(() => {
    unusedTransactionId(context, request.refundTransactionId);
    const original = context.store.get<TransactionRecord>('transaction', request.reverseTransactionId);
    if (!original || original.customerId !== request.customerId) {
      throw reversedTransactionNotFound(request.reverseTransactionId, request.customerId);
    }
    if (original.closedAt !== undefined) {
      throw reversedTransactionNotFound(
        request.reverseTransactionId,
        request.customerId,
        `: the customer was deleted at ${original.closedAt}, and the balance it belonged to closed`,
      );
    }
    if (!refundable.has(original.type)) {
      throw nonReversible(`Transaction ${original.transactionId} is a ${original.type}, which cannot be refunded.`);
    }
    const { amount, points, whole } = share(original, request.refundAmount);
    // A refund of cashback takes its points back; a refund of a redemption gives them back.
    const signed = original.points > 0 ? -points : points;
    const entry = writeEntry(context, {
      customerId: original.customerId,
      kind: 'refund',
      points: signed,
      transactionType: whole ? 'Refund' : 'PartialRefund',
      transactionId: request.refundTransactionId,
      ...(original.orderId !== undefined ? { orderId: original.orderId } : {}),
      amount,
      reason: `Refund of ${original.transactionId}`,
    });
    context.store.put('transaction', original.transactionId, {
      ...original,
      refunded: { points: original.refunded.points + points, amount: original.refunded.amount + amount },
    });
    const refund = recordTransaction(context, entry, whole ? 'Refund' : 'PartialRefund', amount);
    if (original.orderId !== undefined) appendOrderTransaction(context, original.orderId, entry, refund.type);
    return {
      gameballTransactionId: entry.gameballTransactionId!,
      refundTransactionId: request.refundTransactionId,
      refundAmount: amount,
      refundEquivalentPoints: points,
    };
  });
}

/** The amount and points this refund covers, and whether it completes the refund of the whole. */
function share(original: TransactionRecord, refundAmount: number | undefined) {
  const leftAmount = Math.round((original.amount - original.refunded.amount) * 100) / 100;
  const leftPoints = Math.abs(original.points) - original.refunded.points;
  if (leftAmount <= 0 && leftPoints <= 0) {
    throw alreadyCancelled(`Transaction ${original.transactionId} was already refunded whole.`);
  }
  if (refundAmount === undefined || refundAmount >= leftAmount) {
    if (refundAmount !== undefined && refundAmount > leftAmount) {
      throw invalidValue(
        `Invalid value for refundAmount: ${refundAmount} is more than the ${leftAmount} of ${original.transactionId} left to refund.`,
      );
    }
    return { amount: leftAmount, points: leftPoints, whole: true };
  }
  if (!(refundAmount > 0)) throw invalidValue('Invalid value for refundAmount: it must be more than 0.');
  const points = Math.min(leftPoints, Math.round((Math.abs(original.points) * refundAmount) / original.amount));
  return { amount: refundAmount, points, whole: false };
}
