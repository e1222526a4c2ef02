// gb-coupon flow: the seed's custom-UI flow end to end against Gameball (or a stand-in started for
// the run) and a merchant endpoint (the configuration given, or the reference server started for
// the run), printed step by step like verify. Exit 0 when every step that ran passed, 1 when one
// failed, 2 for a usage or configuration error.
import type { Command } from 'commander';
import type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
import { UsageError } from '../core/errors.ts';
import { curlCommand, curlScript } from '../core/http/curl-command.ts';
import { parseReportFormats } from '../core/report/report-formats.ts';
import { randomSeed, seededRandom } from '../core/scenarios/scenarios.ts';
import { tool } from '../core/tool.ts';
import { type CheckVerdict, type RecordedExchange, skip } from '../harness/checks/check.ts';
import { summariseLatency } from '../harness/checks/latency-summary.ts';
import { createConsoleStream } from '../harness/report/console.ts';
import type { CheckResult, Report, Reproduction } from '../harness/report/types.ts';
import { checkResult } from '../harness/run/check-result.ts';
import { controlHeaders, type FlowState, type FlowStep, flowSteps, stepFailed } from './flow-steps.ts';
import {
  type GameballConnection,
  type GameballExchange,
  type GameballFlags,
  gameballUrl,
  withGameball,
} from './gameball-connection.ts';
import { secretOption, useColor, wholeNumber } from './options.ts';
import { hideInOutput, redacted } from './redacted-output.ts';
import { prepareOutDir, writeRunReports } from './report-dir.ts';
import { interrupted, withTarget } from './target.ts';

interface FlowFlags extends GameballFlags {
  controlToken?: string;
  config?: string;
  report?: string;
  out: string;
  color: boolean;
}

export function registerFlow(program: Command): void {
  program
    .command('flow')
    .description(
      "Run the custom-UI flow end to end through Gameball's API: push the configuration, fetch the redemption options, " +
        'redeem a rule (Gameball calls your endpoint), list the coupons, validate with a lock, place the order that burns ' +
        'it, award a campaign coupon and see it listed. Without --gameball a stand-in is started; without --config the ' +
        'reference server too. Exit 0 when every step passes, 1 when one fails, 2 for a usage error.',
    )
    .option('-c, --config <file>', 'the coupon configuration of your endpoint (default: the built-in reference server)')
    .option('--gameball <url>', 'Gameball base URL, e.g. https://api.gameball.co (default: a stand-in started here)')
    .option('--api-key <key>', 'the account API key (default: GAMEBALL_API_KEY)')
    .option('--secret-key <key>', 'the account secret key (default: GAMEBALL_SECRET_KEY)')
    .addOption(
      secretOption(
        '--control-token <token>',
        'with --gameball pointing at a gb-coupon mock started with --control-token: that token, for its control plane',
        'GB_COUPON_CONTROL_TOKEN',
      ),
    )
    .option(
      '--seed <n>',
      'seed of the run (customer ids, a started stand-in codes)',
      wholeNumber('--seed', 0, 2 ** 31 - 1),
    )
    .option('--report <formats>', 'also write reports: json, junit, html (comma-separated)')
    .option('--out <dir>', 'where --report writes', 'gb-coupon-report')
    .option('--no-color', 'plain output')
    .action(async (flags: FlowFlags) => {
      const formats = flags.report ? parseReportFormats(flags.report) : [];
      if (flags.gameball) gameballUrl(flags.gameball);
      hideInOutput({ keys: [flags.controlToken] });
      if (formats.length > 0) await prepareOutDir(flags.out);
      const seed = flags.seed ?? randomSeed();
      const report = await runFlow(flags, seed);
      if (!interrupted()) await writeRunReports(report, formats, flags.out);
      process.exitCode = report.summary.failed > 0 ? 1 : 0;
    });
}

const stepBudgetMs = 5_000;

/** Which step sets each field a later step needs, for the skip message. */
const madeBy: Partial<Record<keyof FlowState, string>> = {
  rule: 'redemption-options',
  code: 'redeem',
  lockReference: 'validate-lock',
  campaignCode: 'campaign-award',
};

type StepExchange = GameballExchange & { step: string };

async function runFlow(flags: FlowFlags, seed: number): Promise<Report> {
  const live = createConsoleStream((text) => void (interrupted() || process.stdout.write(redacted(text))), {
    color: useColor(process.stdout, flags.color),
    checkIds: flowSteps.map((s) => s.id),
  });
  return withTarget({ configFile: flags.config }, async ({ configuration, embedded }) => {
    const { config } = configuration;
    // Each exchange with Gameball, under the step that made it: the evidence of a failed step.
    const exchanges: StepExchange[] = [];
    const recorder = { step: '' };
    const started = { at: new Date(), ms: performance.now() };
    const notes = [...configuration.notes];
    const target = { url: config.url, method: config.method, embedded };
    const results = await withGameball(
      { ...flags, seed },
      async (connection) => {
        notes.unshift(
          `Gameball: ${connection.url}${connection.started ? ' (a gb-coupon mock started for this run, its control plane used for the merchant log and the campaign)' : ''}.`,
        );
        live.start({ tool: { ...tool, command: 'flow' }, target, seed, notes });
        const state = await flowState(connection, config, seed, flags.controlToken);
        return runSteps(state, exchanges, recorder, (result) => live.check(result));
      },
      (exchange) => exchanges.push({ ...exchange, step: recorder.step }),
    );
    const report = flowReport(results, { target, seed, notes, started, exchanges });
    live.finish(report);
    return report;
  });
}

