// gb-coupon config infer --from CASSETTE: the configuration that produced a cassette's deliveries
// (core/infer), printed as the body for `config push` and `verify --config` on stdout, with a
// confidence note per field and what the traffic says about Gameball's open questions on stderr
// (or all of it as JSON with --json).
import type { Command } from 'commander';
import { readCassette } from '../core/cassette/cassette-reader.ts';
import { type InferredConfiguration, inferConfiguration } from '../core/infer/infer-configuration.ts';
import { redactedMark } from '../core/redact/redact-credentials.ts';
import { replaceControlCharacters } from '../core/report/untrusted-text.ts';

export function registerInfer(config: Command): void {
  config
    .command('infer')
    .description(
      "Infer the coupon configuration that produced a cassette's deliveries (gb-coupon record): method, URL, headers, query parameters and the payload template, each field with a confidence note; and what the traffic shows about Gameball's open questions (is a code sent, which placeholders, signatures, retries). The configuration goes to stdout, the notes to stderr.",
    )
    .requiredOption('--from <cassette>', 'the cassette to infer from')
    .option('--json', 'print {configuration, fields, findings, problems} as JSON on stdout, nothing on stderr')
    .action(async (flags: { from: string; json?: boolean }) => {
      const reading = await readCassette(flags.from);
      const inferred = inferConfiguration(reading.exchanges);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ ...inferred, problems: reading.problems }, null, 2)}\n`);
        return;
      }
      process.stderr.write(`${replaceControlCharacters(inferenceNotes(flags.from, inferred, reading.problems))}\n`);
      process.stdout.write(`${JSON.stringify(inferred.configuration, null, 2)}\n`);
    });
}

function inferenceNotes(file: string, inferred: InferredConfiguration, problems: readonly string[]): string {
  const { findings } = inferred;
  const out = [
    `gb-coupon config infer: ${findings.deliveries} deliver${findings.deliveries === 1 ? 'y' : 'ies'} in ${file}, ${findings.period.from} to ${findings.period.to}`,
    ...problems.map((problem) => `  note: ${problem}`),
    '',
    'Each field, how sure, and why:',
  ];
  const width = Math.min(40, Math.max(...inferred.fields.map((f) => f.field.length)));
  for (const field of inferred.fields)
    out.push(`  ${field.field.padEnd(width)}  ${field.confidence.padEnd(6)}  ${field.note}`);
  const { documented, kitOwn } = findings.placeholders;
  const names = (list: readonly string[]): string =>
    list.length > 0 ? list.map((n) => `{{${n}}}`).join(', ') : 'none';
  out.push(
    '',
    "What the traffic shows about Gameball's open questions:",
    `  Is a code sent?     ${findings.codeSent.answer}: ${findings.codeSent.evidence}`,
    `  Placeholders:       documented by Gameball ${names(documented)}; the kit's own (not documented by Gameball) ${names(kitOwn)}`,
    `  Signature headers:  ${findings.signature.present ? 'yes' : 'none'}: ${findings.signature.evidence}`,
    `  Retries:            ${findings.retries.repeated === 0 ? 'none: no delivery arrived twice' : findings.retries.evidence.join('; ')}`,
    `  User-Agent:         ${findings.userAgents.join(' | ')}`,
    '',
  );
  const redacted = JSON.stringify(inferred.configuration).includes(redactedMark);
  out.push(
    `The configuration is on stdout: save it (> config.json)${redacted ? `, put your credentials back where it says ${redactedMark}` : ''}, then run gb-coupon verify --config config.json --replay ${file}.`,
  );
  return out.join('\n');
}
