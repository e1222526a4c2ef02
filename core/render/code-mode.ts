// Who makes the coupon code: both readings are Gameball's own (facts, section 3), and the template
// chooses. With {{code}} in it, Gameball proposes the code and the merchant must answer exactly that
// code; without, the merchant generates the code and must answer a non-empty one of its own, a
// different one for every delivery. verify, trigger, config check, the stand-in and the load runner
// all ask this one function.
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { defaultPayloadTemplate } from '../config/default-configuration.ts';
import { compileTemplate } from './fill-template.ts';

/** `gameball`: the template carries {{code}}; `merchant`: it does not, and the merchant makes the code. */
export type CodeMode = 'gameball' | 'merchant';

export function codeModeOf(config: CouponConfiguration): CodeMode {
  const { placeholders } = compileTemplate(config.payload ?? defaultPayloadTemplate);
  return placeholders.some((p) => p.name === 'code') ? 'gameball' : 'merchant';
}

/** The code the answer must carry: the one the delivery carried, or none to compare (the merchant's own). */
export function expectedCodeOf(mode: CodeMode, sentCode: string): string | undefined {
  return mode === 'gameball' ? sentCode : undefined;
}

/** One line saying who makes the code, for headers and `config check`. */
export function describeCodeMode(mode: CodeMode): string {
  return mode === 'gameball'
    ? 'Gameball proposes the code ({{code}} is in the template): the answer must carry exactly that code.'
    : 'the merchant generates the code (the template has no {{code}}): the answer must carry a non-empty code of its own, a different one for every delivery.';
}

/**
 * Said once, prominently, by every report of a merchant-code run: nothing in such a delivery tells a
 * retry from a second redemption.
 */
export const retryWarning =
  'The template has no {{code}}, so your endpoint generates the codes: if Gameball sends a delivery again (a retry; Gameball does not document whether it retries coupon calls), your endpoint cannot recognise it unless the template carries a unique reference, and a retried delivery creates a second coupon.';
