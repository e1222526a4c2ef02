// What a load run measures, in constant memory: one HDR histogram for the whole run (microseconds,
// so sub-millisecond answers keep their resolution), one more reset every second for the timeline,
// and counters. k6's metric names are used where k6 has one.
import * as hdr from 'hdr-histogram-js';
import type { MetricName, MetricReader } from './thresholds.ts';

/** `duplicate-code`: a 200 with a merchant's code another delivery of the run already got (templates without {{code}}). */
export type FailureKind = 'status' | 'missing-code' | 'duplicate-code' | 'schema' | 'timeout' | 'connection';

/** One second of the run, for the charts. */
export interface TimelinePoint {
  /** Seconds from the start (the end of the second). */
  second: number;
  sent: number;
  completed: number;
  failed: number;
  dropped: number;
  p50: number;
  p95: number;
  p99: number;
}

const newHistogram = (): hdr.Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

const ms = (micros: number): number => Math.round(micros) / 1000;

export class LoadMetrics {
  readonly latency = newHistogram();
  private readonly second = newHistogram();
  sent = 0;
  /** Requests that got an answer (any status). */
  answered = 0;
  /** Requests that finished either way (answered, timed out, or failed to connect). */
  finished = 0;
  failedRequests = 0;
  checksPassed = 0;
  checksTotal = 0;
  dropped = 0;
  /** Bytes on the TCP connections (k6's data_sent and data_received), as the client counts them. */
  private wire: { readonly sent: number; readonly received: number } = { sent: 0, received: 0 };
  readonly byKind: Record<FailureKind, number> = {
    status: 0,
    'missing-code': 0,
    'duplicate-code': 0,
    schema: 0,
    timeout: 0,
    connection: 0,
  };
  /** Non-200 answers by status code. */
  readonly byStatus = new Map<number, number>();
  /** One example message per failure kind (the first seen). */
  readonly examples = new Map<string, string>();
  readonly timeline: TimelinePoint[] = [];
  private current = { sent: 0, completed: 0, failed: 0, dropped: 0 };
  private elapsedMs = 0;

  /** Reads the bytes on the wire from the client that counts them. */
  countBytesOf(wire: { readonly sent: number; readonly received: number }): void {
    this.wire = wire;
  }

  get dataSent(): number {
    return this.wire.sent;
  }

  get dataReceived(): number {
    return this.wire.received;
  }

  recordSent(): void {
    this.sent++;
    this.current.sent++;
  }

  recordDropped(): void {
    this.dropped++;
    this.current.dropped++;
  }

  /** A finished request: its latency, whether the target answered, its checks and its failure if any. */
  recordFinished(
    latencyMs: number,
    outcome: { answered: boolean; checksPassed: number; checksTotal: number; failure?: FailureKind; status?: number },
    example?: string,
  ): void {
    const micros = Math.max(1, Math.round(latencyMs * 1000));
    this.latency.recordValue(micros);
    this.second.recordValue(micros);
    this.finished++;
    this.current.completed++;
    if (outcome.answered) this.answered++;
    this.checksPassed += outcome.checksPassed;
    this.checksTotal += outcome.checksTotal;
    if (outcome.failure) {
      this.byKind[outcome.failure]++;
      this.current.failed++;
      if (outcome.failure === 'status' && outcome.status !== undefined) {
        this.byStatus.set(outcome.status, (this.byStatus.get(outcome.status) ?? 0) + 1);
      }
      const key = outcome.failure === 'status' ? `status ${outcome.status}` : outcome.failure;
      if (example && !this.examples.has(key)) this.examples.set(key, example);
    }
    // k6's http_req_failed: anything but the expected status (200 here), or no answer at all.
    if (!outcome.answered || outcome.status !== 200) this.failedRequests++;
  }

  /** Closes the current second of the timeline (called once a second, and at the end). */
  tick(elapsedMs: number): void {
    this.elapsedMs = elapsedMs;
    const h = this.second;
    const empty = h.totalCount === 0;
    const { sent, failed, dropped } = this.current;
    const sincePrevious = elapsedMs / 1000 - (this.timeline.at(-1)?.second ?? 0);
    // The end of a run often comes just after a tick: that sliver holds nothing, and a point for it
    // would draw every chart down to 0 at the end.
    if (empty && sent + failed + dropped === 0 && sincePrevious < 0.5) return;
    this.timeline.push({
      second: Math.round(elapsedMs / 100) / 10,
      ...this.current,
      p50: empty ? 0 : ms(h.getValueAtPercentile(50)),
      p95: empty ? 0 : ms(h.getValueAtPercentile(95)),
      p99: empty ? 0 : ms(h.getValueAtPercentile(99)),
    });
    h.reset();
    this.current = { sent: 0, completed: 0, failed: 0, dropped: 0 };
  }

  /** Percentile of the whole run, in ms (0 when nothing finished). */
  percentile(p: number): number {
    return this.latency.totalCount === 0 ? 0 : ms(this.latency.getValueAtPercentile(p));
  }

  get failures(): number {
    return Object.values(this.byKind).reduce((a, b) => a + b, 0);
  }

  /**
   * The run's metrics as thresholds read them; `durationMs` turns counts into k6's per-second rates.
   * `notStored` is reconciliation's count, measured after the run.
   */
  reader(durationMs: number, notStored = 0): MetricReader {
    const seconds = Math.max(durationMs, 1) / 1000;
    const counts: Record<MetricName, number> = {
      http_req_duration: this.finished,
      http_req_failed: this.failedRequests,
      checks: this.checksPassed,
      http_reqs: this.sent,
      iterations: this.sent,
      dropped_iterations: this.dropped,
      coupons_not_stored: notStored,
      duplicate_codes: this.byKind['duplicate-code'],
      data_sent: this.wire.sent,
      data_received: this.wire.received,
    };
    return {
      trend: (_metric, aggregation, percentile) => {
        const h = this.latency;
        if (h.totalCount === 0) return 0;
        if (aggregation === 'avg') return ms(h.mean);
        if (aggregation === 'min') return ms(h.minNonZeroValue);
        if (aggregation === 'max') return ms(h.maxValue);
        if (aggregation === 'med') return ms(h.getValueAtPercentile(50));
        return ms(h.getValueAtPercentile(percentile ?? 50));
      },
      // A Rate metric's rate is the share of true samples; a Counter's is per second, as in k6.
      rate: (metric) => {
        if (metric === 'http_req_failed') return this.finished === 0 ? 0 : this.failedRequests / this.finished;
        if (metric === 'checks') return this.checksTotal === 0 ? 0 : this.checksPassed / this.checksTotal;
        return counts[metric] / seconds;
      },
      count: (metric) => counts[metric],
    };
  }

  get elapsed(): number {
    return this.elapsedMs;
  }
}
