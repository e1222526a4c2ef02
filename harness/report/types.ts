// The report of one verify run: what every reporter (console, JSON, JUnit, HTML) renders, and what
// the programmatic `verify()` returns.

/**
 * `failed`: Gameball's integration breaks, or a coupon can be minted or lost (exit 1).
 * `warning`: advice; shown and counted, exit 0 unless --strict.
 * `skipped`: not run (not selected, not applicable, or a check it depends on failed).
 */
export type CheckStatus = 'passed' | 'warning' | 'failed' | 'skipped';

/** How bad a problem is: a failure fails the run; a warning is advice (fails it only under --strict). */
export type Severity = 'failure' | 'warning';

/** One HTTP exchange as it happened, enough to understand and reproduce it. */
export interface Reproduction {
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    /** The body as sent (may be large or deliberately malformed); truncated for very large bodies. */
    body?: string;
  };
  /** What came back; absent when the request failed at the transport level (see `error`). */
  response?: {
    status: number;
    headers: Record<string, string>;
    /** The beginning of the body (invalid UTF-8 shown as U+FFFD). */
    body: string;
    /** The body's size in bytes as received; when `abandoned`, it was larger still. */
    bodyBytes?: number;
    /** Only the beginning of the body was kept (see `--max-body`). */
    truncated?: boolean;
    /** The body went on past the discard limit and the connection was dropped. */
    abandoned?: boolean;
    /** The body is not valid UTF-8. */
    invalidUtf8?: boolean;
  };
  /** Transport failure: timeout, connection refused, reset. */
  error?: string;
  /** A shell command that sends the same request. */
  curl: string;
  /**
   * A bash script of curl commands that sends the whole sequence showing the problem, in order (for
   * a conflicting reuse: the first delivery, then the conflicting one). Credentials are redacted
   * unless --show-secrets.
   */
  script: string;
  /** How many requests the script sends. */
  requests: number;
}

/** One thing a check found: its severity, a machine-readable kind and the requests that show it. */
export interface FindingResult {
  severity: Severity;
  /** Stable and machine-readable, e.g. `status-not-200`, `code-missing`, `conflict-accepted`. */
  kind: string;
  message: string;
  reproduction?: Reproduction;
}

/**
 * One check's verdict as the reports carry it: its status and its problems (`findings`). `kind`,
 * `message` and `reproduction` are derived from the verdict (see firstFinding), one way for every
 * check, and stay for the readers of earlier reports.
 */
export interface CheckResult {
  /** Stable id, e.g. `accepted`, `idempotent-retry`; what `--only` takes. */
  id: string;
  /** One line: what Gameball needs from the endpoint. */
  title: string;
  status: CheckStatus;
  /**
   * Machine-readable reason for anything but a pass: the first finding's kind, or for a skip
   * `not-selected`, `not-applicable`, `dependency-failed`, `no-credentials`.
   */
  kind?: string;
  /** Why it passed, failed or was skipped, in a sentence a person can act on (the findings' messages in order). */
  message: string;
  durationMs: number;
  /** Check ids this check depends on: when one of them fails, this one is skipped. */
  dependsOn: string[];
  /**
   * Every failure and warning, worst first, each with its own reproduction: at least one for a
   * failed or warning check, none for a pass or a skip.
   */
  findings: FindingResult[];
  /** For failures and warnings: the first finding's reproduction. */
  reproduction?: Reproduction;
}

export interface LatencySample {
  /** Milliseconds since the run started, when the request was sent. */
  atMs: number;
  /** How long the answer took. */
  durationMs: number;
  /** HTTP status, or null on a transport failure. */
  status: number | null;
  checkId: string;
  /** The instance (origin) the request was sent to and answered by, when the run spread over several. */
  instance?: string;
}

export interface LatencySummary {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  budgetMs: number;
  /** Every request of the run, in the order sent. */
  timeline: LatencySample[];
}

export interface Report {
  /** `command` names the run in headings: verify (the default) or flow. */
  tool: { name: string; version: string; command?: string };
  target: {
    url: string;
    method: string;
    /** The request that reads back a stored coupon (--lookup), e.g. `GET https://shop.example/coupons/{code}`. */
    lookup?: string;
    /** True when verify started the reference server itself (no --config). */
    embedded: boolean;
    /**
     * The endpoint's instances (origins) the concurrency checks spread across (`targets`): the
     * configuration's url's first. Absent for a run against one.
     */
    instances?: string[];
    /**
     * Who makes the coupon code, as the template says: `gameball` ({{code}} in the template: the
     * answer must carry the code sent) or `merchant` (no {{code}}: a code of the merchant's own,
     * different for every delivery). Absent in reports of kits that knew only the first.
     */
    codeMode?: 'gameball' | 'merchant';
  };
  startedAt: string;
  durationMs: number;
  seed: number;
  summary: { passed: number; warnings: number; failed: number; skipped: number };
  /** With --strict, warnings fail the run too. */
  strict: boolean;
  /** `failed` when a check failed, or (with strict) warned: the CLI's exit code 1. */
  outcome: 'passed' | 'failed';
  checks: CheckResult[];
  latency: LatencySummary;
  /** What the harness changed or assumed about the configuration (tutorial variants normalised, etc.). */
  notes: string[];
}

/** What is known of a run before its first check: shown first by the console, live. */
export type RunHeader = Pick<Report, 'tool' | 'target' | 'seed' | 'notes'>;
