// The run: normalise the configuration, give every selected check the same context, collect the
// verdicts into a report. Checks run one after another so each sees a quiet endpoint; within a
// check, requests may run at once.

import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { usesDefaultTemplate } from '../../core/config/default-configuration.ts';
import {
  isNormalised,
  type NormalisedConfiguration,
  normaliseConfiguration,
} from '../../core/config-file/normalise-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import { curlCommand, curlScript } from '../../core/http/curl-command.ts';
import { type Exchange, sendRequest, withShortBody } from '../../core/http/send-request.ts';
import { findCode } from '../../core/judge/find-code.ts';
import { codeLocationOf, judge } from '../../core/judge/judge.ts';
import { redactCredentials } from '../../core/redact/redact-credentials.ts';
import {
  type CouponValues,
  type RenderedRequest,
  renderDelivery,
  signBody,
} from '../../core/render/render-delivery.ts';
import {
  scenarios as allScenarios,
  codeGenerator,
  isEnabled,
  randomSeed,
  scenarioValues,
  seededRandom,
} from '../../core/scenarios/scenarios.ts';
import { tool } from '../../core/tool.ts';
import type { Check, CheckContext, CheckVerdict, Delivery, EvidenceStep, RecordedExchange } from '../checks/check.ts';
import { checks as builtInChecks } from '../checks/registry.ts';
import type { CheckResult, FindingResult, Report, Reproduction } from '../report/types.ts';
import { summariseLatency } from './latency.ts';
import { type Lookup, parseLookup, readBack } from './lookup.ts';

export interface VerifyOptions {
  /** Makes codes and choices repeatable; random when absent (the report says which was used). */
  seed?: number;
  /** p95 budget for the latency check, in ms (default 1000). */
  latencyBudgetMs?: number;
  /** Run only these check ids; the others are reported as skipped. */
  only?: string[];
  /** Per-request timeout in ms (default 10000). */
  timeoutMs?: number;
  /** Keep at most this many bytes of each answer's body (default 1 MiB); the rest is counted, not kept. */
  maxBodyBytes?: number;
  /** For a custom template: the JSON pointer in the answer where the code must be (default: anywhere in the body). */
  codePointer?: string;
  /** Sign deliveries with X-GB-Signature using this secret. */
  signingSecret?: string;
  /** Keep credential values in reproductions and curl commands (they are redacted by default). */
  showSecrets?: boolean;
  /** Set by the CLI when it started the reference server itself. */
  embedded?: boolean;
  /**
   * How to read back a stored coupon, e.g. `GET https://shop.example/coupons/{code}` (sent with the
   * configuration's headers): idempotency, concurrency and bad-input then judge what was stored, not
   * only the answers. 200 with an object is one coupon, an array is that many, 404 is none.
   */
  lookup?: string;
  /** Warnings fail the run too (`report.outcome`). */
  strict?: boolean;
  /**
   * Your own checks, run after the built-in ones (before stability and latency, which judge the
   * whole run) with the same context; their ids join `only` and the reports.
   */
  checks?: readonly Check[];
  /** Called as each check finishes, for live output. */
  onCheck?: (result: CheckResult) => void;
}

export const checkIds = (): string[] => builtInChecks.map((c) => c.id);

/** The checks of a run in order: the built-in ones, with the user's before the two that judge the whole run. */
function runOrder(extra: readonly Check[] = []): readonly Check[] {
  if (extra.length === 0) return builtInChecks;
  const ids = new Set(builtInChecks.map((c) => c.id));
  for (const check of extra) {
    if (!check || typeof check.id !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(check.id)) {
      throw new UsageError(
        `An extra check needs an id of lower-case letters, digits and dashes; got ${JSON.stringify(check?.id)}.`,
      );
    }
    if (typeof check.run !== 'function' || typeof check.title !== 'string') {
      throw new UsageError(`The extra check ${check.id} needs a title and a run(context) function.`);
    }
    if (ids.has(check.id))
      throw new UsageError(`Two checks have the id ${check.id}; extra checks need ids of their own.`);
    ids.add(check.id);
  }
  for (const check of extra) {
    const unknown = (check.dependsOn ?? []).filter((id) => !ids.has(id));
    if (unknown.length > 0)
      throw new UsageError(`The extra check ${check.id} depends on unknown check(s) ${unknown.join(', ')}.`);
  }
  const last = builtInChecks.findIndex((c) => c.id === 'stability');
  return [...builtInChecks.slice(0, last), ...extra, ...builtInChecks.slice(last)];
}

