// The log the stand-in keeps of its calls to the merchant's coupon endpoint: one record per call,
// as GET /__gb/deliveries shows it. Kept apart from the code that makes the call, so that the context
// (which holds the log) and the call both import it without importing each other.
import type { AcceptanceVerdict } from '../core/judge/judge.ts';
import type { CodeMode } from '../core/render/code-mode.ts';
import type { RenderedRequest } from '../core/render/render-delivery.ts';

export type DeliveryReason = 'redemption' | 'campaign' | 'test-connection';

/** One call made to the merchant, as GET /__gb/deliveries shows it (credentials redacted). */
export interface DeliveryRecord {
  id: string;
  reason: DeliveryReason;
  at: string;
  customerId: string;
  /** The coupon's code: the one sent ({{code}} in the template) or the merchant's own; absent when it answered none. */
  code?: string;
  /** Who makes the code, as the stored template says (core/render/code-mode.ts). */
  codeMode: CodeMode;
  request: RenderedRequest;
  response?: { status: number; headers: Record<string, string>; body: string };
  /** Transport failure: timeout, refused, reset. */
  error?: string;
  latencyMs: number;
  /** Whether Gameball would take the coupon as created (core/judge/judge.ts, as verify judges it). */
  accepted: boolean;
  /** `accepted`, or why not, machine-readable: the kinds verify reports. */
  kind: AcceptanceVerdict['kind'];
  /** Why it was or was not accepted, in a sentence. */
  verdict: string;
}
