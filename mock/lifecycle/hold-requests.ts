// Gameball's Hold Points API on the ledger: hold some of a customer's points for a checkout (by
// points, by money's worth, or by a redemption rule's cost), read the hold, release it. The hold
// lasts the loyalty rules' holdMinutes; a redemption or an order spends it by its reference.
import type { components } from '../../openapi/generated/gameball.ts';
import type { MockContext } from '../context.ts';
import { holdNotFound, invalidValue, missingArguments, notAchievable } from '../errors.ts';
import { findOrCreateCustomer } from './customers.ts';
import { isHolding, placeHold, releaseHold } from './holds.ts';
import { worth } from './ledger.ts';
import type { HoldRecord } from './records.ts';
import { pointValue, redemptionRules } from './redemption-rules.ts';

type Schemas = components['schemas'];

function pointsToHold(context: MockContext, request: Schemas['HoldRequest']): number {
  if (request.pointsToHold !== undefined) return request.pointsToHold;
  if (request.amountToHold !== undefined) return Math.ceil(Math.round((request.amountToHold / pointValue) * 1e6) / 1e6);
  if (request.ruleId !== undefined) {
    const rule = redemptionRules(context.settings.startingPoints).find((r) => String(r.id) === request.ruleId);
    if (!rule) throw invalidValue(`Invalid value for ruleId: there is no redemption rule ${request.ruleId}.`);
    return rule.pointsToRedeem;
  }
  throw missingArguments(['pointsToHold, amountToHold or ruleId']);
}

export function holdPoints(context: MockContext, request: Schemas['HoldRequest']): Schemas['HoldResult'] {
  const points = pointsToHold(context, request);
  if (!(points > 0)) throw invalidValue('Invalid value: the points to hold must be more than 0.');
  return context.store.transaction(() => {
    findOrCreateCustomer(context, request.customerId);
    const minutes = context.settings.rules.holdMinutes;
    const expiresAt = new Date(context.now().getTime() + minutes * 60_000).toISOString();
    const hold = placeHold(context, request.customerId, points, expiresAt, `Held for ${minutes} minutes`);
    return {
      customerId: hold.customerId,
      holdAmount: worth(points),
      holdEquivalentPoints: points,
      holdReference: hold.holdReference,
    };
  });
}

/** A hold that exists to Gameball: one released is gone (9006, *inference*: Gameball cancels it). */
export function heldPoints(context: MockContext, holdReference: string): HoldRecord {
  const hold = context.store.get<HoldRecord>('hold', holdReference);
  if (!hold || hold.status === 'released' || hold.expiresAt === null) throw holdNotFound(holdReference);
  return hold;
}

export function presentHold(context: MockContext, hold: HoldRecord): Schemas['HeldPoints'] {
  const state = hold.status === 'used' ? 'Used' : isHolding(context, hold) ? 'Active' : 'Expired';
  return {
    customerId: hold.customerId,
    holdAmount: worth(hold.points),
    holdEquivalentPoints: hold.points,
    state,
    ...(hold.expiresAt !== null ? { dateToExpire: hold.expiresAt } : {}),
  };
}

/** Releases the hold; one already spent cannot be (3004). */
export function releaseHeldPoints(context: MockContext, holdReference: string): Schemas['OperationResult'] {
  return context.store.transaction(() => {
    const hold = heldPoints(context, holdReference);
    if (hold.status === 'used') {
      throw notAchievable(`Hold ${holdReference} was already spent by ${hold.usedBy}; it cannot be released.`);
    }
    releaseHold(context, hold, 'Released by DELETE /transactions/hold.');
    return { success: true, message: 'Hold released.' };
  });
}
