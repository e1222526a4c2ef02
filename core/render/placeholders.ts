// The placeholders the kit fills, in two lists kept apart everywhere the kit shows them: those
// Gameball documents (API reference and tutorial, facts section 3) and the kit's own extension,
// which no Gameball source names. What Gameball does with a placeholder it does not document is
// not known; the kit never says it arrives empty.

/** Documented by Gameball: `{{value}}` and `{{amount}}` are one value under two names. */
export const documentedPlaceholders: readonly string[] = ['code', 'playerUniqueId', 'value', 'amount', 'discount_type'];

/** The kit's own extension (not documented by Gameball): filled by the kit, sent by its extended template. */
export const kitPlaceholders: readonly string[] = [
  'couponType',
  'expiresAfter',
  'usageLimit',
  'oncePerCustomer',
  'minOrderValue',
  'entitledProductIds',
  'entitledCollectionIds',
  'source',
];

/** The placeholders that carry the mapped coupon type: Gameball's documented name and the kit's own. */
export const couponTypePlaceholders: readonly string[] = ['discount_type', 'couponType'];

/** `{{a}}, {{b}}`: names as a template writes them. */
export const asPlaceholders = (names: readonly string[]): string => names.map((n) => `{{${n}}}`).join(', ');
