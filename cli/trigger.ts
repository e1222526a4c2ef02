// gb-coupon trigger: send one delivery exactly as Gameball would and show the request and the
// answer, like a webhook trigger tool. Exit 0 when the judge (core/judge/judge.ts) says Gameball
// would accept the answer, 1 otherwise.
import type { Command } from 'commander';
import pc from 'picocolors';
import { UsageError } from '../core/errors.ts';
import { bodyNote } from '../core/http/body-note.ts';
import { curlCommand } from '../core/http/curl-command.ts';
import { sendRequest } from '../core/http/send-request.ts';
import { codeLocationOf, judge } from '../core/judge/judge.ts';
import { lintTemplate } from '../core/lint/lint-template.ts';
import { redactCredentials } from '../core/redact/redact-credentials.ts';
import type { PlaceholderValue } from '../core/render/fill-template.ts';
import { type CouponValues, renderDelivery } from '../core/render/render-delivery.ts';
import { replaceControlCharacters, truncateText } from '../core/report/untrusted-text.ts';
import {
  codeGenerator,
  findScenario,
  isEnabled,
  randomSeed,
  scenarios,
  scenarioValues,
  seededRandom,
} from '../core/scenarios/scenarios.ts';
import { jsonPointer, maxBodyOption, useColor, wholeNumber } from './options.ts';
import { type Recorded, readRecorded, replayPlan } from './replay.ts';
import { withTarget } from './target.ts';

interface TriggerFlags {
  config?: string;
  set: string[];
  seed?: number;
  timeout: number;
  maxBody: number;
  codePointer?: string;
  signingSecret?: string;
  showSecrets?: boolean;
  replay?: string;
  color: boolean;
}

/** `name=value`: the value as JSON when it parses (numbers, booleans, arrays, null), else as text. */
function parseSet(text: string, previous: string[]): string[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) {
    throw new UsageError(`--set takes name=value, e.g. --set value=15 or --set playerUniqueId=CUS_1; got "${text}".`);
  }
  return [...previous, text];
}

function applySets(values: CouponValues, sets: string[]): CouponValues {
  const result: CouponValues = { ...values, extra: { ...values.extra } };
  for (const entry of sets) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, at);
    const raw = entry.slice(at + 1);
    let value: PlaceholderValue;
    try {
      value = JSON.parse(raw) as PlaceholderValue;
    } catch {
      value = raw;
    }
    if (name === 'couponType') {
      throw new UsageError(
        'couponType comes from the scenario and the couponMapping; pick another scenario instead of --set couponType.',
      );
    }
    // A field the scenario carries is replaced (a text field stays text: --set code=123 is "123");
    // any other name is an extra placeholder for a custom template.
    const fields = result as unknown as Record<string, unknown>;
    if (Object.hasOwn(fields, name) && name !== 'extra' && name !== 'couponKind')
      fields[name] = typeof fields[name] === 'string' ? String(value) : value;
    else result.extra![name] = value;
  }
  return result;
}