/** The flow's starting state: the customers get a suffix of the seed, so runs against one Gameball do not mix. */
async function flowState(
  connection: GameballConnection,
  config: CouponConfiguration,
  seed: number,
  controlToken: string | undefined,
): Promise<FlowState> {
  const suffix = Math.floor(seededRandom(seed)() * 36 ** 6)
    .toString(36)
    .toUpperCase();
  return {
    connection,
    config,
    standIn: connection.started || (await isStandIn(connection.url, controlToken)),
    controlToken,
    adam: `CUS_10482-${suffix}`,
    sarah: `CUS_20931-${suffix}`,
  };
}

async function runSteps(
  state: FlowState,
  exchanges: readonly StepExchange[],
  recorder: { step: string },
  onStep: (result: CheckResult) => void,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const step of flowSteps) {
    recorder.step = step.id;
    const began = performance.now();
    const before = exchanges.length;
    const verdict = await stepVerdict(step, state);
    // A failed step's last exchange with Gameball shows what went wrong.
    const evidence = verdict.status === 'failed' ? exchanges.slice(before).at(-1) : undefined;
    const result = checkResult(step, verdict, performance.now() - began, () =>
      evidence ? reproduce(evidence) : undefined,
    );
    results.push(result);
    onStep(result);
  }
  return results;
}

async function stepVerdict(step: FlowStep, state: FlowState): Promise<CheckVerdict> {
  const missing = step.needs.filter((field) => state[field] === undefined);
  if (missing.length > 0) {
    const from = [...new Set(missing.map((field) => madeBy[field] ?? field))];
    return skip(
      `Not run: it needs the ${missing.join(' and ')} that ${from.join(' and ')} did not give (see above).`,
      'dependency-failed',
    );
  }
  try {
    return await step.run(state);
  } catch (error) {
    return stepFailed(`Gameball could not be reached: ${describe(error)}.`);
  }
}

function flowReport(
  results: CheckResult[],
  run: {
    target: Report['target'];
    seed: number;
    notes: string[];
    started: { at: Date; ms: number };
    exchanges: readonly StepExchange[];
  },
): Report {
  const count = (status: CheckResult['status']): number => results.filter((r) => r.status === status).length;
  return {
    tool: { ...tool, command: 'flow' },
    target: run.target,
    startedAt: run.started.at.toISOString(),
    durationMs: Math.round(performance.now() - run.started.ms),
    seed: run.seed,
    summary: { passed: count('passed'), warnings: 0, failed: count('failed'), skipped: count('skipped') },
    strict: false,
    outcome: count('failed') > 0 ? 'failed' : 'passed',
    checks: results,
    latency: summariseLatency(run.exchanges.map(asRecorded), stepBudgetMs, run.started.ms),
    notes: run.notes,
  };
}

function reproduce(exchange: GameballExchange): Reproduction {
  const request = {
    method: exchange.method,
    url: exchange.url,
    headers: exchange.headers,
    ...(exchange.body !== undefined ? { body: exchange.body } : {}),
  };
  return {
    request,
    ...(exchange.response ? { response: exchange.response } : {}),
    ...(exchange.error ? { error: exchange.error } : {}),
    curl: curlCommand(request),
    script: curlScript([request], `Reproduces ${exchange.method} ${exchange.url}`),
    requests: 1,
  };
}

function asRecorded(exchange: StepExchange): RecordedExchange {
  return {
    request: { method: exchange.method, url: exchange.url, headers: exchange.headers },
    ...(exchange.response
      ? {
          response: {
            ...exchange.response,
            json: undefined,
            bodyBytes: Buffer.byteLength(exchange.response.body),
            truncated: false,
            abandoned: false,
            invalidUtf8: false,
          },
        }
      : { error: exchange.error ?? 'no answer' }),
    startedAt: exchange.startedAt,
    durationMs: exchange.durationMs,
    checkId: exchange.step,
  };
}

/**
 * A gb-coupon mock answers its control plane; Gameball does not. A mock whose control plane wants a
 * token it was not given is a usage error: the flow would otherwise skip the steps that need it.
 */
async function isStandIn(url: string, controlToken: string | undefined): Promise<boolean> {
  let answer: { status: number; body: { deliveries?: unknown; message?: unknown } };
  try {
    const response = await fetch(`${url}/__gb/deliveries?customerId=-`, {
      headers: controlHeaders(controlToken),
      signal: AbortSignal.timeout(5_000),
    });
    answer = { status: response.status, body: (await response.json()) as typeof answer.body };
  } catch {
    return false;
  }
  if (answer.status === 401 && String(answer.body.message).includes('/__gb/')) {
    throw new UsageError(
      `${url} is a gb-coupon mock whose control plane (/__gb/) needs its control token${controlToken ? ', and refused the one given' : ''}: pass --control-token or set GB_COUPON_CONTROL_TOKEN.`,
    );
  }
  return answer.status === 200 && Array.isArray(answer.body.deliveries);
}

function describe(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'no answer within 30 s';
  if (err.cause?.code === 'ECONNREFUSED') return 'connection refused';
  return err.cause?.message ?? err.message;
}
