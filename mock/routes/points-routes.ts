// Gameball's points transactions on the ledger: redeem (with or without a hold), cashback, holds
// (take, read, release), refunds and reversals, manual adjustments, and the lists and count.
// Everything that moves a customer's points runs in that customer's queue.
import type { components } from '../../openapi/generated/gameball.ts';
import { heldPoints, holdPoints, presentHold, releaseHeldPoints } from '../lifecycle/hold-requests.ts';
import { activateTransaction, adjustPoints, redeemPoints, rewardCashback } from '../lifecycle/points-transactions.ts';
import { refundTransaction } from '../lifecycle/refunds.ts';
import { countTransactions, listTransactions, listTransactionsWithCustomers } from '../lifecycle/transaction-lists.ts';
import type { Route } from './route.ts';

type Schemas = components['schemas'];

const base = '/api/v4.0/integrations';

export const pointsRoutes: Route[] = [
  {
    method: 'POST',
    template: `${base}/transactions/redeem`,
    handler: async (request, context) => {
      const body = request.body as Schemas['RedeemRequest'];
      return { body: await context.serialise(body.customerId, () => redeemPoints(context, body)) };
    },
  },
  {
    method: 'POST',
    template: `${base}/transactions/cashback`,
    handler: async (request, context) => {
      const body = request.body as Schemas['CashbackRequest'];
      return { body: await context.serialise(body.customerId, () => rewardCashback(context, body)) };
    },
  },
  {
    method: 'POST',
    template: `${base}/transactions/refund`,
    handler: async (request, context) => {
      const body = request.body as Schemas['RefundRequest'];
      return { body: await context.serialise(body.customerId, () => refundTransaction(context, body)) };
    },
  },
  {
    method: 'POST',
    template: `${base}/transactions/manual`,
    handler: async (request, context) => {
      const body = request.body as Schemas['ManualTransactionRequest'];
      return { body: await context.serialise(body.customerId, () => adjustPoints(context, body)) };
    },
  },
  {
    method: 'POST',
    template: `${base}/transactions/hold`,
    handler: async (request, context) => {
      const body = request.body as Schemas['HoldRequest'];
      return { body: await context.serialise(body.customerId, () => holdPoints(context, body)) };
    },
  },
  {
    method: 'GET',
    template: `${base}/transactions/hold/{holdReferenceId}`,
    handler: (request, context) => ({
      body: presentHold(context, heldPoints(context, request.params.holdReferenceId!)),
    }),
  },
  {
    method: 'DELETE',
    template: `${base}/transactions/hold/{holdReferenceId}`,
    handler: async (request, context) => {
      const reference = request.params.holdReferenceId!;
      const { customerId } = heldPoints(context, reference);
      return { body: await context.serialise(customerId, () => releaseHeldPoints(context, reference)) };
    },
  },
  {
    method: 'GET',
    template: `${base}/transactions`,
    handler: (request, context) => ({ body: listTransactions(context, request.query) }),
  },
  {
    method: 'GET',
    template: `${base}/transactions/customer-view`,
    handler: (request, context) => ({ body: listTransactionsWithCustomers(context, request.query) }),
  },
  {
    method: 'PUT',
    template: `${base}/transactions/{transactionId}/activate`,
    handler: (request, context) => ({ body: activateTransaction(context, request.params.transactionId!) }),
  },
  {
    method: 'GET',
    template: `${base}/transactions/count`,
    handler: (request, context) => ({ body: countTransactions(context, request.query) }),
  },
];
