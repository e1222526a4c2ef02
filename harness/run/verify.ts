// The run: check the options and the configuration, give every selected check the same context,
// collect the verdicts into a report. Each step is its own module: run-plan (options), check-context,
// run-checks (order, skips, results), reproduce, check-result.

import type { NormalisedConfiguration } from '../../core/config-file/normalise-configuration.ts';
import { redactedMark } from '../../core/redact/redactor.ts';
import { codeModeOf, retryWarning } from '../../core/render/code-mode.ts';
import { tool } from '../../core/tool.ts';
import type { RecordedExchange } from '../checks/check.ts';
import { summariseLatency } from '../checks/latency-summary.ts';
import type { CheckResult, Report, RunHeader } from '../report/types.ts';
import { contextsFor } from './check-context.ts';
import { runChecks } from './run-checks.ts';
import { planRun, type RunPlan } from './run-plan.ts';
import type { VerifyOptions } from './verify-options.ts';

export { checkIds } from './run-plan.ts';
export type { VerifyOptions } from './verify-options.ts';

/**
 * Judges the merchant endpoint a coupon configuration points at, as Gameball would call it.
 * `configuration` is what a merchant PUTs to Gameball (tutorial variants are normalised; an invalid
 * one throws ConfigError), or what normaliseConfiguration / loadConfigurationFile returned for it,
 * which is used as it is. A bad option throws UsageError before anything is sent. Otherwise resolves
 * to the report; it never throws for a failing endpoint.
 */
export async function verify(
  configuration: NormalisedConfiguration | unknown,
  options: VerifyOptions = {},
): Promise<Report> {
  const plan = planRun(configuration, options);
  const started = { at: new Date(), ms: performance.now() };
  const header = plan.redactor.deep(headerOf(plan));
  options.onStart?.(header);
  const { contextFor, log } = contextsFor(plan);
  const checks = await runChecks(plan, contextFor, options.onCheck);
  return plan.redactor.deep(reportOf(plan, header, checks, log, started));
}

function headerOf(plan: RunPlan): RunHeader {
  const { config, lookup } = plan;
  const codeMode = codeModeOf(config);
  return {
    tool,
    target: {
      url: config.url,
      method: config.method,
      embedded: plan.options.embedded ?? false,
      ...(lookup ? { lookup: lookup.text } : {}),
      ...(plan.instances.length > 1 ? { instances: [...plan.instances] } : {}),
      codeMode,
    },
    seed: plan.seed,
    // The warning about retries is the run's, said once and first, not by each check that meets it.
    notes: [...(codeMode === 'merchant' ? [retryWarning] : []), ...plan.notes],
  };
}

function reportOf(
  plan: RunPlan,
  header: RunHeader,
  checks: CheckResult[],
  log: readonly RecordedExchange[],
  started: { at: Date; ms: number },
): Report {
  const count = (status: CheckResult['status']): number => checks.filter((r) => r.status === status).length;
  const strict = plan.options.strict ?? false;
  const summary = {
    passed: count('passed'),
    warnings: count('warning'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
  const redacted = plan.redactor.active && JSON.stringify(checks).includes(redactedMark);
  return {
    tool: header.tool,
    target: header.target,
    startedAt: started.at.toISOString(),
    durationMs: Math.round(performance.now() - started.ms),
    seed: plan.seed,
    summary,
    strict,
    outcome: summary.failed > 0 || (strict && summary.warnings > 0) ? 'failed' : 'passed',
    checks,
    latency: summariseLatency(log, plan.latencyBudgetMs, started.ms),
    notes: [
      ...header.notes,
      ...(redacted
        ? [
            'Secrets from the configuration (header and query values, the URL user-info, the signing secret, the lookup credentials) are shown as <redacted>; put yours back to run the curl commands (or pass --show-secrets).',
          ]
        : []),
    ],
  };
}
