// Replay: a cassette's deliveries as scenarios, so that verify, trigger and the load runner send
// them down the path every delivery takes (core/scenarios -> core/render). Each recorded body is
// read back through the configuration's payload template (core/render/match-template.ts) into the
// values it was filled with; the renderer then fills them again with a fresh code, and signs and
// sends the configuration's headers like any delivery: so the redacted values in the cassette are
// never sent, and a replay never collides with the coupons the recording created. Each delivery is
// rendered once with its recorded code first and must come out as recorded: a configuration that
// cannot express a delivery is refused, not replayed wrongly. The stand-in's cassette hides the
// template's own secret literals (`"apiKey":"<redacted>"`), so a body is also read through the
// template with those literals hidden the same way; the configuration's real value is sent.
import { isDeepStrictEqual } from 'node:util';
import { bodyText, type ExchangeRecord } from '../cassette/cassette-format.ts';
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { defaultPayloadTemplate } from '../config/default-configuration.ts';
import { UsageError } from '../errors.ts';
import { parseJson } from '../parse-json.ts';
import { redactCredentials } from '../redact/redact-credentials.ts';
import { redactedMark } from '../redact/redactor.ts';
import { templateMatcher } from '../render/match-template.ts';
import { renderDelivery } from '../render/render-delivery.ts';
import { type Scenario, scenarioValues } from '../scenarios/scenarios.ts';
import { replayedValues } from './replayed-values.ts';

export interface ReplayPlan {
  /** The distinct recorded deliveries, in cassette order, as scenarios `replay-<seq>`. */
  scenarios: Scenario[];
  /** How many recorded deliveries each scenario stands for (repeats of one body fold into it). */
  weights: number[];
  notes: string[];
}

/** `only`: the seq of the one delivery to replay (`trigger --replay FILE#N`). Throws UsageError. */
export function replayScenarios(
  exchanges: readonly ExchangeRecord[],
  config: CouponConfiguration,
  only?: number,
): ReplayPlan {
  const unfilled = redactedEntries(config);
  if (unfilled.length > 0) throw new UsageError(stillRedacted(unfilled));
  const chosen = exchanges.filter((e) => !(e.response?.from === 'recorder' && e.response.status === 413));
  const picked = only === undefined ? chosen : chosen.filter((e) => e.seq === only);
  if (picked.length === 0) throw new UsageError(noDelivery(chosen, only));
  const match = bodyMatcher(config);
  const plan: ReplayPlan = { scenarios: [], weights: [], notes: [] };
  const recordedCodes = codesOf(exchanges);
  const seen = new Map<string, number>();
  for (const record of picked) {
    const document = recordedDocument(record);
    const key = JSON.stringify(document);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      plan.weights[earlier]! += 1;
      continue;
    }
    const matched = match(document);
    if ('mismatch' in matched) throw new UsageError(misfit(record, matched.mismatch));
    seen.set(key, plan.scenarios.length);
    const scenario = scenarioOf(record, matched.values, config, document, plan.notes);
    if (typeof matched.values.code === 'string') recordedCodes.add(matched.values.code);
    plan.scenarios.push({ ...scenario, avoidCodes: recordedCodes });
    plan.weights.push(1);
  }
  const folded = picked.length - plan.scenarios.length;
  if (folded > 0) {
    plan.notes.push(
      `${folded} recorded deliver${folded === 1 ? 'y repeats' : 'ies repeat'} an earlier one (the same body): each distinct delivery is replayed once (verify's idempotency checks send repeats of their own).`,
    );
  }
  return plan;
}

function scenarioOf(
  record: ExchangeRecord,
  recorded: Record<string, unknown>,
  config: CouponConfiguration,
  document: unknown,
  notes: string[],
): Scenario {
  const code = typeof recorded.code === 'string' ? recorded.code : undefined;
  const { couponKind, values } = replayedValues(config, recorded);
  const scenario: Scenario = {
    id: `replay-${record.seq}`,
    title: `Recorded delivery #${record.seq} (${record.time})`,
    couponKind,
    codePrefix: prefixOf(code),
    values,
  };
  const again = renderDelivery(config, scenarioValues(scenario, code ?? 'GBREPLAY-CODE'));
  const asRecorded = (body: string) => isDeepStrictEqual(parseJson(body), document);
  if (!asRecorded(again.body ?? '') && !asRecorded(asStandInRecords(config, again.body ?? ''))) {
    const where = templateMatcher(again.body ?? '')(document);
    const why = 'mismatch' in where ? where.mismatch : 'the bodies differ';
    throw new UsageError(
      `Recorded delivery #${record.seq} does not come out as recorded when the configuration renders it again (${why}); infer the configuration from the cassette with gb-coupon config infer and pass it with --config.`,
    );
  }
  if (code !== undefined && code.length >= 4) {
    const fresh = renderDelivery(config, scenarioValues(scenario, 'GBREPLAY-FRESH'));
    if (fresh.body?.includes(code)) {
      notes.push(
        `#${record.seq}: its recorded code ${code} also stands where the template has fixed text, so a replay sends it again there.`,
      );
    }
  }
  return scenario;
}

