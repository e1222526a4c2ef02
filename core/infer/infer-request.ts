// The request around the payload: the method, the URL, and the headers and query parameters the
// merchant configured. A header counts as configured when every delivery carries it with the same
// value and neither the transport nor a signature explains it; values the recorder redacted stay
// redacted, and the note says to put the real ones back.

import { isTransportHeader } from '../record/redact-received.ts';
import { redactedMark } from '../redact/redact-credentials.ts';
import { type DeliveryView, mostCommon } from './delivery-view.ts';
import type { Confidence } from './name-fields.ts';

export interface InferredField {
  field: string;
  confidence: Confidence;
  note: string;
}

export interface InferredRequest {
  method: 'POST' | 'PUT' | 'GET';
  url: string;
  headers: { key: string; value: string }[];
  queryParams: { key: string; value: string }[];
  fields: InferredField[];
}

/** Headers that sign the body rather than configure the call (Gameball's webhooks send X-GB-Signature). */
export const isSignatureHeader = (name: string): boolean => /signature|hmac/i.test(name);

export function inferRequest(views: readonly DeliveryView[]): InferredRequest {
  const fields: InferredField[] = [];
  const method = mostCommon(views.map((view) => view.method));
  const known = ['POST', 'PUT', 'GET'].includes(method.value);
  fields.push({
    field: 'method',
    confidence: method.count === views.length && known ? 'high' : 'low',
    note:
      method.count === views.length
        ? `${method.value} in every delivery${known ? '' : " (not one Gameball's configuration offers)"}`
        : `${method.value} in ${method.count} of ${views.length} deliveries`,
  });
  const query = configuredQuery(views, fields);
  const url = endpointUrl(views, query, fields);
  const headers = configuredHeaders(views, fields);
  return {
    method: (known ? method.value : 'POST') as InferredRequest['method'],
    url,
    headers,
    queryParams: query,
    fields,
  };
}

function endpointUrl(
  views: readonly DeliveryView[],
  query: readonly { key: string }[],
  fields: InferredField[],
): string {
  const forwarded = views.filter((view) => view.endpoint !== undefined);
  const urls = (forwarded.length > 0 ? forwarded : views).map((view) => {
    const url = new URL(view.endpoint ?? `http://${view.headers.get('host')?.value ?? 'localhost'}${view.path}`);
    for (const { key } of query) url.searchParams.delete(key);
    return url.toString();
  });
  const url = mostCommon(urls);
  const note =
    forwarded.length > 0
      ? `the endpoint the deliveries went to${url.count < urls.length ? ` (${url.count} of ${urls.length})` : ''}: what verify --config tests; for config push, give the public URL Gameball should call`
      : 'no endpoint was recorded (the recorder answered itself): this is where Gameball called the recorder; put your endpoint here';
  fields.push({ field: 'url', confidence: forwarded.length > 0 && url.count === urls.length ? 'high' : 'low', note });
  return url.value;
}

function configuredQuery(views: readonly DeliveryView[], fields: InferredField[]): { key: string; value: string }[] {
  const keys = [...new Set(views.flatMap((view) => view.query.map(([key]) => key)))];
  const configured: { key: string; value: string }[] = [];
  for (const key of keys) {
    const values = views.map((view) => view.query.find(([k]) => k === key)?.[1]);
    const same = values.every((value) => value !== undefined && value === values[0]);
    if (same) configured.push({ key, value: values[0]! });
    fields.push(entryNote(`queryParams ${key}`, same, values));
  }
  return configured;
}

function configuredHeaders(views: readonly DeliveryView[], fields: InferredField[]): { key: string; value: string }[] {
  const names = [...new Set(views.flatMap((view) => [...view.headers.keys()]))];
  const configured: { key: string; value: string }[] = [];
  for (const lower of names) {
    if (isTransportHeader(lower) || isSignatureHeader(lower)) continue;
    const entries = views.map((view) => view.headers.get(lower));
    const name = entries.find((entry) => entry !== undefined)!.name;
    const same = entries.every((entry) => entry !== undefined && entry.value === entries[0]?.value);
    if (same) configured.push({ key: name, value: entries[0]!.value });
    fields.push(
      entryNote(
        `headers ${name}`,
        same,
        entries.map((entry) => entry?.value),
      ),
    );
  }
  return configured;
}

function entryNote(field: string, same: boolean, values: readonly (string | undefined)[]): InferredField {
  const present = values.filter((value) => value !== undefined).length;
  if (!same) {
    const why =
      present < values.length
        ? `in ${present} of ${values.length} deliveries`
        : 'with a different value in some deliveries';
    return { field, confidence: 'medium', note: `not configured: it arrives ${why} (Gameball's own, or a proxy's)` };
  }
  if (values[0]!.includes(redactedMark)) {
    return {
      field,
      confidence: 'high',
      note: `in every delivery; its value was redacted when recording: replace ${redactedMark} with yours`,
    };
  }
  return { field, confidence: 'high', note: 'in every delivery, always the same value' };
}
