// The load run. Open model: every request has a due time fixed by the arrival plan; it is sent then
// if a connection is free, else counted as dropped (k6's dropped_iterations), and its latency runs
// from the due time, so a target that stalls the client cannot hide its slowness (no coordinated
// omission). Closed model (`--rate max`): every connection sends its next request as soon as the
// previous one is answered, for maximum throughput; latency then runs from the send.
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { usesDefaultTemplate } from '../../core/config/default-configuration.ts';
import { codeRegister } from '../../core/judge/distinct-codes.ts';
import { codeModeOf } from '../../core/render/code-mode.ts';
import { type ArrivalPlan, arrivalTimes, planDurationMs } from './arrivals.ts';
import { deliverySource, type LoadDelivery } from './deliveries.ts';
import { createFleetClients, type FleetClients, type InstanceCount } from './fleet-clients.ts';
import { type JudgeOptions, judgeAnswer, judgeNoAnswer } from './judge.ts';
import { LoadMetrics } from './metrics.ts';
import type { MixEntry } from './mix.ts';
import { compare, observedValue, type Threshold } from './thresholds.ts';

/** Sends a delivery and calls `done` once it is judged (callbacks, not promises: thousands a second). */
type Deliver = (delivery: LoadDelivery, fromMs: number, done: () => void) => void;

export type LoadModel = { kind: 'open'; plan: ArrivalPlan } | { kind: 'max'; durationMs: number };

export interface LoadOptions {
  config: CouponConfiguration;
  model: LoadModel;
  connections: number;
  mix: readonly MixEntry[];
  seed: number;
  timeoutMs: number;
  codePointer?: string;
  signingSecret?: string;
  /** Looked at every second for those with abortOnFail. */
  thresholds?: readonly Threshold[];
  /** Keep the codes answered 200, for --reconcile. */
  keepCodes?: boolean;
  /**
   * The endpoint's instances (origins; core/http/instances.ts): requests go to each in turn, each
   * with its own share of the connections. The configuration's url's origin alone when absent.
   */
  instances?: readonly string[];
  /** Stops the run (Ctrl-C): nothing more is sent, the requests in flight are waited for. */
  signal?: AbortSignal;
  /** Called once a second with the metrics so far. */
  onSecond?: (metrics: LoadMetrics, elapsedMs: number) => void;
}

export interface LoadRun {
  metrics: LoadMetrics;
  startedAt: Date;
  durationMs: number;
  /** Codes answered 200 (only with keepCodes): the ones sent, or the merchant's own. */
  acknowledgedCodes: string[];
  /** The instance (its index in `instances`) that answered each of acknowledgedCodes, in step with it. */
  acknowledgedBy: number[];
  /** What each instance was sent and failed, in the order of `instances`. */
  instances: InstanceCount[];
  /** Why the run ended before its plan did, if it did. */
  stoppedBy?: { reason: 'interrupted' } | { reason: 'threshold'; expression: string; metric: string };
}

export async function runLoad(options: LoadOptions): Promise<LoadRun> {
  const metrics = new LoadMetrics();
  const nextDelivery = deliverySource(
    options.config,
    options.mix,
    options.seed,
    options.signingSecret ? { signingSecret: options.signingSecret } : {},
  );
  const instances = options.instances ?? [new URL(options.config.url).origin];
  const fleet = createFleetClients(instances, options.connections, options.timeoutMs);
  metrics.countBytesOf(fleet.bytes);
  const acknowledged: Acknowledged = { codes: [], by: [] };
  const startedAt = new Date();
  const start = performance.now();
  const stopping = stopSwitch(options.signal);
  const watching = watchEachSecond(options, metrics, start, stopping.stop);
  const deliver = deliverer(options, metrics, fleet, acknowledged);
  try {
    if (options.model.kind === 'open') {
      await runOpen(options.model.plan, options.connections, start, deliver, nextDelivery, metrics, stopping.stopped);
    } else {
      await runClosed(
        options.model.durationMs,
        options.connections,
        start,
        deliver,
        nextDelivery,
        stopping.stopped,
        () => Boolean(stopping.reason()),
      );
    }
  } finally {
    clearInterval(watching);
    stopping.dispose();
    await fleet.close();
  }
  const durationMs = performance.now() - start;
  metrics.tick(durationMs);
  const stoppedBy = stopping.reason();
  return {
    metrics,
    startedAt,
    durationMs,
    acknowledgedCodes: acknowledged.codes,
    acknowledgedBy: acknowledged.by,
    instances: fleet.counts.map((count) => ({ ...count })),
    ...(stoppedBy ? { stoppedBy } : {}),
  };
}

/** The codes answered 200 and, in step, the instance that answered each. */
interface Acknowledged {
  codes: string[];
  by: number[];
}

type StopReason = NonNullable<LoadRun['stoppedBy']>;

/** Why the run stops early, once: `stopped` resolves at the first stop (Ctrl-C through `signal`, or a threshold). */
function stopSwitch(signal: AbortSignal | undefined): {
  stopped: Promise<void>;
  stop: (why: StopReason) => void;
  reason: () => StopReason | undefined;
  dispose: () => void;
} {
  let reason: StopReason | undefined;
  let resolve: () => void = () => undefined;
  const stopped = new Promise<void>((settle) => {
    resolve = settle;
  });
  const stop = (why: StopReason): void => {
    if (reason) return;
    reason = why;
    resolve();
  };
  const onAbort = (): void => stop({ reason: 'interrupted' });
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  return { stopped, stop, reason: () => reason, dispose: () => signal?.removeEventListener('abort', onAbort) };
}

