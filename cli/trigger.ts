// gb-coupon trigger: send a delivery exactly as Gameball would and show the request and the answer,
// like a webhook trigger tool. `--count N` sends N distinct deliveries of the scenario and judges them
// together: when the template has no {{code}}, the merchant must give each one a code of its own
// (`duplicate-code` otherwise). Exit 0 when the judge (core/judge/judge.ts) says Gameball would
// accept every answer, 1 otherwise.
import type { Command } from 'commander';
import pc from 'picocolors';
import type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
import type { ShippedTemplate } from '../core/config/default-configuration.ts';
import { UsageError } from '../core/errors.ts';
import { bodyNote } from '../core/http/body-note.ts';
import { curlCommand } from '../core/http/curl-command.ts';
import { type Exchange, sendRequest } from '../core/http/send-request.ts';
import { codeRegister, judgeDistinct } from '../core/judge/distinct-codes.ts';
import { type AcceptanceVerdict, codeLocationOf, judge } from '../core/judge/judge.ts';
import { lintTemplate } from '../core/lint/lint-template.ts';
import { redactCredentials } from '../core/redact/redact-credentials.ts';
import { codeModeOf, expectedCodeOf, retryWarning } from '../core/render/code-mode.ts';
import type { PlaceholderValue } from '../core/render/fill-template.ts';
import { couponTypePlaceholders } from '../core/render/placeholders.ts';
import { type CouponValues, type RenderedRequest, renderDelivery } from '../core/render/render-delivery.ts';
import { replaceControlCharacters, truncateText } from '../core/report/untrusted-text.ts';
import {
  avoidedBy,
  codeGenerator,
  findScenario,
  isEnabled,
  randomSeed,
  type Scenario,
  scenarios,
  scenarioValues,
  seededRandom,
} from '../core/scenarios/scenarios.ts';
import { jsonPointer, maxBodyOption, templateOption, useColor, wholeNumber } from './options.ts';
import { redacted, showSecretsInOutput } from './redacted-output.ts';
import { type Recorded, readRecorded, replayPlan } from './replay.ts';
import { withTarget } from './target.ts';

