// The records the stand-in keeps. They are the stand-in's own bookkeeping; what a client sees is
// built from them in present.ts in the shapes of Gameball's document.
import type { CouponKind } from '../../core/config/coupon-configuration.ts';

export interface CustomerRecord {
  customerId: string;
  gameballId: number;
  points: number;
  displayName?: string;
  email?: string;
  mobile?: string;
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
