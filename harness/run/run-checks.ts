// The checks of a run, one after another so each sees a quiet endpoint (within a check, requests may
// run at once). A check is skipped when not selected, when no coupon type is enabled, or when a check
// it depends on failed; a check that throws fails alone, and the run goes on.
import { type Check, type CheckContext, type CheckVerdict, fail, skip, verdictProblem } from '../checks/check.ts';
import type { CheckResult } from '../report/types.ts';
import { checkResult } from './check-result.ts';
import { reproduce } from './reproduce.ts';
import type { RunPlan } from './run-plan.ts';

export async function runChecks(
  plan: RunPlan,
  contextFor: (check: Check) => CheckContext,
  onCheck?: (result: CheckResult) => void,
): Promise<CheckResult[]> {
  const redactFor = plan.options.showSecrets ? undefined : plan.config;
  const results: CheckResult[] = [];
  for (const check of plan.checks) {
    const began = performance.now();
    const verdict = skipped(check, plan, results) ?? (await runCheck(check, contextFor(check)));
    // What the endpoint answered may quote a secret (an echoed header): the whole result is redacted.
    const result = plan.redactor.deep(
      checkResult(check, verdict, performance.now() - began, (finding) =>
        finding.evidence && finding.evidence.length > 0
          ? reproduce(finding.evidence, `${check.id}: ${finding.kind}`, redactFor)
          : undefined,
      ),
    );
    results.push(result);
    onCheck?.(result);
  }
  return results;
}

/** Why the check is not run, if it is not. */
function skipped(check: Check, plan: RunPlan, results: readonly CheckResult[]): CheckVerdict | undefined {
  if (!plan.selected.has(check.id)) return skip('Not selected (--only).', 'not-selected');
  const blocked = blockedBy(check, results);
  if (blocked) return skip(blocked, 'dependency-failed');
  if (plan.scenarios.length === 0) return skip('No coupon type is enabled.', 'not-applicable');
  return undefined;
}

/** A check that throws, or returns what is not a verdict, is a failure of that check (kind `check-error`). */
async function runCheck(check: Check, context: CheckContext): Promise<CheckVerdict> {
  try {
    const verdict = await check.run(context);
    const problem = verdictProblem(verdict);
    return problem ? fail('check-error', `The check returned a verdict that is not one: ${problem}.`) : verdict;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail('check-error', `The check itself threw: ${message}`);
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
