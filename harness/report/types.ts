// The report of one verify run: what every reporter (console, JSON, JUnit, HTML) renders, and what
// the programmatic `verify()` returns.

export type CheckStatus = 'passed' | 'failed' | 'skipped';

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
}

export interface CheckResult {
  /** Stable id, e.g. `accepted`, `idempotent-retry`; what `--only` takes. */
  id: string;
  /** One line: what Gameball needs from the endpoint. */
  title: string;
  status: CheckStatus;
  /** Why it passed, failed or was skipped, in a sentence a person can act on. */
  message: string;
  durationMs: number;
  /** For failures: the exchange that shows the problem. */
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
    /** True when verify started the reference server itself (no --config). */
    embedded: boolean;
  };
  startedAt: string;
  durationMs: number;
  seed: number;
  summary: { passed: number; failed: number; skipped: number };
  checks: CheckResult[];
  latency: LatencySummary;
  /** What the harness changed or assumed about the configuration (tutorial variants normalised, etc.). */
  notes: string[];
}
