// The records the stand-in keeps. They are the stand-in's own bookkeeping; what a client sees is
// built from them in the shapes of Gameball's document. A customer's points are not here: they are
// the sum of the customer's ledger (state/ledger-table.ts).
import type { CouponKind } from '../../core/config/coupon-configuration.ts';
import type { components } from '../../openapi/generated/gameball.ts';

type Schemas = components['schemas'];

export interface CustomerRecord {
  customerId: string;
  gameballId: number;
  email?: string;
  mobile?: string;
  /** What POST /customers sent, merged over earlier calls. */
  attributes: NonNullable<Schemas['CustomerRequest']['customerAttributes']>;
  /** What the customer's tracked orders add up to. */
  orders: { count: number; totalSpent: number; lastOrderDate?: string };
  createdAt: string;
}

type CouponStatus = 'active' | 'locked' | 'burnt';

export interface CouponRecord {
  code: string;
  customerId: string;
  name: string;
  kind: CouponKind;
  value: number;
  source: string;
  ruleId?: number;
  startDate: string;
  /** null: never expires. */
  expiryDate: string | null;
  usageLimit: number;
  minOrderValue: number;
  entitledProductIds: string[];
  entitledCollectionIds: string[];
  status: CouponStatus;
  lockReference?: string | undefined;
  burnedAt?: string;
  /** Who created it: the merchant's endpoint (custom coupon engine) or Gameball itself (no configuration). */
  createdBy: 'merchant' | 'gameball';
  createdAt: string;
}

type LockStatus = 'active' | 'burnt' | 'released';

export interface LockRecord {
  lockReference: string;
  customerId: string;
  codes: string[];
  createdAt: string;
  expiresAt: string;
  status: LockStatus;
}

type HoldStatus = 'active' | 'used' | 'released';

/** Points reserved: by a partner (POST /transactions/hold) or by a redemption waiting for the merchant. */
export interface HoldRecord {
  holdReference: string;
  customerId: string;
  points: number;
  createdAt: string;
  /** When it lapses; null for a redemption's hold, released when the merchant answers. */
  expiresAt: string | null;
  status: HoldStatus;
  /** The transaction that spent it, once used. */
  usedBy?: string;
}

/** A redemption whose merchant call has started and not finished: its hold is released at restart. */
export interface PendingRedemption {
  holdReference: string;
  customerId: string;
  code: string;
  startedAt: string;
}

/** A code sent to a merchant (or about to be): never issued again, whatever the merchant answered. */
export interface IssuedCode {
  code: string;
  customerId: string;
  at: string;
  /** The merchant made the code (a template without {{code}}): a code it knows, so never proposed to it again. */
  byMerchant?: true;
}

/** Gameball's transaction types the stand-in writes (OrderTransactions' enum in the document). */
export type TransactionType = NonNullable<
  NonNullable<Schemas['OrderTransactions']['transactions']>[number]['transactionType']
>;

/** A transaction by the merchant's id: ids are used once (9004), and refunds find what they refund. */
export interface TransactionRecord {
  transactionId: string;
  customerId: string;
  type: TransactionType;
  gameballTransactionId: string;
  /** What it did to the balance (negative for a redemption). */
  points: number;
  /** The money it was about (an order's total paid, a redemption's worth). */
  amount: number;
  orderId?: string;
  /** Points and money refunded so far. */
  refunded: { points: number; amount: number };
  /** When its customer was deleted: its balance was closed, so nothing of it is refunded since. */
  closedAt?: string;
}

export type OrderTransaction = NonNullable<Schemas['OrderTransactions']['transactions']>[number];

export interface OrderRecord {
  orderId: string;
  customerId: string;
  result: Schemas['OrderResult'];
  burnedCoupons: string[];
  /** What GET /orders/{orderId}/transactions lists: the order's cashback, redemption, rewards, refunds. */
  transactions: OrderTransaction[];
  /** When DELETE /orders/{orderId}/transactions cancelled them. */
  cancelledAt?: string;
  /** When its customer was deleted: its balance was closed, so it is not cancelled since. */
  closedAt?: string;
}