/** A body (or the template) as the stand-in's cassette writes it: the configuration's secrets hidden, in place and by value. */
function asStandInRecords(config: CouponConfiguration, body: string): string {
  return redactCredentials({ method: config.method, url: config.url, headers: {}, body }, config).body ?? body;
}

/** The recorded body's values through the template, or through it with its own secrets hidden. */
function bodyMatcher(config: CouponConfiguration): ReturnType<typeof templateMatcher> {
  const template = config.payload ?? defaultPayloadTemplate;
  const plain = templateMatcher(template);
  const hidden = asStandInRecords(config, template);
  if (hidden === template) return plain;
  const redacted = templateMatcher(hidden);
  return (document) => {
    const matched = plain(document);
    if (!('mismatch' in matched)) return matched;
    const again = redacted(document);
    return 'mismatch' in again ? matched : again;
  };
}

/** Every code the cassette's deliveries carried or were answered with: the coupons the recording created. */
function codesOf(exchanges: readonly ExchangeRecord[]): Set<string> {
  const codes = new Set<string>();
  for (const { verdict } of exchanges) {
    if (verdict.sentCode) codes.add(verdict.sentCode);
    if (verdict.code) codes.add(verdict.code);
  }
  return codes;
}

function recordedDocument(record: ExchangeRecord): unknown {
  if (record.request.method.toUpperCase() === 'GET') {
    throw new UsageError(
      `Recorded delivery #${record.seq} is a GET (its fields are in the query): replay takes POST and PUT deliveries.`,
    );
  }
  const text = record.request.truncated ? undefined : bodyText(record.request);
  const document = text === undefined ? undefined : parseJson(text);
  if (document === undefined) {
    throw new UsageError(
      `Recorded delivery #${record.seq} has a body that is not ${text === undefined ? 'whole UTF-8 text' : 'JSON'}; the kit replays JSON deliveries.`,
    );
  }
  return document;
}

/** The code's prefix (GB10 of GB10-ABCD…), so that fresh codes look like the recorded ones. */
function prefixOf(code: string | undefined): string {
  const prefix = code === undefined ? undefined : /^([A-Za-z0-9_]{1,16})-/.exec(code)?.[1];
  return prefix ?? 'GBREPLAY';
}

function misfit(record: ExchangeRecord, mismatch: string): string {
  return (
    `Recorded delivery #${record.seq} does not fit the configuration's payload template (${mismatch}). ` +
    "Replay reads each recorded body through the configuration's template: infer the configuration from the cassette " +
    '(gb-coupon config infer --from CASSETTE > config.json, then put your credentials back) and pass it with --config.'
  );
}

/** Where the configuration still says `<redacted>` (config infer's output, its credentials not put back). */
function redactedEntries(config: CouponConfiguration): string[] {
  const where = [
    ...(config.headers ?? []).filter((h) => h.value.includes(redactedMark)).map((h) => `header ${h.key}`),
    ...(config.queryParams ?? []).filter((q) => q.value.includes(redactedMark)).map((q) => `query parameter ${q.key}`),
  ];
  if (config.url.includes(redactedMark) || config.url.includes(encodeURIComponent(redactedMark))) where.push('url');
  if (config.payload?.includes(redactedMark)) where.push('payload');
  return where;
}

function stillRedacted(where: readonly string[]): string {
  return (
    `The configuration still says ${redactedMark} where a credential goes (${where.join(', ')}): a cassette never holds ` +
    "credentials, so config infer cannot know them, and a replay sends the configuration's. Put yours back in the " +
    'file before replaying (in CI, write them in from a secret).'
  );
}

function noDelivery(chosen: readonly ExchangeRecord[], only: number | undefined): string {
  if (chosen.length === 0) return 'The cassette holds no delivery to replay; record some with gb-coupon record.';
  const first = chosen[0]!.seq;
  const last = chosen.at(-1)!.seq;
  return `The cassette holds no delivery #${only}; its deliveries are #${first} to #${last}.`;
}
