// The project's default configuration comes from the contract's named example, so the payload
// template every part of the kit sends is, byte for byte, the one the contract documents. The kit
// ships three templates, each a named example: the default (Gameball's documented placeholders
// only, {{code}} included), its merchant-code variant (without {{code}}: the merchant generates the
// code) and the opt-in extended one (the kit's own fields too, not documented by Gameball).
import { contractDocument } from '../../openapi/contract.ts';
import type { CouponConfiguration, CouponKind, CouponMapping } from './coupon-configuration.ts';

function namedExample(name: string): CouponConfiguration {
  const examples = (contractDocument('gameball').components as { examples: Record<string, { value: unknown }> })
    .examples;
  return structuredClone(examples[name]!.value) as CouponConfiguration;
}

const defaults = namedExample('DefaultConfiguration');

/** The default payload template: documented placeholders only, {{code}} included. */
export const defaultPayloadTemplate: string = defaults.payload!;

/** The default template without {{code}}: the merchant generates the code. */
export const merchantCodePayloadTemplate: string = namedExample('MerchantCodeConfiguration').payload!;

/** The kit's opt-in extended template: the default plus the kit's own placeholders (not documented by Gameball). */
export const extendedPayloadTemplate: string = namedExample('ExtendedConfiguration').payload!;

/** The templates the kit ships, by the name `--template` takes. */
export const shippedTemplates = {
  default: defaultPayloadTemplate,
  'merchant-code': merchantCodePayloadTemplate,
  extended: extendedPayloadTemplate,
} as const;
export type ShippedTemplate = keyof typeof shippedTemplates;

/** The default couponMapping: Gameball kind -> the reference server's type names. */
export const defaultCouponMapping: Required<CouponMapping> = defaults.couponMapping as Required<CouponMapping>;

/**
 * The configuration a merchant would PUT to Gameball for an endpoint at `url` guarded by a bearer
 * token, with the default template or another the kit ships.
 */
export function defaultConfiguration(
  url: string,
  token: string,
  template: ShippedTemplate = 'default',
): CouponConfiguration {
  return {
    ...structuredClone(defaults),
    url,
    headers: [{ key: 'Authorization', value: `Bearer ${token}` }],
    payload: shippedTemplates[template],
  };
}

/**
 * True when the configuration sends one of the templates the kit ships (the default, its
 * merchant-code variant, the extended one), so the contract's schemas apply to the exchange.
 */
export function usesDefaultTemplate(config: CouponConfiguration): boolean {
  const payload = config.payload ?? defaultPayloadTemplate;
  return Object.values(shippedTemplates).includes(payload);
}

/** The type name a delivery carries for a kind: couponMapping's, and `custom` as it is (*inference*). */
export function mappedCouponType(config: CouponConfiguration, kind: CouponKind): string {
  if (kind === 'custom') return 'custom';
  return config.couponMapping?.[kind] ?? defaultCouponMapping[kind];
}
