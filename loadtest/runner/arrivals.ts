// When each request is due, as k6's arrival-rate executors schedule iterations: constant
// (`--rate 200 --duration 30s`) or ramping linearly between stage targets (`--stages 10s:100,30s:500`,
// like ramping-arrival-rate's stages). The schedule is fixed in advance of the target's answers:
// that is what makes it an open model.
import { commaList } from '../../core/comma-list.ts';
import { UsageError } from '../../core/errors.ts';
import { formatDurationK6, parseDuration } from './duration.ts';

export interface Stage {
  durationMs: number;
  /** Requests per second at the end of the stage (the rate moves linearly from the previous one). */
  target: number;
}

export interface ArrivalPlan {
  /** Rate at the start, per second. */
  startRate: number;
  stages: Stage[];
}

export function constantPlan(rate: number, durationMs: number): ArrivalPlan {
  return { startRate: rate, stages: [{ durationMs, target: rate }] };
}

export const planDurationMs = (plan: ArrivalPlan): number => plan.stages.reduce((sum, s) => sum + s.durationMs, 0);

/** How many requests the plan schedules in all. */
export function plannedCount(plan: ArrivalPlan): number {
  let from = plan.startRate;
  let total = 0;
  for (const stage of plan.stages) {
    total += ((from + stage.target) / 2) * (stage.durationMs / 1000);
    from = stage.target;
  }
  return Math.floor(total + 1e-9);
}

/** `10s:100,30s:500,10s:0`: k6's stages as duration:target pairs. */
export function parseStages(text: string): Stage[] {
  const stages = commaList(text).map((entry) => {
    const [duration, target, ...rest] = entry.split(':');
    const rate = Number(target);
    if (rest.length > 0 || duration === undefined || target === undefined || !/^\d+(\.\d+)?$/.test(target.trim())) {
      throw new UsageError(
        `--stages takes duration:rate pairs separated by commas, such as 10s:100,30s:500,10s:0; "${entry}" is not one.`,
      );
    }
    return { durationMs: parseDuration(duration, `--stages (in "${entry}")`), target: rate };
  });
  if (stages.length === 0) throw new UsageError('--stages needs at least one duration:rate pair, such as 30s:200.');
  return stages;
}

export function describePlan(plan: ArrivalPlan): string {
  const only = plan.stages[0]!;
  if (plan.stages.length === 1 && plan.startRate === only.target) {
    return `${only.target}/s for ${formatDurationK6(only.durationMs)}`;
  }
  return `from ${plan.startRate}/s: ${plan.stages.map((s) => `${formatDurationK6(s.durationMs)} to ${s.target}/s`).join(', ')}`;
}

/**
 * The due time (ms from the start) of request 0, 1, 2, …; undefined once the plan is over. Request i
 * is due when the plan's cumulative arrivals reach i, so a constant rate R sends at 0, 1/R, 2/R, ….
 */
export function arrivalTimes(plan: ArrivalPlan): () => number | undefined {
  let index = 0;
  let stage = 0;
  let stageStart = 0;
  let countAtStageStart = 0;
  let fromRate = plan.startRate;
  return () => {
    while (stage < plan.stages.length) {
      const { durationMs, target } = plan.stages[stage]!;
      const r0 = fromRate / 1000;
      const r1 = target / 1000;
      const n = index - countAtStageStart;
      const slope = (r1 - r0) / durationMs;
      let t: number;
      if (Math.abs(slope) < 1e-15) t = r0 > 0 ? n / r0 : Number.POSITIVE_INFINITY;
      else {
        const discriminant = r0 * r0 + 2 * slope * n;
        t = discriminant < 0 ? Number.POSITIVE_INFINITY : (-r0 + Math.sqrt(discriminant)) / slope;
      }
      if (t < durationMs - 1e-9) {
        index++;
        return stageStart + Math.max(0, t);
      }
      countAtStageStart += ((r0 + r1) / 2) * durationMs;
      stageStart += durationMs;
      fromRate = target;
      stage++;
    }
    return undefined;
  };
}
