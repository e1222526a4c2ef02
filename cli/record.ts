// gb-coupon record: capture what Gameball really sends. A proxy in front of the merchant's coupon
// endpoint (--forward), or the answerer itself when there is none yet (--respond), that appends
// each exchange to a cassette and prints a line per delivery, like `stripe listen`. Ctrl-C closes
// the cassette cleanly and exits 0. The work is core/record's startRecorder; this parses and prints.
import type { Command } from 'commander';
import pc from 'picocolors';
import type { ExchangeRecord } from '../core/cassette/cassette-format.ts';
import { UsageError } from '../core/errors.ts';
import { loadRespond } from '../core/record/own-answer.ts';
import { type RunningRecorder, startRecorder } from '../core/record/start-recorder.ts';
import { redactedMark } from '../core/redact/redactor.ts';
import { oneLineExcerpt, replaceControlCharacters } from '../core/report/untrusted-text.ts';
import { listenError } from './listen-error.ts';
import { idList, useColor, wholeNumber } from './options.ts';

interface RecordFlags {
  forward?: string;
  respond?: string;
  listen: string;
  cassette: string;
  redact?: string[];
  timeout: number;
  quiet?: boolean;
  color: boolean;
}

export const defaultCassette = 'gb-coupon.cassette.jsonl';

export function registerRecord(program: Command): void {
  program
    .command('record')
    .description(
      "Record what Gameball sends to your coupon endpoint: a proxy that forwards each delivery unchanged (--forward) or answers it itself (--respond), and appends the exchange to a cassette (JSON Lines; credential values redacted) with the kit's verdict on the answer. Point Gameball's coupon URL at it (through a tunnel for real Gameball). Ctrl-C closes the cassette. Then: gb-coupon config infer --from CASSETTE, and gb-coupon verify --replay CASSETTE.",
    )
    .option('--forward <url>', 'your coupon endpoint; a delivery to /x goes to its path + /x (/ to the URL itself)')
    .option(
      '--respond <default|file>',
      'no endpoint yet: answer 200 {"couponCode": <the code sent>} (default), or the body in a file, {{code}} standing for the code',
    )
    .option(
      '--listen <host:port>',
      'where to listen; loopback by default (0.0.0.0:PORT to take deliveries from a network)',
      '127.0.0.1:4020',
    )
    .option('--cassette <file>', 'the cassette to write (appended to when it exists)', defaultCassette)
    .option(
      '--redact <headers>',
      "also redact these headers' values, comma-separated (credentials are redacted anyway)",
      idList,
    )
    .option('--timeout <ms>', "time for the endpoint's whole answer", wholeNumber('--timeout', 1), 30_000)
    .option('--quiet', 'no line per delivery')
    .option('--no-color', 'plain output')
    .action(runRecord);
}

async function runRecord(flags: RecordFlags): Promise<void> {
  const forward = flags.forward === undefined ? undefined : forwardUrl(flags.forward);
  if ((forward === undefined) === (flags.respond === undefined)) {
    const which = forward === undefined ? 'neither was given' : 'both were given';
    throw new UsageError(
      `record needs either --forward URL (your coupon endpoint, where each delivery goes on to) or --respond default|FILE (no endpoint yet: the recorder answers); ${which}.`,
    );
  }
  const respond = flags.respond === undefined ? undefined : await loadRespond(flags.respond);
  const at = parseListen(flags.listen);
  const color = useColor(process.stdout, flags.color);
  let recorder: RunningRecorder;
  try {
    recorder = await startRecorder({
      ...(forward ? { forward: forward.toString() } : {}),
      ...(respond ? { respond } : {}),
      cassette: flags.cassette,
      host: at.host,
      port: at.port,
      redact: flags.redact ?? [],
      timeoutMs: flags.timeout,
      ...(flags.quiet ? {} : { onDelivery: (record) => void process.stdout.write(`${deliveryLine(record, color)}\n`) }),
      onWriteError: (message) => void process.stderr.write(`gb-coupon record: ${message}\n`),
    });
  } catch (error) {
    throw (
      listenError(error, at, 'another gb-coupon record?', 'with --listen, e.g. 127.0.0.1:0 (0 picks a free one)') ??
      error
    );
  }
  const to = recorder.forward ? `forwarding to ${recorder.forward}` : `answering itself (--respond ${flags.respond})`;
  process.stdout.write(`gb-coupon record listening on ${recorder.url}, ${to}\n`);
  for (const note of recorder.notes) process.stdout.write(`  note: ${note}\n`);
  process.stdout.write(`  recording to ${flags.cassette}; point Gameball's coupon URL here; Ctrl-C stops\n`);
  stopOnSignals(recorder);
}

/** The first Ctrl-C (or SIGTERM) closes the cassette cleanly and exits 0; a second one exits at once. */
function stopOnSignals(recorder: RunningRecorder): void {
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(1);
    stopping = true;
    recorder.stop().then(
      () => {
        const count = recorder.recorded();
        process.stdout.write(`Recorded ${count} deliver${count === 1 ? 'y' : 'ies'} to ${recorder.cassette}.\n`);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`gb-coupon record: closing the cassette failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** `#3 16:20:01 POST /coupons -> 200 12.3 ms accepted GB10-…`: what came and the verdict, escaped. */
export function deliveryLine(record: ExchangeRecord, color: boolean): string {
  const c = pc.createColors(color);
  const { request, response, verdict } = record;
  const time = record.time.slice(11, 19);
  const what = `${replaceControlCharacters(request.method)} ${oneLineExcerpt(request.url, 80)}`;
  const answer = response
    ? `${response.status}${response.from === 'recorder' ? ' (recorder)' : ''}`
    : `no answer (${oneLineExcerpt(record.error ?? '', 80)})`;
  const verdictText = verdict.accepted
    ? c.green(`accepted ${oneLineExcerpt(verdict.code ?? '', 60)}`)
    : c.red(`${verdict.kind}: ${oneLineExcerpt(verdict.detail, 160)}`);
  return `${c.dim(`#${record.seq}`)} ${time} ${what} -> ${answer} ${c.dim(`${record.latencyMs.toFixed(1)} ms`)} ${verdictText}`;
}

function forwardUrl(text: string): URL {
  // Quoted back without its user-info: that is a credential, even in a mistyped URL.
  const quoted = JSON.stringify(text.replace(/\/\/[^/?#\s]*@/, `//${redactedMark}@`));
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--forward takes your endpoint's URL, such as http://127.0.0.1:3000/coupons; got ${quoted}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--forward takes an http or https URL; got ${quoted}.`);
  }
  return url;
}

/** `127.0.0.1:4020`, `[::1]:4020`, `:4020` or `4020` (loopback). */
function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(\d+)$/.exec(text.trim());
  if (!match) {
    throw new UsageError(
      `--listen takes HOST:PORT, such as 127.0.0.1:4020 or 0.0.0.0:4020 (port 0 picks a free one); got "${text}".`,
    );
  }
  const host = (match[1] || '127.0.0.1').replace(/^\[|\]$/g, '');
  return { host, port: wholeNumber('--listen port', 0, 65535)(match[2]!) };
}
