// What a check is and what it may use. A check is a small named unit: an id, one line saying what
// Gameball needs, and a `run` that sends what it needs through the context and returns a verdict.
import type { CouponConfiguration } from '../config/coupon-configuration.ts';
import { bodyNote } from '../http/body-note.ts';
import type { Exchange } from '../http/send-request.ts';
import type { CouponValues, RenderedRequest } from '../render/render-delivery.ts';
import type { Scenario } from '../scenarios/scenarios.ts';

export interface Delivery {
  scenario: Scenario;
  values: CouponValues;
  request: RenderedRequest;
}

export interface RecordedExchange extends Exchange {
  checkId: string;
}

export interface CheckContext {
  config: CouponConfiguration;
  /** Scenarios whose coupon type the configuration enables, in order. */
  scenarios: readonly Scenario[];
  /** True when the payload template is the project's default, so the contract's response schema applies. */
  usesDefaultTemplate: boolean;
  latencyBudgetMs: number;
  /** A new delivery of the scenario with a fresh code, optionally with some values changed. */
  deliver(scenario: Scenario, changes?: Partial<CouponValues>): Delivery;
  /** The same delivery with some values changed (the code too, unless changed). */
  redeliver(delivery: Delivery, changes: Partial<CouponValues>): Delivery;
  /** The request with another body (re-signed when signing is on). */
  withBody(request: RenderedRequest, body: string, bodyShell?: string): RenderedRequest;
  /** Sends once, with the run's timeout, and records the exchange for the report. */
  send(request: RenderedRequest): Promise<Exchange>;
  /** Whether the answer carries this coupon code where the configuration says it should. */
  carriesCode(exchange: Exchange, code: string): boolean;
  /** Every exchange of the run so far, of every check. */
  exchanges(): readonly RecordedExchange[];
}

export interface CheckVerdict {
  status: 'passed' | 'failed' | 'skipped';
  message: string;
  /** The exchange that shows the failure. */
  evidence?: Exchange;
}

export interface Check {
  id: string;
  /** What Gameball needs from the endpoint, in one line. */
  title: string;
  run(context: CheckContext): Promise<CheckVerdict>;
}

export const pass = (message: string): CheckVerdict => ({ status: 'passed', message });
export const fail = (message: string, evidence?: Exchange): CheckVerdict => ({
  status: 'failed',
  message,
  ...(evidence ? { evidence } : {}),
});
export const skip = (message: string): CheckVerdict => ({ status: 'skipped', message });

/** "answered 500 with {...}" or "got no answer: timed out", for messages. */
export function describeAnswer(exchange: Exchange): string {
  if (!exchange.response) return `got ${exchange.partial ? 'an incomplete answer' : 'no answer'} (${exchange.error})`;
  const body = exchange.response.body.slice(0, 1000).replace(/\s+/g, ' ').trim();
  const excerpt = body.length > 160 ? `${body.slice(0, 160)}…` : body;
  const note = bodyNote(exchange.response);
  return `answered ${exchange.response.status}${excerpt ? ` with ${excerpt}` : ' with an empty body'}${note ? ` (${note})` : ''}`;
}

export const statusOf = (exchange: Exchange): number | undefined => exchange.response?.status;
export const isClientError = (exchange: Exchange): boolean => {
  const status = statusOf(exchange);
  return status !== undefined && status >= 400 && status < 500;
};
