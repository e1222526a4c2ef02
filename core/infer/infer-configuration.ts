// `gb-coupon config infer`: the coupon configuration that produced a cassette's deliveries, each
// field with how sure the inference is and why, and what the traffic says about the questions
// Gameball's documents leave open. The result is a configuration `config push` and `verify
// --config` take as it is (once redacted credentials are put back).

import { parsePointer, valueAt } from '../../openapi/json-pointer.ts';
import type { ExchangeRecord } from '../cassette/cassette-format.ts';
import type { CouponConfiguration, CouponMapping, GameballCouponKind } from '../config/coupon-configuration.ts';
import { defaultCouponMapping } from '../config/default-configuration.ts';
import { UsageError } from '../errors.ts';
import { type DeliveryView, deliveryView } from './delivery-view.ts';
import { inferPayload } from './infer-payload.ts';
import { type InferredField, inferRequest } from './infer-request.ts';
import { type TrafficFindings, trafficFindings } from './traffic-findings.ts';

export interface InferredConfiguration {
  configuration: CouponConfiguration;
  /** Each field (and each field of the payload), with a confidence and why. */
  fields: InferredField[];
  findings: TrafficFindings;
}

/** Throws UsageError when the cassette holds no delivery to infer from. */
export function inferConfiguration(exchanges: readonly ExchangeRecord[]): InferredConfiguration {
  // A delivery the recorder refused (too large) says nothing about the configuration.
  const deliveries = exchanges.filter((e) => !(e.response?.from === 'recorder' && e.response.status === 413));
  if (deliveries.length === 0) {
    throw new UsageError(
      'The cassette holds no delivery to infer a configuration from; record some with gb-coupon record.',
    );
  }
  const views = deliveries.map(deliveryView);
  const request = inferRequest(views);
  const payload = inferPayload(views);
  const fields: InferredField[] = [
    ...request.fields,
    { field: 'payload', confidence: payload.confidence, note: payload.note },
  ];
  for (const field of payload.fields) {
    const fills = field.placeholder ? `{{${field.placeholder}}}: ` : 'constant: ';
    fields.push({ field: `payload ${field.pointer}`, confidence: field.confidence, note: `${fills}${field.note}` });
  }
  const typePointer = payload.fields.find(
    (f) => f.placeholder === 'discount_type' || f.placeholder === 'couponType',
  )?.pointer;
  const mapping = typePointer === undefined ? undefined : inferMapping(views, typePointer);
  if (mapping) fields.push(mapping.field);
  const configuration: CouponConfiguration = {
    url: request.url,
    method: request.method,
    ...(request.queryParams.length > 0 ? { queryParams: request.queryParams } : {}),
    headers: request.headers,
    ...(payload.payload !== undefined ? { payload: payload.payload } : {}),
    ...(mapping?.mapping ? { couponMapping: mapping.mapping } : {}),
  };
  fields.push({
    field: 'enable*, platforms',
    confidence: 'low',
    note: 'not in the traffic: the enable flags and platforms are left out (every coupon type counts as enabled)',
  });
  return { configuration, fields, findings: trafficFindings(views, payload.fields, payload.placeholders) };
}

const kindWords: [GameballCouponKind, RegExp][] = [
  ['percentage', /percent|pct/i],
  ['fixed', /fixed|amount|flat/i],
  ['freeShipping', /ship|deliver/i],
  ['freeProduct', /product|item|gift/i],
];

/** The couponMapping the type names seen suggest: the kit's default when they are its names, else by their words. */
function inferMapping(
  views: readonly DeliveryView[],
  pointer: string,
): { mapping?: CouponMapping; field: InferredField } | undefined {
  const seen = [
    ...new Set(views.map((view) => valueAt(view.document, parsePointer(pointer))).filter((v) => typeof v === 'string')),
  ] as string[];
  if (seen.length === 0) return undefined;
  const defaults = Object.values(defaultCouponMapping);
  if (seen.every((name) => defaults.includes(name))) {
    const note = `the type names seen (${seen.join(', ')}) are the kit's default names; the kinds not seen are assumed to follow them`;
    return { mapping: { ...defaultCouponMapping }, field: { field: 'couponMapping', confidence: 'medium', note } };
  }
  const mapping: CouponMapping = {};
  for (const name of seen) {
    const kind = kindWords.find(([k, words]) => words.test(name) && mapping[k] === undefined)?.[0];
    if (kind) mapping[kind] = name;
  }
  const guessed = Object.entries(mapping).map(([kind, name]) => `${kind} -> ${name}`);
  const note = guessed.length
    ? `guessed from the words of the names seen (${guessed.join(', ')}); check it against your own type names`
    : `the type names seen (${seen.join(', ')}) say nothing about which Gameball type they stand for; set couponMapping yourself`;
  return {
    ...(guessed.length > 0 ? { mapping } : {}),
    field: { field: 'couponMapping', confidence: 'low', note },
  };
}