interface TriggerFlags {
  config?: string;
  template?: ShippedTemplate;
  set: string[];
  count: number;
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
    if (couponTypePlaceholders.includes(name)) {
      throw new UsageError(
        `${name} comes from the scenario and the couponMapping; pick another scenario instead of --set ${name}.`,
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
      `Send a delivery as Gameball would and print the exact request and answer. Scenarios: ${scenarios.map((s) => s.id).join(', ')}.`,
    )
    .argument('[scenario]', 'which delivery to send (or --replay)')
    .option('-c, --config <file>', 'the coupon configuration JSON (without it, the built-in reference server)')
    .addOption(templateOption())
    .option('--set <name=value>', 'override a placeholder value (repeatable)', parseSet, [])
    .option(
      '--count <n>',
      'send n distinct deliveries of the scenario and judge them together (without {{code}}: each needs a code of its own)',
      wholeNumber('--count', 1, 1000),
      1,
    )
    .option('--seed <n>', 'seed for the generated codes', wholeNumber('--seed', 0, 2 ** 31 - 1))
    .option('--timeout <ms>', 'request timeout in ms', wholeNumber('--timeout', 1), 10_000)
    .addOption(maxBodyOption())
    .option('--code-pointer <pointer>', 'custom templates: JSON pointer to the coupon code in the answer', jsonPointer)
    .option('--signing-secret <secret>', 'sign the delivery with X-GB-Signature')
    .option(
      '--show-secrets',
      'print secrets as they are (header and query values, URL user-info, credential members of the payload, signing secret)',
    )
    .option(
      '--replay <cassette[#N]>',
      'send recorded delivery #N of a cassette (gb-coupon record; the first without #N), with a fresh code',
    )
    .option('--no-color', 'plain output')
    .action(async (scenarioId: string | undefined, flags: TriggerFlags) => {
      if (flags.showSecrets) showSecretsInOutput();
      const recorded = await triggerReplay(scenarioId, flags.replay);
      const named = recorded ? undefined : findScenario(scenarioId!);
      const target = { configFile: flags.config, signingSecret: flags.signingSecret, template: flags.template };
      await withTarget(target, async ({ configuration: { config, notes } }) => {
        const scenario =
          named ?? replayPlan(recorded!, config, (line) => void process.stdout.write(`${line}\n`)).scenarios[0]!;
        if (!isEnabled(config, scenario)) {
          throw new UsageError(
            `The configuration disables ${scenario.couponKind} coupons, so Gameball would never send "${scenario.id}".`,
          );
        }
        // The template is read before anything is sent: a misspelt placeholder is the template's fault.
        const setNames = flags.set.map((entry) => entry.slice(0, entry.indexOf('=')));
        for (const finding of lintTemplate(config, setNames)) {
          process.stderr.write(
            redacted(
              `${finding.severity === 'failure' ? 'template error' : 'template warning'} [${finding.kind}]: ${finding.message}\n`,
            ),
          );
        }
        const accepted = await sendDeliveries(config, scenario, notes, flags);
        process.exitCode = accepted ? 0 : 1;
      });
    });
}

/** Sends the deliveries one after another, prints each, and says whether Gameball would accept them all. */
async function sendDeliveries(
  config: CouponConfiguration,
  scenario: Scenario,
  notes: readonly string[],
  flags: TriggerFlags,
): Promise<boolean> {
  const paint = painter(useColor(process.stdout, flags.color));
  const mode = codeModeOf(config);
  const location = codeLocationOf(config, flags.codePointer);
  const nextCode = codeGenerator(seededRandom(flags.seed ?? randomSeed()), avoidedBy([scenario]));
  const register = codeRegister<number>();
  let redactedAny = false;
  // Every secret the run holds is hidden by value in what is printed, unless --show-secrets.
  const write = (lines: string[]): void => {
    if (lines.length === 0) return;
    const text = `${lines.join('\n')}\n`;
    const printed = redacted(text);
    redactedAny ||= printed !== text;
    process.stdout.write(printed);
  };
  write([...(mode === 'merchant' ? [retryWarning] : []), ...notes].map((note) => paint.dim(`note: ${note}`)));
  const verdicts: AcceptanceVerdict[] = [];
  for (let n = 1; n <= flags.count; n++) {
    const values = applySets(scenarioValues(scenario, nextCode(scenario.codePrefix)), flags.set);
    const request = renderDelivery(config, values, flags.signingSecret ? { signingSecret: flags.signingSecret } : {});
    const exchange = await sendRequest(request, { timeoutMs: flags.timeout, maxBodyBytes: flags.maxBody });
    const judged = judge(exchange, { expectedCode: expectedCodeOf(mode, values.code) }, location);
    const verdict =
      mode === 'merchant' ? judgeDistinct(judged, register, n, (earlier) => `delivery ${earlier} of this run`) : judged;
    verdicts.push(verdict);
    const shown = flags.showSecrets ? request : redactCredentials(request, config);
    redactedAny ||= JSON.stringify(shown) !== JSON.stringify(request);
    const heading = flags.count > 1 ? `${scenario.title} (${n} of ${flags.count})` : scenario.title;
    write(deliveryLines(heading, shown, request, exchange, verdict, paint));
  }
  const accepted = verdicts.filter((v) => v.accepted).length;
  if (flags.count > 1) {
    const codes = new Set(verdicts.flatMap((v) => (v.code === undefined ? [] : [v.code])));
    write(['', paint.bold(`${accepted} of ${flags.count} accepted; ${codes.size} distinct code(s).`)]);
  }
  if (redactedAny) write([paint.dim('(secrets redacted; --show-secrets prints them)')]);
  return accepted === flags.count;
}

interface Painter {
  dim(text: string): string;
  bold(text: string): string;
}

function painter(color: boolean): Painter {
  return color ? { dim: pc.dim, bold: pc.bold } : { dim: (s) => s, bold: (s) => s };
}

/** One delivery as sent (credentials redacted unless asked for: output ends up in CI logs), its answer and the verdict. */
function deliveryLines(
  heading: string,
  shown: RenderedRequest,
  request: RenderedRequest,
  exchange: Exchange,
  verdict: AcceptanceVerdict,
  paint: Painter,
): string[] {
  const out: string[] = [paint.bold(`> ${heading}`), `${shown.method} ${shown.url}`];
  for (const [key, value] of Object.entries(shown.headers)) out.push(`${key}: ${value}`);
  if (request.body !== undefined) out.push('', pretty(request.body));
  out.push('', ...answerLines(exchange, paint));
  // The verdict line says the first failure; the other findings (and warnings) come before it.
  // They quote the endpoint's answer, which must not steer the terminal either.
  for (const finding of verdict.findings.filter((f) => f.message !== verdict.detail))
    out.push(paint.dim(replaceControlCharacters(`${finding.severity} [${finding.kind}]: ${finding.message}`)));
  out.push(
    '',
    replaceControlCharacters(
      `${verdict.accepted ? 'Gameball would accept this.' : 'Gameball would treat this as a failure.'} ${verdict.detail}`,
    ),
  );
  out.push(paint.dim(`Reproduce: ${curlCommand(shown)}`));
  return out;
}

/** The answer as received; the endpoint's text must not steer the terminal. */
function answerLines(exchange: Exchange, paint: Painter): string[] {
  if (!exchange.response) {
    const what = exchange.partial ? 'incomplete answer' : 'no answer';
    return [paint.bold(`< ${what}: ${replaceControlCharacters(exchange.error ?? '')}`)];
  }
  const out = [paint.bold(`< ${exchange.response.status}`) + paint.dim(` in ${exchange.durationMs.toFixed(1)} ms`)];
  for (const [key, value] of Object.entries(exchange.response.headers))
    out.push(replaceControlCharacters(`${key}: ${value}`));
  out.push('', replaceControlCharacters(truncateText(pretty(exchange.response.body), 64 * 1024)));
  const note = bodyNote(exchange.response);
  if (note) out.push(paint.bold(`(${note})`));
  return out;
}

/** `trigger SCENARIO` or `trigger --replay CASSETTE[#N]` (the first delivery without #N), not both. */
async function triggerReplay(
  scenarioId: string | undefined,
  replay: string | undefined,
): Promise<Recorded | undefined> {
  if ((scenarioId === undefined) === (replay === undefined)) {
    const which = scenarioId === undefined ? 'neither was given' : `both were given (${scenarioId} and --replay)`;
    throw new UsageError(
      `trigger sends one delivery: name a scenario (${scenarios.map((s) => s.id).join(', ')}) or give --replay CASSETTE#N; ${which}.`,
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
