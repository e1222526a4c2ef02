// What a verify() run can be told: its options, as the library takes them and the CLI fills them.
import type { Scenario } from '../../core/scenarios/scenarios.ts';
import type { Check } from '../checks/check.ts';
import type { CheckResult, RunHeader } from '../report/types.ts';

export interface VerifyOptions {
  /** Makes codes and choices repeatable; random when absent (the report says which was used). */
  seed?: number;
  /** p95 budget for the latency check, in ms (default 1000). */
  latencyBudgetMs?: number;
  /** Run only these check ids; the others are reported as skipped. An unknown id throws UsageError. */
  only?: string[];
  /** Per-request timeout in ms (default 10000). */
  timeoutMs?: number;
  /** Keep at most this many bytes of each answer's body (default 1 MiB); the rest is counted, not kept. */
  maxBodyBytes?: number;
  /** For a custom template: the JSON pointer in the answer where the code must be (default: anywhere in the body). */
  codePointer?: string;
  /** Sign deliveries with X-GB-Signature using this secret. */
  signingSecret?: string;
  /**
   * Keep secrets in the report as they are. By default every secret the run holds (each configured
   * header and query value, the URL's user-info, the signing secret, the lookup's credentials) is
   * replaced by `<redacted>` wherever it appears, answers and messages included (core/redact/).
   */
  showSecrets?: boolean;
  /** Set by the CLI when it started the reference server itself. */
  embedded?: boolean;
  /**
   * How to read back a stored coupon, e.g. `GET https://shop.example/coupons/{code}` (sent with the
   * configuration's headers): idempotency, concurrency and bad-input then judge what was stored, not
   * only the answers. A stored coupon is a JSON object carrying the code (alone, or in an array);
   * 404, `[]` or an object without the code is none. With it, the attributes the template sent are
   * compared with what was stored (`stored-mismatch`). A malformed one throws UsageError.
   */
  lookup?: string;
  /**
   * More instances of the same endpoint (several processes behind one load balancer), each by its
   * address: scheme, host and port, e.g. `http://10.0.0.2:3000` (the path and query come from the
   * configuration's url, which stays the primary: every other check goes there). The concurrency
   * checks spread their requests across the primary and these, a retry goes to another instance
   * than the original, and a lookup on the primary's host reads back through each instance. A bad
   * one throws UsageError.
   */
  targets?: readonly string[];
  /** Warnings fail the run too (`report.outcome`). */
  strict?: boolean;
  /**
   * Your own checks, run after the built-in ones (before stability and latency, which judge the
   * whole run) with the same context; their ids join `only` and the reports.
   */
  checks?: readonly Check[];
  /**
   * The deliveries to send instead of the built-in scenarios, e.g. a cassette's (core/replay):
   * every check takes its deliveries from these, with fresh codes.
   */
  scenarios?: readonly Scenario[];
  /** Called once the options are accepted, before the first request: what the run targets, for live output. */
  onStart?: (header: RunHeader) => void;
  /** Called as each check finishes, for live output. */
  onCheck?: (result: CheckResult) => void;
}