/** Once a second: the timeline's tick, the thresholds with abortOnFail, and the caller's onSecond. */
function watchEachSecond(
  options: LoadOptions,
  metrics: LoadMetrics,
  start: number,
  stop: (why: StopReason) => void,
): NodeJS.Timeout {
  const abortable = (options.thresholds ?? []).filter((t) => t.abortOnFail);
  return setInterval(() => {
    const elapsed = performance.now() - start;
    metrics.tick(elapsed);
    for (const threshold of abortable) {
      if (elapsed < threshold.delayAbortEvalMs) continue;
      if (!compare(observedValue(threshold, metrics.reader(elapsed)), threshold.operator, threshold.value)) {
        stop({ reason: 'threshold', expression: threshold.expression, metric: threshold.metric });
      }
    }
    options.onSecond?.(metrics, elapsed);
  }, 1000);
}

/** Sends one delivery to the instance whose turn it is and judges the answer; latency runs from `fromMs` (performance.now() time). */
function deliverer(
  options: LoadOptions,
  metrics: LoadMetrics,
  fleet: FleetClients,
  acknowledged: Acknowledged,
): Deliver {
  const judging = judgingOf(options);
  return (delivery, fromMs, done) => {
    metrics.recordSent();
    const instance = fleet.pick();
    const count = fleet.counts[instance]!;
    count.requests++;
    fleet.clients[instance]!.send(delivery.request, (sent) => {
      const latency = performance.now() - fromMs;
      const verdict = sent.ok
        ? judgeAnswer(delivery.code, sent.answer, judging)
        : judgeNoAnswer(sent.kind, sent.message, judging);
      metrics.recordFinished(latency, verdict, verdict.detail);
      if (verdict.failure) count.failures++;
      // Looked up afterwards: the code sent, or the one the merchant made (when it gave one).
      const code = judging.codeMode === 'merchant' ? verdict.code : delivery.code;
      if (options.keepCodes && verdict.status === 200 && code !== undefined) {
        acknowledged.codes.push(code);
        acknowledged.by.push(instance);
      }
      done();
    });
  };
}

/**
 * How the run judges: the template's code mode, and in the merchant-code mode a register of every
 * code answered. It is the one part of a run whose memory grows with its length: the two answers
 * that share a code may be the run's first and last.
 */
function judgingOf(options: LoadOptions): JudgeOptions {
  const codeMode = codeModeOf(options.config);
  return {
    usesDefaultTemplate: usesDefaultTemplate(options.config),
    codeMode,
    ...(codeMode === 'merchant' ? { register: codeRegister<string>() } : {}),
    ...(options.codePointer !== undefined ? { codePointer: options.codePointer } : {}),
  };
}

function runOpen(
  plan: ArrivalPlan,
  connections: number,
  start: number,
  deliver: Deliver,
  nextDelivery: () => LoadDelivery,
  metrics: LoadMetrics,
  stopped: Promise<void>,
): Promise<void> {
  const nextDue = arrivalTimes(plan);
  const endMs = planDurationMs(plan);
  let due = nextDue();
  let inFlight = 0;
  let finishedScheduling = false;
  let timer: NodeJS.Timeout | undefined;
  return new Promise<void>((resolve) => {
    const settle = (): void => {
      if (finishedScheduling && inFlight === 0) resolve();
    };
    const answered = (): void => {
      inFlight--;
      settle();
    };
    const finishScheduling = (): void => {
      finishedScheduling = true;
      if (timer) clearTimeout(timer);
      settle();
    };
    void stopped.then(finishScheduling);
    const pump = (): void => {
      if (finishedScheduling) return;
      const now = performance.now() - start;
      while (due !== undefined && due <= now) {
        if (inFlight < connections) {
          inFlight++;
          deliver(nextDelivery(), start + due, answered);
        } else {
          metrics.recordDropped();
        }
        due = nextDue();
      }
      if (due === undefined) {
        // The plan's last second may hold no arrival; the run still lasts the plan's duration.
        const left = endMs - (performance.now() - start);
        if (left > 1) timer = setTimeout(finishScheduling, left);
        else finishScheduling();
        return;
      }
      timer = setTimeout(pump, Math.max(0, due - (performance.now() - start)));
    };
    pump();
  });
}

function runClosed(
  durationMs: number,
  connections: number,
  start: number,
  deliver: Deliver,
  nextDelivery: () => LoadDelivery,
  stopped: Promise<void>,
  isStopped: () => boolean,
): Promise<void> {
  let over = false;
  const timer = setTimeout(() => {
    over = true;
  }, durationMs);
  void stopped.then(() => {
    over = true;
  });
  return new Promise<void>((resolve) => {
    let working = connections;
    // Each connection sends its next delivery as soon as the last one is judged.
    const next = (): void => {
      if (over || isStopped() || performance.now() - start >= durationMs) {
        working--;
        if (working === 0) {
          clearTimeout(timer);
          resolve();
        }
        return;
      }
      // A request refused before it is sent is answered at once: the next one then waits a turn of
      // the event loop, or the loop would recurse and starve the timers.
      let sending = true;
      deliver(nextDelivery(), performance.now(), () => (sending ? setImmediate(next) : next()));
      sending = false;
    };
    for (let i = 0; i < connections; i++) next();
  });
}
