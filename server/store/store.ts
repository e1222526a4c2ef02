// Where coupons live. The SQLite store is the embedded default; the PostgreSQL store serves several
// instances that share one database. Both implement the five methods below, and a merchant's own
// store (ServerOptions.store) does too.
import type { CouponDelivery, StoredCoupon } from '../coupons/delivery.ts';

/** What storing a delivery did; decided atomically, whatever the interleaving of duplicates. */
export type CreateResult =
  | { outcome: 'created'; coupon: StoredCoupon }
  /** The code exists with the same attributes: the coupon as first stored (same createdAt). */
  | { outcome: 'duplicate'; coupon: StoredCoupon }
  /** The code exists with other attributes: nothing changed; `stored` is the delivery that created it. */
  | { outcome: 'conflict'; stored: CouponDelivery };

export interface CouponStore {
  /** A short name for /healthz and the logs, e.g. `sqlite`. */
  readonly name: string;
  /** Where the coupons are, for the logs and start-up messages, without any secret (e.g. `the database ./data/coupons.db`). */
  readonly location?: string;
  /**
   * Stores the coupon under `delivery.code` unless the code exists. Resolves only once the outcome
   * is durable (committed), so a 200 sent after it survives a crash of the process. Exactly one
   * coupon per code, also under concurrent calls with the same code.
   */
  create(delivery: CouponDelivery): Promise<CreateResult>;
  /** The coupon stored under this exact code, or undefined. */
  get(code: string): Promise<StoredCoupon | undefined>;
  /** Resolves when the store answers (liveness, `/healthz`); rejects otherwise. */
  ping(): Promise<void>;
  /**
   * Resolves when the store can write (readiness, `/readyz`, and the start-up check); rejects with
   * the reason otherwise. Each call tries a write, so it answers for now, not for the last coupon.
   */
  ready(): Promise<void>;
  /** Finishes pending writes and releases the store; later calls reject. */
  close(): Promise<void>;
}

/** One step of a store's schema. A store applies the steps its database has not seen, in order, at start. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}
