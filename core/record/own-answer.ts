// `record --respond`: the recorder answers deliveries itself, for the day Gameball is configured
// before the endpoint exists. `default` answers 200 {"couponCode": …} with the code the delivery
// carried (or a new one, when it carried none: the merchant makes the code); a file gives the body
// to answer with, `{{code}}` in it standing for that code.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.ts';
import { parseJson } from '../parse-json.ts';
import { drawCode } from '../scenarios/scenarios.ts';
import type { Answer } from './forward-delivery.ts';

export type Respond = { kind: 'default' } | { kind: 'file'; file: string; text: string };

/** `default`, or the file read now (a missing file is a usage error before anything listens). */
export async function loadRespond(spec: string): Promise<Respond> {
  if (spec === 'default') return { kind: 'default' };
  try {
    return { kind: 'file', file: spec, text: await readFile(spec, 'utf8') };
  } catch (error) {
    throw new UsageError(
      `--respond takes "default" or a file holding the answer's body; cannot read ${spec}: ${(error as Error).message}.`,
    );
  }
}

export function ownAnswer(respond: Respond, sentCode: string | undefined): Answer {
  const code = sentCode ?? drawCode(Math.random, 'REC');
  const text =
    respond.kind === 'default'
      ? JSON.stringify({ couponCode: code })
      : respond.text.replaceAll('{{code}}', JSON.stringify(code).slice(1, -1));
  const body = Buffer.from(text);
  const json = parseJson(text) !== undefined;
  return {
    status: 200,
    headers: { 'content-type': json ? 'application/json' : 'text/plain; charset=utf-8' },
    body,
    bodyBytes: body.length,
  };
}