export function registerTrigger(program: Command): void {
  program
    .command('trigger')
    .description(
      `Send one delivery as Gameball would and print the exact request and answer. Scenarios: ${scenarios.map((s) => s.id).join(', ')}.`,
    )
    .argument('[scenario]', 'which delivery to send (or --replay)')
    .option('-c, --config <file>', 'the coupon configuration JSON (without it, the built-in reference server)')
    .option('--set <name=value>', 'override a placeholder value (repeatable)', parseSet, [])
    .option('--seed <n>', 'seed for the generated code', wholeNumber('--seed', 0, 2 ** 31 - 1))
    .option('--timeout <ms>', 'request timeout in ms', wholeNumber('--timeout', 1), 10_000)
    .addOption(maxBodyOption())
    .option('--code-pointer <pointer>', 'custom templates: JSON pointer to the coupon code in the answer', jsonPointer)
    .option('--signing-secret <secret>', 'sign the delivery with X-GB-Signature')
    .option('--show-secrets', 'print credential values (redacted by default)')
    .option(
      '--replay <cassette[#N]>',
      'send recorded delivery #N of a cassette (gb-coupon record; the first without #N), with a fresh code',
    )
    .option('--no-color', 'plain output')
    .action(async (scenarioId: string | undefined, flags: TriggerFlags) => {
      const recorded = await triggerReplay(scenarioId, flags.replay);
      const named = recorded ? undefined : findScenario(scenarioId!);
      await withTarget(
        { configFile: flags.config, signingSecret: flags.signingSecret },
        async ({ configuration: { config, notes } }) => {
          const scenario =
            named ?? replayPlan(recorded!, config, (line) => void process.stdout.write(`${line}\n`)).scenarios[0]!;
          if (!isEnabled(config, scenario)) {
            throw new UsageError(
              `The configuration disables ${scenario.couponKind} coupons, so Gameball would never send "${scenario.id}".`,
            );
          }
          const code = codeGenerator(seededRandom(flags.seed ?? randomSeed()))(scenario.codePrefix);
          const values = applySets(scenarioValues(scenario, code), flags.set);
          const request = renderDelivery(
            config,
            values,
            flags.signingSecret ? { signingSecret: flags.signingSecret } : {},
          );
          const color = useColor(process.stdout, flags.color);
          const dim = color ? pc.dim : (s: string) => s;
          const bold = color ? pc.bold : (s: string) => s;
          const out: string[] = [];
          for (const note of notes) out.push(dim(`note: ${note}`));
          // The template is read before anything is sent: a misspelt placeholder is the template's fault.
          const setNames = flags.set.map((entry) => entry.slice(0, entry.indexOf('=')));
          for (const finding of lintTemplate(config, setNames)) {
            process.stderr.write(
              `${finding.severity === 'failure' ? 'template error' : 'template warning'} [${finding.kind}]: ${finding.message}\n`,
            );
          }
          // Shown as sent, but with the configured credentials redacted unless asked for (output ends up in CI logs).
          const shown = flags.showSecrets ? request : redactCredentials(request, config);
          out.push(bold(`> ${scenario.title}`), `${shown.method} ${shown.url}`);
          for (const [key, value] of Object.entries(shown.headers)) out.push(`${key}: ${value}`);
          if (request.body !== undefined) out.push('', pretty(request.body));
          const exchange = await sendRequest(request, { timeoutMs: flags.timeout, maxBodyBytes: flags.maxBody });
          out.push('');
          if (!exchange.response) {
            const what = exchange.partial ? 'incomplete answer' : 'no answer';
            out.push(bold(`< ${what}: ${replaceControlCharacters(exchange.error ?? '')}`));
          } else {
            out.push(bold(`< ${exchange.response.status}`) + dim(` in ${exchange.durationMs.toFixed(1)} ms`));
            // The endpoint's text must not steer the terminal.
            for (const [key, value] of Object.entries(exchange.response.headers))
              out.push(replaceControlCharacters(`${key}: ${value}`));
            out.push('', replaceControlCharacters(truncateText(pretty(exchange.response.body), 64 * 1024)));
            const note = bodyNote(exchange.response);
            if (note) out.push(bold(`(${note})`));
          }
          const verdict = judge(exchange, { expectedCode: values.code }, codeLocationOf(config, flags.codePointer));
          // The verdict line says the first failure; the other findings (and warnings) come before it.
          for (const finding of verdict.findings.filter((f) => f.message !== verdict.detail))
            out.push(dim(`${finding.severity} [${finding.kind}]: ${finding.message}`));
          out.push(
            '',
            `${verdict.accepted ? 'Gameball would accept this.' : 'Gameball would treat this as a failure.'} ${verdict.detail}`,
          );
          out.push(dim(`Reproduce: ${curlCommand(shown)}`));
          if (JSON.stringify(shown) !== JSON.stringify(request))
            out.push(dim('(credential values redacted; --show-secrets prints them)'));
          process.stdout.write(`${out.join('\n')}\n`);
          process.exitCode = verdict.accepted ? 0 : 1;
        },
      );
    });
}

/** `trigger SCENARIO` or `trigger --replay CASSETTE[#N]` (the first delivery without #N), not both. */
async function triggerReplay(
  scenarioId: string | undefined,
  replay: string | undefined,
): Promise<Recorded | undefined> {
  if ((scenarioId === undefined) === (replay === undefined)) {
    throw new UsageError(
      `trigger sends one delivery: name a scenario (${scenarios.map((s) => s.id).join(', ')}) or give --replay CASSETTE#N, not both.`,
    );
  }
  if (replay === undefined) return undefined;
  const recorded = await readRecorded(replay, '--replay', true);
  return { ...recorded, seq: recorded.seq ?? recorded.reading.exchanges[0]?.seq ?? 1 };
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
