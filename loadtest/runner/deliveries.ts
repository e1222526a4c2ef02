// The requests of a load run: scenario by --mix, a fresh code, and the body from core's one
// renderer. Seeded, so the k6 scripts (which replay the renderer's output through their fixture)
// send the very same requests for the same seed.
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { compileDelivery, type RenderedRequest } from '../../core/render/render-delivery.ts';
import { avoidedBy, drawCode, type Scenario, seededRandom } from '../../core/scenarios/scenarios.ts';
import { type MixEntry, pickFromMix } from './mix.ts';

export interface LoadDelivery {
  scenario: Scenario;
  code: string;
  request: RenderedRequest;
}

/**
 * One draw picks the scenario, ten draw the code (`drawCode`, verify's code shape). Unlike verify's
 * codeGenerator this remembers no codes, so memory stays flat over a long run: 50 random
 * bits per code make a repeat within a run vanishingly unlikely.
 */
export function deliverySource(
  config: CouponConfiguration,
  mix: readonly MixEntry[],
  seed: number,
  options: { signingSecret?: string } = {},
): () => LoadDelivery {
  const random = seededRandom(seed);
  const renderer = compileDelivery(config, options.signingSecret ? { signingSecret: options.signingSecret } : {});
  // Each scenario's fixed values are filled into the template once; every request fills its code.
  const renderers = new Map(
    mix.map(({ scenario }) => [scenario, renderer.forCodes({ couponKind: scenario.couponKind, ...scenario.values })]),
  );
  const avoided = avoidedBy(mix.map((entry) => entry.scenario));
  return () => {
    const scenario = pickFromMix(mix, random());
    let code = drawCode(random, scenario.codePrefix);
    // A replay's codes are never sent again (core/replay): another draw, as rare as a repeat.
    while (avoided(code)) code = drawCode(random, scenario.codePrefix);
    return { scenario, code, request: renderers.get(scenario)!(code) };
  };
}
