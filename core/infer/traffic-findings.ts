// What the recorded traffic says about the questions Gameball's documents leave open (the facts
// file, section 3): whether Gameball sends a code or expects the merchant to make one, which
// placeholder names the template uses, whether deliveries are signed, and whether the same
// delivery arrives more than once (retries) and how far apart.
import { parsePointer, valueAt } from '../../openapi/json-pointer.ts';
import type { DeliveryView } from './delivery-view.ts';
import { isSignatureHeader } from './infer-request.ts';
import { documentedPlaceholders, type FieldMeaning, kitOwnPlaceholders } from './name-fields.ts';

export interface TrafficFindings {
  deliveries: number;
  /** First and last delivery, ISO times. */
  period: { from: string; to: string };
  codeSent: { answer: 'yes' | 'no' | 'unknown'; evidence: string };
  placeholders: { documented: string[]; kitOwn: string[] };
  signature: { present: boolean; evidence: string };
  retries: { repeated: number; evidence: string[] };
  userAgents: string[];
}

export function trafficFindings(
  views: readonly DeliveryView[],
  fields: readonly FieldMeaning[],
  placeholders: readonly string[],
): TrafficFindings {
  const times = views.map((view) => view.at);
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    deliveries: views.length,
    period: { from: iso(Math.min(...times)), to: iso(Math.max(...times)) },
    codeSent: codeSent(views, fields),
    placeholders: {
      documented: placeholders.filter((name) => documentedPlaceholders.includes(name)),
      kitOwn: placeholders.filter((name) => kitOwnPlaceholders.includes(name)),
    },
    signature: signature(views),
    retries: retries(views, fields),
    userAgents: [...new Set(views.map((view) => view.headers.get('user-agent')?.value ?? '(none)'))],
  };
}

function codeSent(views: readonly DeliveryView[], fields: readonly FieldMeaning[]): TrafficFindings['codeSent'] {
  const code = fields.find((field) => field.placeholder === 'code');
  if (code) return { answer: 'yes', evidence: `${code.pointer} carries it: ${code.note}` };
  const answered = views.filter((view) => view.answerCode !== undefined);
  const unseen = answered.filter((view) => view.text !== undefined && !view.text.includes(view.answerCode!));
  if (unseen.length > 0) {
    return {
      answer: 'no',
      evidence: `no field carries a code, and ${unseen.length} of ${answered.length} answers carry a code the delivery did not (e.g. ${unseen[0]!.answerCode} for #${unseen[0]!.seq}): the merchant makes the code`,
    };
  }
  return {
    answer: 'unknown',
    evidence: 'no field is named or shaped like a code, and no endpoint answered with one to compare against',
  };
}

function signature(views: readonly DeliveryView[]): TrafficFindings['signature'] {
  const names = new Map<string, number>();
  for (const view of views) {
    for (const { name } of view.headers.values()) {
      if (isSignatureHeader(name) || /^x-gb-/i.test(name)) names.set(name, (names.get(name) ?? 0) + 1);
    }
  }
  if (names.size === 0)
    return { present: false, evidence: `no delivery of ${views.length} carries a signature header` };
  const seen = [...names].map(([name, count]) => `${name} in ${count} of ${views.length}`);
  const version = views.map((view) => view.headers.get('x-gb-webhook-version')?.value).find(Boolean);
  return { present: true, evidence: `${seen.join(', ')}${version ? ` (X-GB-Webhook-Version ${version})` : ''}` };
}

function retries(views: readonly DeliveryView[], fields: readonly FieldMeaning[]): TrafficFindings['retries'] {
  const code = fields.find((field) => field.placeholder === 'code');
  const keyOf = (view: DeliveryView): string =>
    code
      ? String(valueAt(view.document, parsePointer(code.pointer)))
      : `${view.method} ${view.path} ${view.text ?? ''}`;
  const groups = new Map<string, DeliveryView[]>();
  for (const view of views) groups.set(keyOf(view), [...(groups.get(keyOf(view)) ?? []), view]);
  const repeated = [...groups.entries()].filter(([, group]) => group.length > 1);
  const evidence = repeated.slice(0, 10).map(([key, group]) => {
    const sorted = [...group].sort((a, b) => a.at - b.at);
    const gaps = sorted.slice(1).map((view, i) => `+${seconds(view.at - sorted[i]!.at)}`);
    const what = code ? `code ${key}` : `#${sorted[0]!.seq}'s body`;
    return `${what} arrived ${group.length} times (#${sorted.map((v) => v.seq).join(', #')}), ${gaps.join(', ')} apart`;
  });
  return { repeated: repeated.length, evidence };
}

function seconds(ms: number): string {
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
}
