// The project's default configuration comes from the contract's named example, so the payload
// template every part of the kit sends is, byte for byte, the one the contract documents.
import { contractDocument } from '../../openapi/contract.ts';
import type { CouponConfiguration, CouponMapping, GameballCouponKind } from './coupon-configuration.ts';

function namedExample(name: string): CouponConfiguration {
  const examples = (contractDocument('gameball').components as { examples: Record<string, { value: unknown }> })
    .examples;
  return structuredClone(examples[name]!.value) as CouponConfiguration;
}

const defaults = namedExample('DefaultConfiguration');

/** The default payload template (every placeholder under its own name). */
export const defaultPayloadTemplate: string = defaults.payload!;

/** The default couponMapping: Gameball kind -> the reference server's type names. */
export const defaultCouponMapping: Required<CouponMapping> = defaults.couponMapping as Required<CouponMapping>;

/** The configuration a merchant would PUT to Gameball for an endpoint at `url` guarded by a bearer token. */
export function defaultConfiguration(url: string, token: string): CouponConfiguration {
  return {
    ...structuredClone(defaults),
    url,
    headers: [{ key: 'Authorization', value: `Bearer ${token}` }],
  };
}

/** True when the configuration sends the default template, so the contract's schemas apply to the exchange. */
export function usesDefaultTemplate(config: CouponConfiguration): boolean {
  return (config.payload ?? defaultPayloadTemplate) === defaultPayloadTemplate;
}

export function mappedCouponType(config: CouponConfiguration, kind: GameballCouponKind): string {
  return config.couponMapping?.[kind] ?? defaultCouponMapping[kind];
}
