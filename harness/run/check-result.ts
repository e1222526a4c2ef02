// A check's verdict as the reports carry it. The one place that turns a verdict into a CheckResult,
// for verify's checks and flow's steps alike: the findings with their reproductions, and the fields
// derived from them (kind, message, reproduction).
import { type CheckVerdict, type Finding, firstFinding, verdictMessage } from '../checks/check.ts';
import type { CheckResult, FindingResult, Reproduction } from '../report/types.ts';

interface CheckIdentity {
  id: string;
  title: string;
  dependsOn?: readonly string[];
}

export function checkResult(
  check: CheckIdentity,
  verdict: CheckVerdict,
  durationMs: number,
  /** The reproduction of a finding's evidence, if it has any. */
  reproduce: (finding: Finding) => Reproduction | undefined,
): CheckResult {
  const first = firstFinding(verdict);
  const findings: FindingResult[] = [];
  let reproduction: Reproduction | undefined;
  for (const finding of verdict.findings) {
    if (finding.severity === 'note') continue;
    const shown = reproduce(finding);
    if (finding === first) reproduction = shown;
    findings.push({
      severity: finding.severity,
      kind: finding.kind,
      message: finding.message,
      ...(shown ? { reproduction: shown } : {}),
    });
  }
  return {
    id: check.id,
    title: check.title,
    status: verdict.status,
    ...(verdict.status !== 'passed' && first ? { kind: first.kind } : {}),
    message: verdictMessage(verdict),
    durationMs: Math.round(durationMs),
    dependsOn: [...(check.dependsOn ?? [])],
    findings,
    ...(reproduction ? { reproduction } : {}),
  };
}
