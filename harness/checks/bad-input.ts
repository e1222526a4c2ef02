// A broken delivery must be refused (anything but 200) and must leave nothing behind: the same code
// then works. The cases come from the merchant request schema (bad-input-cases.ts), limited to what
// the configuration's template can express, plus two the schema cannot say: malformed JSON and a
// body over 1 MiB. Refusing with a JSON 4xx is advice (Gameball never reads an error body); accepting
// a delivery that breaks a required property is a failure (a coupon nobody owns, of no known kind).

import { defaultCouponMapping } from '../../core/config/default-configuration.ts';
import { paddedBody } from '../../core/http/curl-command.ts';
import type { Exchange } from '../../core/http/send-request.ts';
import { scanJson } from '../../core/judge/scan-json.ts';
import { couponTypePlaceholders } from '../../core/render/placeholders.ts';
import type { CouponValues, RenderedRequest } from '../../core/render/render-delivery.ts';
import { parsePointer, valueAt } from '../../openapi/json-pointer.ts';
import { type BadInputCase, badInputCases } from './bad-input-cases.ts';
import {
  type Check,
  type CheckContext,
  type Delivery,
  describeAnswer,
  type Finding,
  isClientError,
  skip,
  verdictOf,
} from './check.ts';
import { answersOnly, storedProblem } from './storage.ts';

interface PlannedCase {
  name: string;
  /** The valid delivery the case breaks; sent after the case to show nothing was left behind. */
  base: Delivery;
  request: RenderedRequest;
  /** What accepting it is: a failure for a required property or malformed JSON, else a warning. */
  severity: 'failure' | 'warning';
  /** The kind when it is accepted. */
  acceptedKind: string;
  /** The code the broken request carries, if any (a lookup then expects nothing under it). */
  code?: string;
}

const oversizeBytes = 1024 * 1024 + 64 * 1024;

/**
 * The values with one field changed: a delivery field, or any other placeholder as an extra. The
 * coupon type is filled by {{discount_type}} (Gameball's name) or the kit's {{couponType}}: both change.
 */
function changed(values: CouponValues, field: string, value: unknown): Partial<CouponValues> {
  if (Object.hasOwn(values, field) && field !== 'couponKind' && field !== 'extra') {
    return { [field]: value } as Partial<CouponValues>;
  }
  const names = field === 'couponType' ? couponTypePlaceholders : [field];
  return { extra: { ...values.extra, ...Object.fromEntries(names.map((name) => [name, value as string])) } };
}

/** Where the template puts a field's value as a whole JSON value, found by rendering a marker. */
function bodyPointer(context: CheckContext, base: Delivery, field: string): string | undefined {
  const marker = `gb-coupon-marker-${field}`;
  const probe = context.redeliver(base, changed(base.values, field, marker));
  const body = parse(probe.request.body);
  return body === undefined ? undefined : findString(body, marker, '');
}

