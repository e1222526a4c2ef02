// gb-coupon verify: judge a merchant endpoint as Gameball would call it. Exit 0 when no check
// fails (warnings are advice, unless --strict), 1 when any fails, 2 for a configuration or tool error.
import type { Command } from 'commander';
import { parseReportFormats } from '../core/report/report-formats.ts';
import { randomSeed } from '../core/scenarios/scenarios.ts';
import { tool } from '../core/tool.ts';
import { createConsoleStream } from '../harness/report/console.ts';
import { writeReports } from '../harness/report/write-reports.ts';
import { parseLookup } from '../harness/run/lookup.ts';
import { checkIds, selectChecks, verify } from '../harness/run/verify.ts';
import { idList, jsonPointer, maxBodyOption, useColor, wholeNumber } from './options.ts';
import { prepareOutDir, unwritable } from './report-dir.ts';
import { interrupted, withTarget } from './target.ts';

interface VerifyFlags {
  config?: string;
  report?: string;
  out: string;
  seed?: number;
  latencyBudget: number;
  only?: string[];
  timeout: number;
  maxBody: number;
  codePointer?: string;
  signingSecret?: string;
  showSecrets?: boolean;
  strict?: boolean;
  lookup?: string;
  color: boolean;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'Replay the deliveries Gameball sends (redeem, campaign, free shipping, free product, test connection) against the endpoint a coupon configuration points at, and judge every answer. Without --config, verifies the built-in reference server.',
    )
    .option('-c, --config <file>', 'the coupon configuration JSON you PUT to Gameball (/configurations/coupon)')
    .option('--report <formats>', 'also write reports: json, junit, html (comma-separated)')
    .option('--out <dir>', 'where --report writes', 'gb-coupon-report')
    .option('--seed <n>', 'seed for codes and choices, to repeat a run exactly', wholeNumber('--seed', 0, 2 ** 31 - 1))
    .option('--latency-budget <ms>', 'p95 latency budget in ms', wholeNumber('--latency-budget', 1), 1000)
    .option('--only <ids>', `run only these checks (${checkIds().join(', ')})`, idList)
    .option('--timeout <ms>', 'per-request timeout in ms', wholeNumber('--timeout', 1), 10_000)
    .addOption(maxBodyOption())
    .option(
      '--code-pointer <pointer>',
      'custom templates: JSON pointer to the coupon code in the answer, e.g. /data/code',
      jsonPointer,
    )
    .option('--signing-secret <secret>', "sign deliveries with X-GB-Signature (Gameball's webhook scheme)")
    .option('--show-secrets', 'keep credential values in reproductions and curl commands (redacted by default)')
    .option('--strict', 'warnings (advice, e.g. plain-text error bodies) fail the run too')
    .option(
      '--lookup <request>',
      "read back stored coupons after idempotency, concurrency and bad-input, e.g. 'GET https://shop.example/coupons/{code}' (automatic for the embedded server)",
    )
    .option('--no-color', 'plain output')
    .action(async (flags: VerifyFlags) => {
      // Every usage mistake is reported before anything is started.
      const formats = flags.report ? parseReportFormats(flags.report) : [];
      selectChecks(flags.only);
      if (flags.lookup !== undefined) parseLookup(flags.lookup);
      if (formats.length > 0) await prepareOutDir(flags.out);
      const seed = flags.seed ?? randomSeed();
      // After Ctrl-C the run goes on against a closed server until the process exits: none of
      // that may reach the screen or a report.
      const live = createConsoleStream((text) => void (interrupted() || process.stdout.write(text)), {
        color: useColor(process.stdout, flags.color),
        checkIds: checkIds(),
      });
      const report = await withTarget(
        { configFile: flags.config, signingSecret: flags.signingSecret },
        async ({ configuration, embedded }) => {
          const { config, notes } = configuration;
          // The reference server reads its coupons back at GET /coupons/{code}.
          const lookup = flags.lookup ?? (embedded ? `GET ${config.url}/{code}` : undefined);
          // Printed as the run goes: against a slow endpoint the whole run can take a while.
          live.start({
            tool,
            target: {
              url: config.url,
              method: config.method,
              embedded,
              ...(lookup ? { lookup: parseLookup(lookup).text } : {}),
            },
            seed,
            notes,
          });
          return verify(configuration, {
            seed,
            onCheck: (check) => live.check(check),
            latencyBudgetMs: flags.latencyBudget,
            ...(flags.only ? { only: flags.only } : {}),
            timeoutMs: flags.timeout,
            maxBodyBytes: flags.maxBody,
            ...(flags.codePointer !== undefined ? { codePointer: flags.codePointer } : {}),
            ...(flags.signingSecret ? { signingSecret: flags.signingSecret } : {}),
            embedded,
            ...(flags.showSecrets ? { showSecrets: true } : {}),
            ...(flags.strict ? { strict: true } : {}),
            ...(lookup ? { lookup } : {}),
          });
        },
      );
      live.finish(report);
      if (formats.length > 0 && !interrupted()) {
        const written = await writeReports(report, { formats, outDir: flags.out }).catch(
          (error: NodeJS.ErrnoException) => {
            // The verdict is printed above; the run still exits 2, as its reports were not written.
            throw error.code ? unwritable(flags.out, error) : error;
          },
        );
        process.stdout.write(`Reports: ${written.join(', ')}\n`);
      }
      process.exitCode = report.outcome === 'failed' ? 1 : 0;
    });
}
