// The one validation path of the stand-in: every request for an operation of a document, whether
// state or an example answers it, has its query and its body checked here against the document
// first, and each problem refused with the code of Gameball's error catalogue:
//   a required field or parameter missing      3000 Missing arguments (400)
//   a field that is null                       3001 Null arguments (422)
//   a body that is not JSON, of the wrong type, or with a property the schema does not know
//                                              3016 Invalid payload (400)
//   a value out of its range, format or list   3003 Invalid value (422)
// So the same bad request gets the same answer on every operation.
import {
  type ContractName,
  contractDocument,
  describeErrors,
  type ErrorObject,
  problemLines,
  requestBodyValidator,
  validatorAt,
} from '../openapi/contract.ts';
import { resolveRef, valueAt } from '../openapi/json-pointer.ts';
import { invalidPayload, invalidValue, missingArguments, nullArguments } from './errors.ts';

const payloadKeywords = new Set(['type', 'additionalProperties', 'unevaluatedProperties']);

export function validBody(document: ContractName, method: string, template: string, text: string): unknown {
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw invalidPayload(`the body is not JSON (${(error as Error).message}).`);
    }
  }
  const validate = requestBodyValidator(document, method, template);
  if (validate(body)) return body;
  throw refusal(validate.errors ?? []);
}

/** The catalogue's refusal for ajv's errors, the gravest kind first. */
function refusal(errors: readonly ErrorObject[]): Error {
  const missing = errors.filter((e) => e.keyword === 'required');
  if (missing.length > 0) {
    // A field required by a condition's `then` is named with the fields whose absence requires it.
    const alternatives = alternativesOf(errors);
    const fields = missing.map((e) => {
      const [field] = describeErrors([e]).map((p) => p.field);
      return e.schemaPath.includes('/then/') ? `${field}${alternatives}` : field!;
    });
    return missingArguments([...new Set(fields)]);
  }
  const nulls = errors.filter((e) => e.keyword === 'type' && e.data === null);
  if (nulls.length > 0) return nullArguments(describeErrors(nulls).map((p) => p.field || 'the body'));
  const payload = errors.filter((e) => payloadKeywords.has(e.keyword));
  if (payload.length > 0) return invalidPayload(`${problemLines(describeErrors(payload), 'the body').join('; ')}.`);
  return invalidValue(`Invalid value: ${problemLines(describeErrors(errors), 'the body').join('; ')}.`);
}

/**
 * When a field is required only because others are absent (a schema's `if`/`then`, as in
 * RedeemRequest: holdReference unless amount or points; BurnCouponsRequest: lockReference unless
 * coupons), the message names the others too.
 */
function alternativesOf(errors: readonly ErrorObject[]): string {
  const condition = errors.find((e) => e.keyword === 'if')?.parentSchema as
    | { if?: { not?: { required?: string[]; anyOf?: { required?: string[] }[] } } }
    | undefined;
  const absent = condition?.if?.not;
  const others = [absent ?? {}, ...(absent?.anyOf ?? [])].flatMap((branch) => branch.required ?? []);
  if (others.length === 0) return '';
  if (others.length === 1) return ` (required without ${others[0]})`;
  return ` (required when none of ${others.join(', ')} is given)`;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: unknown;
}

/**
 * The query's required parameters present (3000), and each parameter given checked against its
 * schema in the document (3003): its type (a number, a whole number, true or false), its range, its
 * list of values, its format. A query parameter arrives as text, so it is read as its schema's type first.
 */
export function checkQuery(document: ContractName, method: string, template: string, query: URLSearchParams): void {
  const root = ['paths', template, method.toLowerCase(), 'parameters'];
  const parameters = (valueAt(contractDocument(document), root) ?? []) as Parameter[];
  const inQuery = parameters.flatMap((parameter, index) => (parameter.in === 'query' ? [{ parameter, index }] : []));
  const missing = inQuery
    .filter(({ parameter: p }) => p.required && !query.has(p.name))
    .map(({ parameter: p }) => p.name);
  if (missing.length > 0) throw missingArguments(missing);
  for (const { parameter, index } of inQuery) {
    const text = query.get(parameter.name);
    if (text === null) continue;
    const validate = validatorAt(document, [...root, String(index), 'schema']);
    if (validate(queryValue(text, resolveRef(contractDocument(document), parameter.schema)))) continue;
    const problems = describeErrors(validate.errors).map((p) => p.message);
    throw invalidValue(`Invalid value for ${parameter.name}: "${text}" ${problems.join('; ')}.`);
  }
}

/** The text of a query parameter as the type its schema declares; text that is not one stays text, and fails. */
function queryValue(text: string, schema: unknown): unknown {
  const type = (schema as { type?: unknown } | undefined)?.type;
  if ((type === 'integer' || type === 'number') && /^\s*-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\s*$/.test(text)) {
    return Number(text);
  }
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