/**
 * Judges the merchant endpoint a coupon configuration points at, as Gameball would call it.
 * `configuration` is what a merchant PUTs to Gameball (tutorial variants are normalised; an invalid
 * one throws ConfigError), or what normaliseConfiguration / loadConfigurationFile returned for it,
 * which is used as it is. Resolves to the report; it never throws for a failing endpoint.
 */
export async function verify(
  configuration: NormalisedConfiguration | unknown,
  options: VerifyOptions = {},
): Promise<Report> {
  const { config, notes } = isNormalised(configuration) ? configuration : normaliseConfiguration(configuration);
  const checks = runOrder(options.checks);
  const only = selectChecks(options.only, checks);
  const lookup: Lookup | undefined = options.lookup === undefined ? undefined : parseLookup(options.lookup);
  const seed = options.seed ?? randomSeed();
  const timeoutMs = options.timeoutMs ?? 10_000;
  const latencyBudgetMs = options.latencyBudgetMs ?? 1000;
  const enabled = allScenarios.filter((s) => isEnabled(config, s));
  const nextCode = codeGenerator(seededRandom(seed));
  const defaultTemplate = usesDefaultTemplate(config);
  const log: RecordedExchange[] = [];
  const startedAt = new Date();
  const runStart = performance.now();

  const render = (values: CouponValues): RenderedRequest =>
    renderDelivery(config, values, options.signingSecret ? { signingSecret: options.signingSecret } : {});

  const contextFor = (check: Check): CheckContext => ({
    config,
    scenarios: enabled,
    usesDefaultTemplate: defaultTemplate,
    latencyBudgetMs,
    deliver(scenario, changes = {}) {
      const values: CouponValues = { ...scenarioValues(scenario, nextCode(scenario.codePrefix)), ...changes };
      return { scenario, values, request: render(values) };
    },
    redeliver(delivery: Delivery, changes) {
      const values = { ...delivery.values, ...changes };
      return { scenario: delivery.scenario, values, request: render(values) };
    },
    withBody(request, body, bodyShell) {
      const headers = { ...request.headers };
      if (options.signingSecret) headers['x-gb-signature'] = signBody(body, options.signingSecret);
      return { ...request, headers, body, ...(bodyShell ? { bodyShell } : {}) };
    },
    async send(request) {
      const exchange = await sendRequest(request, {
        timeoutMs,
        ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
      });
      // The run keeps every exchange (for stability and latency) but only the part of a body a report shows.
      log.push({ ...withShortBody(exchange, bodyShown), checkId: check.id });
      return exchange;
    },
    judge: (exchange, code) => judge(exchange, { expectedCode: code }, codeLocation),
    judgeCode: (exchange, code) => findCode(exchange.response, code, codeLocation),
    carriesCode: (exchange, code) => findCode(exchange.response, code, codeLocation).carries,
    ...(lookup ? { lookup: (code: string) => readBack(lookup, code, config, timeoutMs) } : {}),
    exchanges: () => log,
  });
  const codeLocation = codeLocationOf(config, options.codePointer);
  const redactFor = options.showSecrets ? undefined : config;

  const results: CheckResult[] = [];
  for (const check of checks) {
    const began = performance.now();
    let verdict: CheckVerdict;
    const blocked = blockedBy(check, results);
    if (!only.has(check.id)) {
      verdict = { status: 'skipped', kind: 'not-selected', message: 'Not selected (--only).' };
    } else if (blocked) {
      verdict = { status: 'skipped', kind: 'dependency-failed', message: blocked };
    } else if (enabled.length === 0) {
      verdict = { status: 'skipped', kind: 'not-applicable', message: 'No coupon type is enabled.' };
    } else {
      verdict = await runCheck(check, contextFor(check));
    }
    const findings: FindingResult[] = (
      verdict.findings ??
      (verdict.status === 'failed' || verdict.status === 'warning'
        ? [
            {
              severity: verdict.status === 'failed' ? ('failure' as const) : ('warning' as const),
              kind: verdict.kind ?? 'unspecified',
              message: verdict.message,
              ...(verdict.evidence ? { evidence: verdict.evidence } : {}),
            },
          ]
        : [])
    ).map((f) => ({
      severity: f.severity,
      kind: f.kind,
      message: f.message,
      ...(f.evidence && f.evidence.length > 0
        ? { reproduction: reproduce(f.evidence, `${check.id}: ${f.kind}`, redactFor) }
        : {}),
    }));
    const result: CheckResult = {
      id: check.id,
      title: check.title,
      status: verdict.status,
      ...(verdict.status !== 'passed' ? { kind: verdict.kind ?? 'unspecified' } : {}),
      message: verdict.message,
      durationMs: Math.round(performance.now() - began),
      dependsOn: [...(check.dependsOn ?? [])],
      findings,
      ...(verdict.evidence && verdict.evidence.length > 0
        ? { reproduction: reproduce(verdict.evidence, `${check.id}: ${verdict.kind}`, redactFor) }
        : {}),
    };
    results.push(result);
    options.onCheck?.(result);
  }

  const count = (status: CheckResult['status']): number => results.filter((r) => r.status === status).length;
  const strict = options.strict ?? false;
  const summary = {
    passed: count('passed'),
    warnings: count('warning'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
  return {
    tool,
    target: {
      url: config.url,
      method: config.method,
      embedded: options.embedded ?? false,
      ...(lookup ? { lookup: lookup.text } : {}),
    },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - runStart),
    seed,
    summary,
    strict,
    outcome: summary.failed > 0 || (strict && summary.warnings > 0) ? 'failed' : 'passed',
    checks: results,
    latency: summariseLatency(log, latencyBudgetMs, runStart),
    notes: [
      ...notes,
      ...(!options.showSecrets &&
      results.some((r) => r.reproduction) &&
      (config.headers?.length || config.queryParams?.length)
        ? [
            'Credential values from the configuration are shown as <redacted> in reproductions; put yours back to run the curl commands (or pass --show-secrets).',
          ]
        : []),
    ],
  };
}

/** A check that throws is a failure of that check (kind `check-error`), not the end of the run. */
async function runCheck(check: Check, context: CheckContext): Promise<CheckVerdict> {
  try {
    return await check.run(context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'failed', kind: 'check-error', message: `The check itself threw: ${message}` };
  }
}

/** Why the check cannot be judged: a check it depends on failed (or was itself skipped for that). */
function blockedBy(check: Check, results: readonly CheckResult[]): string | undefined {
  for (const id of check.dependsOn ?? []) {
    const result = results.find((r) => r.id === id);
    if (result?.status === 'failed') return `Skipped: depends on ${id}, which failed.`;
    if (result?.kind === 'dependency-failed') {
      const root = rootFailure(result, results);
      return `Skipped: depends on ${id}, which was skipped because ${root} failed.`;
    }
  }
  return undefined;
}

function rootFailure(result: CheckResult, results: readonly CheckResult[]): string {
  for (const id of result.dependsOn) {
    const dependency = results.find((r) => r.id === id);
    if (dependency?.status === 'failed') return id;
    if (dependency?.kind === 'dependency-failed') return rootFailure(dependency, results);
  }
  return result.id;
}

/** The check ids to run; throws UsageError naming any unknown id. */
export function selectChecks(only: string[] | undefined, checks: readonly Check[] = builtInChecks): Set<string> {
  const ids = checks.map((c) => c.id);
  if (!only || only.length === 0) return new Set(ids);
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown check id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in --only. The checks are: ${ids.join(', ')}.`,
    );
  }
  return new Set(only);
}

const bodyShown = 64 * 1024;

/**
 * The sequence for the report: the exchange that shows the problem (the last step; in a group sent
 * at once, its first) and a script of the whole sequence. With `redactFor`, the configuration's
 * credential values are hidden.
 */
function reproduce(steps: readonly EvidenceStep[], title: string, redactFor?: CouponConfiguration): Reproduction {
  const last = steps[steps.length - 1]!;
  const exchange: Exchange = Array.isArray(last) ? (last as readonly Exchange[])[0]! : (last as Exchange);
  const hide = (request: RenderedRequest): RenderedRequest =>
    redactFor ? redactCredentials(request, redactFor) : request;
  const requests = steps.map((step) =>
    Array.isArray(step) ? (step as readonly Exchange[]).map((e) => hide(e.request)) : hide((step as Exchange).request),
  );
  const { response } = exchange;
  const request = hide(exchange.request);
  const body = request.body;
  return {
    request: {
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(body !== undefined
        ? { body: body.length > bodyShown ? `${body.slice(0, 200)}… (${body.length} bytes in all)` : body }
        : {}),
    },
    ...(response
      ? {
          response: {
            status: response.status,
            headers: response.headers,
            body: response.body.slice(0, bodyShown),
            bodyBytes: response.bodyBytes,
            ...(response.truncated ? { truncated: true } : {}),
            ...(response.abandoned ? { abandoned: true } : {}),
            ...(response.invalidUtf8 ? { invalidUtf8: true } : {}),
          },
        }
      : {}),
    ...(exchange.error ? { error: exchange.error } : {}),
    curl: curlCommand(request),
    script: curlScript(requests, `Reproduces ${title}`),
    requests: requests.reduce<number>((n, step) => n + (Array.isArray(step) ? step.length : 1), 0),
  };
}
