// The placeholders the kit fills, in two lists kept apart everywhere the kit shows them: those
// Gameball documents (API reference and tutorial, facts section 3) and the kit's own extension,
// which no Gameball source names. What Gameball does with a placeholder it does not document is
// not known; the kit never says it arrives empty.
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { defaultPayloadTemplate } from '../config/default-configuration.ts';
import { compileTemplate } from './fill-template.ts';

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

/** A template's placeholders, each once, in template order, by who documents them. */
export interface TemplatePlaceholders {
  documented: string[];
  kit: string[];
  /** Neither documented nor filled by the kit (the lint warns about each). */
  unknown: string[];
}

export function templatePlaceholders(config: CouponConfiguration): TemplatePlaceholders {
  const names = [...new Set(compileTemplate(config.payload ?? defaultPayloadTemplate).placeholders.map((p) => p.name))];
  return {
    documented: names.filter((n) => documentedPlaceholders.includes(n)),
    kit: names.filter((n) => kitPlaceholders.includes(n)),
    unknown: names.filter((n) => !documentedPlaceholders.includes(n) && !kitPlaceholders.includes(n)),
  };
}