function findString(node: unknown, marker: string, at: string): string | undefined {
  if (node === marker) return at;
  if (node === null || typeof node !== 'object') return undefined;
  for (const [key, value] of Object.entries(node)) {
    const found = findString(value, marker, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function parse(body: string | undefined): unknown {
  try {
    return body === undefined ? undefined : JSON.parse(body);
  } catch {
    return undefined;
  }
}

const jsonType = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

function removeAt(document: unknown, pointer: string): void {
  const keys = parsePointer(pointer);
  const last = keys.pop()!;
  const parent = valueAt(document, keys) as Record<string, unknown>;
  delete parent[last];
}

/** The scenario a case needs (one whose coupon type meets the case's condition), if one is enabled. */
function baseFor(context: CheckContext, badCase: BadInputCase): Delivery | undefined {
  if (!badCase.when) return context.deliver(context.scenarios[0]!);
  if (badCase.when.field !== 'couponType') return undefined;
  const kind = Object.entries(defaultCouponMapping).find(([, name]) => name === badCase.when!.equals)?.[0];
  const scenario = context.scenarios.find((s) => s.couponKind === kind);
  return scenario ? context.deliver(scenario) : undefined;
}

/** The schema's cases this template can express, and why the others are not sent. */
function planSchemaCases(context: CheckContext): { planned: PlannedCase[]; notSent: string[] } {
  const planned: PlannedCase[] = [];
  const notSent: string[] = [];
  const sentBodies = new Set<string>();
  for (const badCase of badInputCases()) {
    const base = baseFor(context, badCase);
    if (!base) {
      notSent.push(
        `${badCase.name}\u0000no enabled coupon type has ${badCase.when!.field} ${String(badCase.when!.equals)}`,
      );
      continue;
    }
    const at = bodyPointer(context, base, badCase.field);
    let request: RenderedRequest | undefined;
    let why = '';
    if (!('value' in badCase)) {
      if (at === undefined || at === '') why = `the template does not carry {{${badCase.field}}} as a value of its own`;
      else {
        const body = parse(base.request.body);
        removeAt(body, at);
        request = context.withBody(base.request, JSON.stringify(body));
      }
    } else {
      const broken = context.redeliver(base, changed(base.values, badCase.field, badCase.value));
      if (broken.request.body === base.request.body && broken.request.url === base.request.url) {
        why = `the template does not carry {{${badCase.field}}}`;
      } else if (badCase.keyword === 'type') {
        const before = at === undefined ? undefined : valueAt(parse(base.request.body), parsePointer(at));
        const after = at === undefined ? undefined : valueAt(parse(broken.request.body), parsePointer(at));
        if (at === undefined || jsonType(before) === jsonType(after)) {
          why = `the template sends {{${badCase.field}}} as text, so its type cannot change`;
        } else request = broken.request;
      } else request = broken.request;
    }
    if (!request) {
      notSent.push(`${badCase.name}\u0000${why}`);
      continue;
    }
    // Two cases that render the same request are one case.
    if (sentBodies.has(`${request.url}\u0000${request.body}`)) continue;
    sentBodies.add(`${request.url}\u0000${request.body}`);
    const sentCode = badCase.field === 'code' ? badCase.value : base.values.code;
    planned.push({
      name: badCase.name,
      base,
      request,
      severity: badCase.severity,
      acceptedKind: 'bad-input-accepted',
      ...(typeof sentCode === 'string' && /^[\w-]+$/.test(sentCode) ? { code: sentCode } : {}),
    });
  }
  // One line per reason: "/code of the wrong type, /source of the wrong type (the template sends … as text)".
  const byReason = new Map<string, string[]>();
  for (const entry of notSent) {
    const [name, why] = entry.split('\u0000') as [string, string];
    const key = why.replace(/\{\{\w+\}\}/, 'it');
    byReason.set(key, [...(byReason.get(key) ?? []), name]);
  }
  return { planned, notSent: [...byReason].map(([why, names]) => `${names.join(', ')} (${why})`) };
}

function plan(context: CheckContext): { planned: PlannedCase[]; notSent: string[] } {
  const malformedBase = context.deliver(context.scenarios[0]!);
  const malformed: PlannedCase = {
    name: 'malformed JSON',
    base: malformedBase,
    request: context.withBody(malformedBase.request, `${malformedBase.request.body!.slice(0, -7)},,}`),
    severity: 'failure',
    acceptedKind: 'bad-input-accepted',
    code: malformedBase.values.code,
  };
  const schema = planSchemaCases(context);
  const largeBase = context.deliver(context.scenarios[0]!);
  const padded = paddedBody(largeBase.request.body!, oversizeBytes);
  const oversize: PlannedCase = {
    name: 'a body over 1 MiB',
    base: largeBase,
    request: context.withBody(largeBase.request, padded.body, padded.bodyShell),
    // The padding is an unknown property around a valid delivery: accepting it is no broken coupon.
    severity: 'warning',
    acceptedKind: 'no-body-size-limit',
  };
  return { planned: [malformed, ...schema.planned, oversize], notSent: schema.notSent };
}

/** What is wrong with one case's outcome, if anything: its refusal, then what it left behind. */
async function judgeCase(context: CheckContext, badCase: PlannedCase): Promise<Finding[]> {
  const exchange = await context.send(badCase.request);
  const status = exchange.response?.status;
  if (status === 200) {
    const message =
      badCase.acceptedKind === 'no-body-size-limit'
        ? `A body over 1 MiB was accepted (200): without a body-size limit one request can exhaust the server's memory.`
        : `${badCase.name} was accepted (200)${badCase.severity === 'failure' ? ': a coupon that is not what Gameball sent can be created' : ''}.`;
    return [{ severity: badCase.severity, kind: badCase.acceptedKind, message, evidence: [exchange] }];
  }
  const findings: Finding[] = [];
  if (status === undefined) {
    findings.push({
      severity: 'warning',
      kind: 'bad-input-no-answer',
      message: `${badCase.name} ${describeAnswer(exchange)}; refuse it with a 4xx instead.`,
      evidence: [exchange],
    });
  } else if (status >= 500) {
    findings.push({
      severity: 'warning',
      kind: 'bad-input-server-error',
      message: `${badCase.name} caused a server error (${status}); a client's mistake should be a 4xx.`,
      evidence: [exchange],
    });
  } else if (isClientError(exchange) && !isJsonObject(exchange)) {
    findings.push({
      severity: 'warning',
      kind: 'error-body-not-json',
      message: `${badCase.name} answered ${status} without a JSON error body (Gameball does not read it; people debugging do).`,
      evidence: [exchange],
    });
  }
  // When the merchant makes the codes, a refused delivery has no code to look up or to leave taken.
  if (badCase.acceptedKind === 'no-body-size-limit' || context.codeMode === 'merchant') return findings;
  if (badCase.code !== undefined) {
    const stored = await storedProblem(context, badCase.code, 0, [exchange], badCase.name);
    if (stored) return [...findings, stored];
  }
  // If the refused delivery had left a partial coupon behind, its code would now conflict.
  const valid = await context.send(badCase.base.request);
  const judgement = context.judgeCode(valid, badCase.base.values.code);
  if (valid.response?.status !== 200 || !judgement.carries) {
    findings.push({
      severity: 'failure',
      kind: 'bad-input-left-behind',
      message: `After refusing ${badCase.name}, the valid delivery of the same code ${badCase.base.values.code} ${describeAnswer(valid)}: the refused delivery left something behind.`,
      evidence: [exchange, valid],
    });
  }
  return findings;
}

/** An answer whose body is a JSON object, array or null; read, not parsed (see scan-json.ts). */
function isJsonObject(exchange: Exchange): boolean {
  const response = exchange.response;
  if (!response || response.truncated) return false;
  const body = response.body;
  return /^[ \t\n\r]*[{[n]/.test(body) && scanJson(body, '') !== undefined;
}

/**
 * Warnings of one kind become one finding (with the first case's reproduction), so twenty plain-text
 * 400s read as one piece of advice; failures stay one per case, each with its own reproduction.
 */
function grouped(findings: { finding: Finding; caseName: string }[]): Finding[] {
  const result: Finding[] = [];
  const byKind = new Map<string, { finding: Finding; caseName: string }[]>();
  for (const entry of findings) {
    if (entry.finding.severity === 'failure') result.push(entry.finding);
    else byKind.set(entry.finding.kind, [...(byKind.get(entry.finding.kind) ?? []), entry]);
  }
  for (const group of byKind.values()) {
    const [first, ...others] = group;
    result.push(
      others.length === 0
        ? first!.finding
        : {
            ...first!.finding,
            message: `${first!.finding.message} Likewise for ${others.length} more: ${others
              .slice(0, 3)
              .map((e) => e.caseName)
              .join('; ')}${others.length > 3 ? `; and ${others.length - 3} others` : ''}.`,
          },
    );
  }
  return result;
}

export const badInput: Check = {
  id: 'bad-input',
  title: 'Broken deliveries are refused and leave nothing behind',
  dependsOn: ['accepted'],
  async run(context) {
    if (context.config.method === 'GET') {
      return skip('The configuration uses GET, which carries no body to break.');
    }
    const { planned, notSent } = plan(context);
    const findings: { finding: Finding; caseName: string }[] = [];
    for (const badCase of planned) {
      for (const finding of await judgeCase(context, badCase)) findings.push({ finding, caseName: badCase.name });
    }
    const skipped = notSent.length > 0 ? ` Not sent: ${notSent.join('; ')}.` : '';
    const after =
      context.codeMode === 'merchant'
        ? ''
        : `, and the same code then worked.${context.lookup ? ' The lookup found nothing stored for any of them.' : ` ${answersOnly}`}`;
    return verdictOf(
      grouped(findings),
      `${planned.length} broken deliveries (${planned.map((c) => c.name).join(', ')}): each refused${after || '.'}${skipped}`,
    );
  },
};
