// The result of a load run as every report reads it. The first keys are load.json's documented
// shape; the rest is what the console, JUnit and HTML reports show besides.
import { round } from '../../core/round.ts';
import type { InstanceCount } from './fleet-clients.ts';
import type { LoadMetrics, TimelinePoint } from './metrics.ts';
import type { Reconciliation } from './reconcile.ts';
import type { LoadRun } from './run-load.ts';
import { evaluateThresholds, type Threshold, type ThresholdResult } from './thresholds.ts';

export interface LoadTarget {
  url: string;
  method: string;
  embedded: boolean;
  /** Who makes the code: `gameball` ({{code}} in the template) or `merchant` (none: the merchant's own). */
  codeMode?: 'gameball' | 'merchant';
}

export interface LoadReport {
  /** Requests sent (k6's http_reqs). */
  requests: number;
  /** Completed requests (answered, any status) per second of the run. */
  rps: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; avg: number; min: number; p90: number };
  /** Requests that failed in any way: not 200, no code, a code given twice, schema violation, timeout, connection error. */
  errors: number;
  schemaViolations: number;
  dropped: number;
  thresholds: ThresholdResult[];
  passed: boolean;
  tool: { name: string; version: string };
  target: LoadTarget;
  startedAt: string;
  durationMs: number;
  seed: number;
  load: { model: 'open' | 'max'; description: string; connections: number; mix: Record<string, number> };
  answered: number;
  /** Bytes on the TCP connections, TLS included: k6's data_sent and data_received. */
  data: { sent: number; received: number };
  /** k6's http_req_failed: requests not answered 200, of those that finished. */
  httpReqFailed: { count: number; of: number };
  checks: { passed: number; total: number; rate: number };
  failures: {
    statuses: Record<string, number>;
    missingCode: number;
    /** 200s whose merchant's code an earlier delivery of the run already got (templates without {{code}}). */
    duplicateCodes: number;
    schemaViolations: number;
    timeouts: number;
    connectionErrors: number;
    examples: Record<string, string>;
  };
  reconcile?: Reconciliation;
  /**
   * What each instance of the endpoint was sent and how much of it failed, the configuration's
   * url's first; present when the run spread over several (`targets`).
   */
  instances?: InstanceCount[];
  stoppedBy?: LoadRun['stoppedBy'];
  timeline: TimelinePoint[];
}

export interface ReportContext {
  tool: { name: string; version: string };
  target: LoadTarget;
  seed: number;
  load: LoadReport['load'];
  thresholds: readonly Threshold[];
}

/** The report of a run; its inputs are left as they are. */
export function buildLoadReport(run: LoadRun, context: ReportContext, reconciliation?: Reconciliation): LoadReport {
  const m: LoadMetrics = run.metrics;
  const reader = m.reader(run.durationMs, reconciliation?.notStored);
  // A threshold is judged on what was measured: coupons_not_stored only once reconciliation ran
  // (a run interrupted by Ctrl-C is not reconciled).
  const thresholds = evaluateThresholds(
    context.thresholds.filter((t) => t.metric !== 'coupons_not_stored' || reconciliation),
    reader,
  );
  return {
    requests: m.sent,
    rps: round(m.answered / (Math.max(run.durationMs, 1) / 1000), 1),
    latencyMs: {
      p50: m.percentile(50),
      p95: m.percentile(95),
      p99: m.percentile(99),
      max: reader.trend('http_req_duration', 'max'),
      avg: reader.trend('http_req_duration', 'avg'),
      min: reader.trend('http_req_duration', 'min'),
      p90: m.percentile(90),
    },
    errors: m.failures,
    schemaViolations: m.byKind.schema,
    dropped: m.dropped,
    thresholds,
    passed: thresholds.every((t) => t.ok),
    tool: context.tool,
    target: context.target,
    startedAt: run.startedAt.toISOString(),
    durationMs: Math.round(run.durationMs),
    seed: context.seed,
    load: context.load,
    answered: m.answered,
    data: { sent: m.dataSent, received: m.dataReceived },
    httpReqFailed: { count: m.failedRequests, of: m.finished },
    checks: { passed: m.checksPassed, total: m.checksTotal, rate: round(reader.rate('checks'), 6) },
    failures: {
      statuses: Object.fromEntries([...m.byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => [String(s), n])),
      missingCode: m.byKind['missing-code'],
      duplicateCodes: m.byKind['duplicate-code'],
      schemaViolations: m.byKind.schema,
      timeouts: m.byKind.timeout,
      connectionErrors: m.byKind.connection,
      examples: Object.fromEntries(m.examples),
    },
    ...(reconciliation ? { reconcile: reconciliation } : {}),
    ...(run.instances.length > 1 ? { instances: run.instances } : {}),
    ...(run.stoppedBy ? { stoppedBy: run.stoppedBy } : {}),
    timeline: [...m.timeline],
  };
}

/**
 * k6's exit codes: 99 when a threshold is crossed, else 0; and 1 when no request ever reached the
 * target. A run stopped by its signal (Ctrl-C) is 130, as a shell reports a process SIGINT stopped.
 */
export function loadExitCode(report: LoadReport): number {
  if (report.stoppedBy?.reason === 'interrupted') return 130;
  const f = report.failures;
  if (report.requests > 0 && report.answered === 0 && f.timeouts === 0 && f.connectionErrors > 0) return 1;
  return report.passed ? 0 : 99;
}
