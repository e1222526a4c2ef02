// Which finding speaks for a check: the one whose kind is the check's kind and whose reproduction is
// the check's. Read the same way from a check's verdict and from a report's CheckResult.
import type { CheckStatus, Severity } from './types.ts';

/** The severity of the findings that decide each status: a pass or a skip is explained by a note. */
export const decidingSeverity: Record<CheckStatus, Severity | 'note'> = {
  failed: 'failure',
  warning: 'warning',
  passed: 'note',
  skipped: 'note',
};

/**
 * The first failure of a failed check, the first warning of a warning, the note of a pass or a
 * skip (a report's CheckResult keeps its problems only, so a pass or a skip there has none).
 */
export function firstFinding<F extends { severity: string }>(verdict: {
  status: CheckStatus;
  findings: readonly F[];
}): F | undefined {
  return verdict.findings.find((f) => f.severity === decidingSeverity[verdict.status]) ?? verdict.findings[0];
}
