// Events: what a customer did, rewarded by the loyalty rules (each rule a campaign that gives its
// points every time its event is sent), and the preview of what they would earn. An event no rule
// names is received and earns nothing, as an event no campaign counts toward does on Gameball.
import type { components } from '../../openapi/generated/gameball.ts';
import type { MockContext } from '../context.ts';
import type { LedgerEntry } from '../state/ledger-table.ts';
import { findOrCreateCustomer } from './customers.ts';
import { writeEntry } from './ledger.ts';
import { type EventRule, rulesFor } from './loyalty-rules.ts';

type Schemas = components['schemas'];

/** Writes the points each event earns (within the caller's transaction); the entries written. */
export function rewardEvents(
  context: MockContext,
  customerId: string,
  events: string[],
  orderId?: string,
): LedgerEntry[] {
  return context.store.transaction(() => {
    findOrCreateCustomer(context, customerId);
    const written: LedgerEntry[] = [];
    for (const event of events) {
      for (const rule of rulesFor(context.settings.rules, event)) {
        if (rule.points <= 0) continue;
        written.push(
          writeEntry(context, {
            customerId,
            kind: 'earn',
            points: rule.points,
            transactionType: 'AchievementReward',
            ...(orderId !== undefined ? { orderId } : {}),
            amount: 0,
            reason: `${rule.campaignName} (${event})`,
          }),
        );
      }
    }
    return written;
  });
}

export function sendEvents(context: MockContext, request: Schemas['EventsRequest']): Schemas['OperationResult'] {
  rewardEvents(context, request.customerId, Object.keys(request.events));
  return { success: true, message: 'Events received.' };
}

/** What one event would earn now, campaign by campaign. */
export function previewEvent(context: MockContext, event: string): Schemas['EventRewardPreview'] {
  const campaigns = rulesFor(context.settings.rules, event).map(campaignPreview);
  return {
    eventName: event,
    valid: true,
    invalidReason: null,
    totalPoints: campaigns.reduce((sum, campaign) => sum + (campaign.points ?? 0), 0),
    campaigns,
  };
}

function campaignPreview(rule: EventRule): Schemas['CampaignRewardPreview'] {
  return {
    campaignId: rule.campaignId,
    campaignName: rule.campaignName,
    campaignEndDate: null,
    eligible: true,
    reason: 'Rewarded',
    rewardType: 'Points',
    rewardPoints: rule.points,
    couponType: null,
    couponValue: null,
    points: rule.points,
    timesAchieved: 1,
    progress: null,
  };
}

export function previewEvents(
  context: MockContext,
  request: Schemas['EventRewardPreviewRequest'],
): Schemas['EventRewardsPreview'] {
  const events = Object.keys(request.events).map((event) => previewEvent(context, event));
  return {
    customerId: request.customerId,
    totalPoints: events.reduce((sum, event) => sum + (event.totalPoints ?? 0), 0),
    events,
  };
}
