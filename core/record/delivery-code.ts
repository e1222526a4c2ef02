// The code a received delivery carries, as far as the recorder can tell without the configuration
// that produced it: the kit's default template says exactly where it is; otherwise a member named
// `code` or `couponCode` (Gameball's documented templates name it so). None found: the merchant
// makes the code, and the judge asks for a non-empty one in the answer.
import { defaultPayloadTemplate } from '../config/default-configuration.ts';
import { parseJson } from '../parse-json.ts';
import { templateMatcher } from '../render/match-template.ts';

export interface DeliveryCode {
  /** The code the delivery carries; undefined when none was found. */
  code?: string;
  /** The body fits the kit's default template, so the contract's answer schema applies. */
  usesDefaultTemplate: boolean;
}

const fitsDefaultTemplate = templateMatcher(defaultPayloadTemplate);
const codeName = /^(coupon[_-]?)?code$/i;

export function deliveryCodeOf(bodyText: string | undefined): DeliveryCode {
  const document = bodyText === undefined ? undefined : parseJson(bodyText);
  if (document === undefined) return { usesDefaultTemplate: false };
  const match = fitsDefaultTemplate(document);
  if ('values' in match && typeof match.values.code === 'string') {
    return { code: match.values.code, usesDefaultTemplate: true };
  }
  const code = memberNamedCode(document);
  return code === undefined ? { usesDefaultTemplate: false } : { code, usesDefaultTemplate: false };
}

/** The shallowest non-empty string member named like a code, breadth first. */
function memberNamedCode(document: unknown): string | undefined {
  let level: unknown[] = [document];
  for (let depth = 0; depth < 8 && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const value of level) {
      if (value === null || typeof value !== 'object') continue;
      for (const [key, member] of Object.entries(value)) {
        if (codeName.test(key) && typeof member === 'string' && member !== '') return member;
        next.push(member);
      }
    }
    level = next;
  }
  return undefined;
}
