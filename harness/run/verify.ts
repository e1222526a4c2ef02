// The run: normalise the configuration, give every selected check the same context, collect the
// verdicts into a report. Checks run one after another so each sees a quiet endpoint; within a
// check, requests may run at once.
import type { Check, CheckContext, CheckVerdict, Delivery, RecordedExchange } from '../checks/check.ts';
import { checks } from '../checks/registry.ts';
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { usesDefaultTemplate } from '../config/default-configuration.ts';
import {
  isNormalised,
  type NormalisedConfiguration,
  normaliseConfiguration,
} from '../config/normalise-configuration.ts';
import { UsageError } from '../errors.ts';
import { curlCommand } from '../http/curl-command.ts';
import { type Exchange, sendRequest, withShortBody } from '../http/send-request.ts';
import { type CouponValues, type RenderedRequest, renderDelivery, signBody } from '../render/render-delivery.ts';
import type { CheckResult, Report, Reproduction } from '../report/types.ts';
import {
  scenarios as allScenarios,
  codeGenerator,
  isEnabled,
  randomSeed,
  scenarioValues,
  seededRandom,
} from '../scenarios/scenarios.ts';
import { tool } from '../tool.ts';
import { findCode } from './find-code.ts';
import { summariseLatency } from './latency.ts';
import { redactCredentials } from './redact-credentials.ts';

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
  /** Called as each check finishes, for live output. */
  onCheck?: (result: CheckResult) => void;
}

export const checkIds = (): string[] => checks.map((c) => c.id);

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
  const only = selectChecks(options.only);
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
    carriesCode: (exchange, code) => findCode(exchange, code, defaultTemplate, options.codePointer),
    exchanges: () => log,
  });

  const results: CheckResult[] = [];
  for (const check of checks) {
    const began = performance.now();
    let verdict: CheckVerdict;
    if (!only.has(check.id)) {
      verdict = { status: 'skipped', message: 'Not selected (--only).' };
    } else if (enabled.length === 0) {
      verdict = { status: 'skipped', message: 'No coupon type is enabled.' };
    } else {
      verdict = await check.run(contextFor(check));
    }
    const result: CheckResult = {
      id: check.id,
      title: check.title,
      status: verdict.status,
      message: verdict.message,
      durationMs: Math.round(performance.now() - began),
      ...(verdict.evidence
        ? { reproduction: reproduce(verdict.evidence, options.showSecrets ? undefined : config) }
        : {}),
    };
    results.push(result);
    options.onCheck?.(result);
  }

  const count = (status: CheckResult['status']): number => results.filter((r) => r.status === status).length;
  return {
    tool,
    target: { url: config.url, method: config.method, embedded: options.embedded ?? false },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - runStart),
    seed,
    summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    checks: results,
    latency: summariseLatency(log, latencyBudgetMs, runStart),
    notes: [
      ...notes,
      ...(!options.showSecrets &&
      results.some((r) => r.status === 'failed') &&
      (config.headers?.length || config.queryParams?.length)
        ? [
            'Credential values from the configuration are shown as <redacted> in reproductions; put yours back to run the curl commands (or pass --show-secrets).',
          ]
        : []),
    ],
  };
}

/** The check ids to run; throws UsageError naming any unknown id. */
export function selectChecks(only: string[] | undefined): Set<string> {
  const ids = checkIds();
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

/** The exchange for the report; with `redactFor`, the configuration's credential values are hidden. */
function reproduce(exchange: Exchange, redactFor?: CouponConfiguration): Reproduction {
  const { response } = exchange;
  const request = redactFor ? redactCredentials(exchange.request, redactFor) : exchange.request;
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
  };
}
