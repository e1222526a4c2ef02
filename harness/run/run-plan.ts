// A run before it starts: the options checked and filled in once, so that a usage mistake throws
// before anything is sent, and every later step reads the same settled values.
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import {
  isNormalised,
  type NormalisedConfiguration,
  normaliseConfiguration,
} from '../../core/config-file/normalise-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import { instancesOf } from '../../core/http/instances.ts';
import { type Redactor, showingSecrets } from '../../core/redact/redactor.ts';
import { redactorFor } from '../../core/redact/secret-values.ts';
import { scenarios as allScenarios, isEnabled, randomSeed, type Scenario } from '../../core/scenarios/scenarios.ts';
import type { Check } from '../checks/check.ts';
import { checks as builtInChecks } from '../checks/registry.ts';
import { type Lookup, parseLookup } from './lookup.ts';
import type { VerifyOptions } from './verify-options.ts';

export interface RunPlan {
  config: CouponConfiguration;
  /** What normalising the configuration changed or assumed. */
  notes: readonly string[];
  /** Every check, in the order it runs. */
  checks: readonly Check[];
  /** The ids of the checks to run (--only); the others are skipped. */
  selected: ReadonlySet<string>;
  /** Scenarios whose coupon type the configuration enables, in order. */
  scenarios: readonly Scenario[];
  lookup?: Lookup;
  /** The endpoint's instances (origins): the configuration's url's first, then each target's. */
  instances: readonly string[];
  seed: number;
  timeoutMs: number;
  latencyBudgetMs: number;
  /** Hides the run's secrets in all it reports (nothing with showSecrets). */
  redactor: Redactor;
  options: VerifyOptions;
}

/** Throws ConfigError for an invalid configuration and UsageError for a bad option. */
export function planRun(configuration: NormalisedConfiguration | unknown, options: VerifyOptions): RunPlan {
  const { config, notes } = isNormalised(configuration) ? configuration : normaliseConfiguration(configuration);
  const checks = runOrder(options.checks);
  return {
    config,
    notes,
    checks,
    selected: selectChecks(options.only, checks),
    scenarios: givenScenarios(options.scenarios) ?? allScenarios.filter((s) => isEnabled(config, s)),
    ...(options.lookup === undefined ? {} : { lookup: parseLookup(options.lookup) }),
    instances: instancesOf(config.url, options.targets),
    seed: options.seed ?? randomSeed(),
    timeoutMs: options.timeoutMs ?? 10_000,
    latencyBudgetMs: options.latencyBudgetMs ?? 1000,
    redactor: options.showSecrets
      ? showingSecrets
      : redactorFor({ config, signingSecret: options.signingSecret, lookup: options.lookup }),
    options,
  };
}

/** The caller's scenarios (a replay), when given: at least one. */
function givenScenarios(scenarios: readonly Scenario[] | undefined): readonly Scenario[] | undefined {
  if (scenarios === undefined) return undefined;
  if (scenarios.length === 0) throw new UsageError('verify was given an empty list of scenarios to send.');
  return scenarios;
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

/** The check ids to run; throws UsageError naming any unknown id. */
function selectChecks(only: string[] | undefined, checks: readonly Check[]): Set<string> {
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
