// The payload template behind the recorded bodies: the first body, with each field that a
// placeholder fills (name-fields.ts) written as that placeholder, in quotes where the body has a
// string ("{{code}}"), alone where it has another value ({{value}}). Bodies that all fit one of the
// templates the kit ships (default, merchant-code, extended) give that template. The result is
// checked against every body it came from.

import { parsePointer, valueAt } from '../../openapi/json-pointer.ts';
import { shippedTemplates } from '../config/default-configuration.ts';
import { compileTemplate } from '../render/fill-template.ts';
import { templateMatcher } from '../render/match-template.ts';
import { placeholderPointers } from '../render/placeholder-pointers.ts';
import { alignFields, replaceLeaves } from './body-fields.ts';
import type { DeliveryView } from './delivery-view.ts';
import { type Confidence, type FieldMeaning, nameFields } from './name-fields.ts';

export interface InferredPayload {
  /** The template; undefined when the bodies are not JSON. */
  payload?: string;
  confidence: Confidence;
  note: string;
  /** Each field of the bodies and what fills it. */
  fields: FieldMeaning[];
  /** The placeholders the template uses, in order of first use. */
  placeholders: string[];
}

export function inferPayload(views: readonly DeliveryView[]): InferredPayload {
  const withBody = views.filter((view) => view.text !== undefined && view.text !== '');
  if (withBody.length === 0) {
    return {
      confidence: 'low',
      note: 'no delivery has a body (GET deliveries carry their fields in the query)',
      fields: [],
      placeholders: [],
    };
  }
  const notJson = withBody.filter((view) => view.document === undefined);
  if (notJson.length > 0) {
    const note = `${notJson.length} of ${withBody.length} bodies are not JSON (e.g. #${notJson[0]!.seq}); the kit models JSON deliveries only`;
    return { confidence: 'low', note, fields: [], placeholders: [] };
  }
  const documents = withBody.map((view) => view.document);
  for (const [name, template] of Object.entries(shippedTemplates)) {
    const fits = templateMatcher(template);
    if (documents.every((document) => 'values' in fits(document)))
      return shippedTemplatePayload(name, template, documents.length);
  }
  const fields = nameFields(
    alignFields(documents),
    withBody.map((view) => view.answerCode),
  );
  const { payload, whitespace } = templateText(withBody[0]!, fields);
  const matcher = templateMatcher(payload);
  const misfits = documents.filter((document) => !('values' in matcher(document))).length;
  const placeholders = [...new Set(compileTemplate(payload).placeholders.map((p) => p.name))];
  const confidence: Confidence = misfits > 0 ? 'low' : fields.some((f) => f.confidence === 'low') ? 'medium' : 'high';
  const note =
    misfits > 0
      ? `${misfits} of ${documents.length} bodies do not fit it: some fields change in ways no placeholder explains`
      : `every one of the ${documents.length} bodies is this template filled in${whitespace ? '' : " (the first body's whitespace was not kept)"}`;
  return { payload, confidence, note, fields, placeholders };
}

/** One of the templates the kit ships (default, merchant-code, extended), which every body fits. */
function shippedTemplatePayload(name: string, template: string, count: number): InferredPayload {
  const placeholders = [...new Set(compileTemplate(template).placeholders.map((p) => p.name))];
  // Where the template puts each placeholder: {{discount_type}} fills /couponType.
  const pointers = placeholderPointers(template);
  return {
    payload: template,
    confidence: 'high',
    note: `every one of the ${count} bodies fits the kit's ${name} template`,
    fields: placeholders.map((placeholder) => ({
      pointer: pointers.get(placeholder)?.[0] ?? `/${placeholder}`,
      placeholder,
      confidence: 'high',
      note: `the kit's ${name} template`,
    })),
    placeholders,
  };
}

/** The first body with its placeholders written in, in its own indentation when it has one. */
function templateText(first: DeliveryView, fields: readonly FieldMeaning[]): { payload: string; whitespace: boolean } {
  const document = first.document;
  const replacements = new Map<string, unknown>();
  // Fields filled by one placeholder always agree, so they share a type: its first field's decides.
  const quoted = new Map<string, boolean>();
  for (const { placeholder, pointer } of fields) {
    if (placeholder === undefined) continue;
    replacements.set(pointer, `\u0000${placeholder}\u0000`);
    if (!quoted.has(placeholder)) quoted.set(placeholder, typeof valueAt(document, parsePointer(pointer)) === 'string');
  }
  const indent = indentationOf(first.text!, document);
  const text = JSON.stringify(replaceLeaves(document, replacements), null, indent);
  // A string becomes "{{name}}" (Gameball fills it inside the quotes); any other value {{name}} alone.
  const payload = text.replace(/"\\u0000([A-Za-z_]\w*)\\u0000"/g, (_whole, name: string) =>
    quoted.get(name) ? `"{{${name}}}"` : `{{${name}}}`,
  );
  return { payload, whitespace: indent !== undefined };
}

/** The indentation the body was written with (0: compact), or undefined when it is none of the usual ones. */
function indentationOf(text: string, document: unknown): number | string | undefined {
  const trimmed = text.trim();
  for (const indent of [0, 2, 4, '\t']) {
    if (JSON.stringify(document, null, indent) === trimmed) return indent;
  }
  return undefined;
}
