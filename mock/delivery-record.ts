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
  request: RenderedRequest & BoundedBody;
  response?: { status: number; headers: Record<string, string>; body: string } & BoundedBody;
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

/** How a body is kept in the log: its first bytes only, and how many there were. */
interface BoundedBody {
  /** Bytes the body had (for an answer: as many as the stand-in read); present when it was cut. */
  bodyBytes?: number;
  /** True when `body` holds only the first bytes of it (--delivery-log-body-bytes). */
  bodyTruncated?: boolean;
}

/**
 * A body as the log keeps it: whole when it fits in `maxBytes`, otherwise its first bytes (cut at a
 * character boundary) with its size and the mark. `size` is the size of the whole when the caller
 * read more than `body` holds (a merchant answer over the client's own bound).
 */
export function boundedBody(
  body: string,
  maxBytes: number,
  size = Buffer.byteLength(body),
): { body: string } & BoundedBody {
  if (size <= maxBytes) return { body };
  // The first maxBytes characters hold at least maxBytes bytes: encode only those.
  const bytes = Buffer.from(body.slice(0, maxBytes));
  let end = Math.min(maxBytes, bytes.length);
  // Back off from the middle of a UTF-8 sequence (continuation bytes are 10xxxxxx).
  while (end > 0 && end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end--;
  return { body: bytes.subarray(0, end).toString('utf8'), bodyBytes: size, bodyTruncated: true };
}
