// When the merchant makes the codes (a template without {{code}}), each answer can be right on its
// own and the run still wrong: two deliveries answered with one code are one coupon for two
// redemptions. The judge reads one answer; this register reads them together, for verify,
// `trigger --count`, the stand-in and the load runner alike, and turns the second delivery's
// verdict into a `duplicate-code` failure.
import type { AcceptanceVerdict } from './judge.ts';

/** The codes answered so far, each with the delivery that got it first. */
export interface CodeRegister<Delivery> {
  /**
   * Records that `delivery` was answered `code`; returns the other delivery that got it first, or
   * undefined when the code is new (or was answered to this same delivery before: a repeat).
   */
  claim(code: string, delivery: Delivery): Delivery | undefined;
}

export function codeRegister<Delivery>(): CodeRegister<Delivery> {
  const holders = new Map<string, Delivery>();
  return {
    claim(code, delivery) {
      const holder = holders.get(code);
      if (holder === undefined) {
        holders.set(code, delivery);
        return undefined;
      }
      return holder === delivery ? undefined : holder;
    },
  };
}

/**
 * Why a code is a `duplicate-code`, as the end of a sentence ("answered 200 but …"): `earlier` says
 * which delivery got the code first.
 */
export function duplicateCodeReason(code: string, earlier: string): string {
  return `its code ${code} was already given to another delivery (${earlier}); the template has no {{code}}, so every delivery must get a code of its own, or two redemptions share one coupon`;
}

/**
 * The verdict on an answer whose code another delivery already got: refused as `duplicate-code`
 * (first among its findings); the verdict as it was when the code is new. Claims the code.
 */
export function judgeDistinct<Delivery>(
  verdict: AcceptanceVerdict,
  register: CodeRegister<Delivery>,
  delivery: Delivery,
  describe: (earlier: Delivery) => string,
): AcceptanceVerdict {
  if (!verdict.accepted || verdict.code === undefined) return verdict;
  const earlier = register.claim(verdict.code, delivery);
  if (earlier === undefined) return verdict;
  const message = `The endpoint answered 200 but ${duplicateCodeReason(verdict.code, describe(earlier))}.`;
  return {
    ...verdict,
    accepted: false,
    kind: 'duplicate-code',
    detail: message,
    findings: [{ severity: 'failure', kind: 'duplicate-code', message }, ...verdict.findings],
  };
}
