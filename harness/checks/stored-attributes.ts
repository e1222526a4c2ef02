// With a lookup, what was stored is compared with what was sent: a 200 with the code says nothing of
// a customer id stored as `Jos?-?-????`, a value stored as 0 or a type changed on the way, and each
// of those gives the customer a coupon that is not the one Gameball shows. The attributes compared
// are those the template puts at a place of their own (core/render/placeholder-pointers.ts), read
// at the same place in the stored record when it has one there.
import { isDeepStrictEqual } from 'node:util';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { defaultPayloadTemplate } from '../../core/config/default-configuration.ts';
import { placeholderPointers } from '../../core/render/placeholder-pointers.ts';
import { type CouponValues, placeholderValues } from '../../core/render/render-delivery.ts';
import { parsePointer, valueAt } from '../../openapi/json-pointer.ts';

/** The customer, the value and the type: what the customer's coupon is. */
const compared = ['playerUniqueId', 'value', 'couponType'] as const;

export interface StoredMismatch {
  placeholder: (typeof compared)[number];
  pointer: string;
  sent: unknown;
  stored: unknown;
}

/** Each compared attribute stored otherwise than it was sent; [] when all that can be compared agree. */
export function storedMismatches(record: unknown, values: CouponValues, config: CouponConfiguration): StoredMismatch[] {
  const pointers = placeholderPointers(config.payload ?? defaultPayloadTemplate);
  const sentValues = placeholderValues(config, values);
  const mismatches: StoredMismatch[] = [];
  for (const placeholder of compared) {
    for (const pointer of pointers.get(placeholder) ?? []) {
      const stored = valueAt(record, parsePointer(pointer));
      const sent = sentValues[placeholder];
      if (stored !== undefined && !sameValue(sent, stored)) mismatches.push({ placeholder, pointer, sent, stored });
    }
  }
  return mismatches;
}

/** Equal, or the same number written as a number on one side and as text on the other (`10` and `"10"`). */
function sameValue(sent: unknown, stored: unknown): boolean {
  if (isDeepStrictEqual(sent, stored)) return true;
  const asNumber = (value: unknown): number | undefined =>
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
        ? Number(value)
        : undefined;
  const [a, b] = [asNumber(sent), asNumber(stored)];
  return a !== undefined && a === b && (typeof sent === 'number' || typeof stored === 'number');
}

/** `playerUniqueId "Jos?" where "José" was sent (at /playerUniqueId)`, for a message. */
export function describeMismatch({ placeholder, pointer, sent, stored }: StoredMismatch): string {
  return `${placeholder} ${JSON.stringify(stored)} where ${JSON.stringify(sent)} was sent (at ${pointer})`;
}
