// The loyalty rules behind the stand-in's points, as data: mock/loyalty-rules.json by default, or
// a file of the same shape (LoyaltyRules in openapi/gameball-mock-control.yaml, which validates
// it). What an order or a cashback earns, what each event earns, how long a hold lasts, and the
// automatic coupons, all come from here, so a partner changes them without touching code.
import { readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.ts';
import { describeErrors, problemLines, schemaValidator } from '../../openapi/contract.ts';
import type { components } from '../../openapi/generated/gameball-mock-control.ts';

export type LoyaltyRules = components['schemas']['LoyaltyRules'];
export type EventRule = components['schemas']['EventRule'];

const seededFile = new URL('../loyalty-rules.json', import.meta.url);

/** The rules in `file` (the seeded ones when absent); a UsageError saying what is wrong otherwise. */
export function loadLoyaltyRules(file?: string): LoyaltyRules {
  const where = file ?? seededFile;
  let rules: unknown;
  try {
    rules = JSON.parse(readFileSync(where, 'utf8'));
  } catch (error) {
    throw new UsageError(`Cannot read the loyalty rules ${String(where)}: ${(error as Error).message}.`);
  }
  const validate = schemaValidator<LoyaltyRules>('gameball-mock-control', 'LoyaltyRules');
  if (!validate(rules)) {
    const problems = problemLines(describeErrors(validate.errors), 'the rules').join('; ');
    throw new UsageError(
      `The loyalty rules ${String(where)} are not valid: ${problems}. Their shape is LoyaltyRules in openapi/gameball-mock-control.yaml; mock/loyalty-rules.json is an example.`,
    );
  }
  return rules;
}

/** Points an amount paid earns by the cashback factor, unrounded and rounded down. */
export function cashbackPoints(rules: LoyaltyRules, amount: number): { decimal: number; points: number } {
  const decimal = Math.round(Math.max(0, amount) * rules.cashbackFactor * 100) / 100;
  return { decimal, points: Math.floor(decimal) };
}

/** The rules an event name earns from (none for an event no rule names). */
export function rulesFor(rules: LoyaltyRules, event: string): EventRule[] {
  return rules.events.filter((rule) => rule.event === event);
}
