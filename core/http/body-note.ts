// What a person must know about an answer's body beyond its text: that only its beginning was kept
// and how large it was, and that it is not valid UTF-8; and an answer named in one phrase with an
// excerpt of its body. Shared by the judge, check messages, every report and `gb-coupon trigger`
// so they say it in the same words.
import { oneLineExcerpt } from '../report/untrusted-text.ts';

export interface BodyFacts {
  bodyBytes?: number;
  truncated?: boolean;
  abandoned?: boolean;
  invalidUtf8?: boolean;
}

/** `body truncated: 100 MiB in all`, `not valid UTF-8`, both, or undefined for an ordinary body. */
export function bodyNote(facts: BodyFacts): string | undefined {
  const notes: string[] = [];
  if (facts.truncated && facts.bodyBytes !== undefined) {
    notes.push(
      facts.abandoned
        ? `body truncated: more than ${formatBytes(facts.bodyBytes, Math.floor)}, the connection was dropped`
        : `body truncated: ${formatBytes(facts.bodyBytes)} in all`,
    );
  }
  if (facts.invalidUtf8) notes.push('body not valid UTF-8');
  return notes.length > 0 ? notes.join('; ') : undefined;
}

/** An answer as messages name it. */
export interface ShownAnswer extends BodyFacts {
  status: number;
  body: string;
}

/** `answered 500 with {"error":"boom"}`: the status, a one-line excerpt of the body and its bodyNote. */
export function describeResponse(response: ShownAnswer): string {
  // The endpoint's text, quoted in messages that reach terminals: controls and bidi overrides shown, never obeyed.
  const excerpt = oneLineExcerpt(response.body, 161);
  const note = bodyNote(response);
  return `answered ${response.status}${excerpt ? ` with ${excerpt}` : ' with an empty body'}${note ? ` (${note})` : ''}`;
}

/** `answered 500 with …`, `got no answer (timed out)` or `got an incomplete answer (…)`; an Exchange fits. */
export function describeAnswer(answer: { response?: ShownAnswer; error?: string; partial?: unknown }): string {
  if (!answer.response) return `got ${answer.partial ? 'an incomplete answer' : 'no answer'} (${answer.error})`;
  return describeResponse(answer.response);
}

/** `0 bytes`, `512 bytes`, `64 KiB`, `1.5 MiB`, `100 MiB`; `round` Math.floor for a lower bound. */
export function formatBytes(bytes: number, round: (n: number) => number = Math.round): string {
  const units = ['KiB', 'MiB', 'GiB'];
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const scale = value < 10 ? 10 : 1;
  return `${round(value * scale) / scale} ${units[unit]}`;
}
