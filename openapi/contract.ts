// The one place that turns the contract into validators. The bundled documents are read once,
// each into its own Ajv 2020 instance (OpenAPI 3.1 schemas are JSON Schema 2020-12), and every
// validator is compiled at most once and cached: the server and the harness both validate through here.
// A validator lists every problem by default; `{ allErrors: false }` gives the same schema compiled
// to stop at the first problem (a second Ajv instance per document, made only when asked for).
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { components } from './generated/merchant.ts';
import { escapeSegment, refSegments, valueAt } from './json-pointer.ts';

export type { ErrorObject, ValidateFunction };

/** The contract's documents, by the name of their YAML file in openapi/. */
export const contractDocuments = ['gameball', 'merchant', 'gameball-mock-control'] as const;
export type ContractName = (typeof contractDocuments)[number];

/** One offending field of an input, as the contract names it (the merchant's error `details`, a ConfigError's problems). */
export type FieldProblem = components['schemas']['FieldProblem'];

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface LoadedContract {
  ajv: Ajv2020;
  document: OpenApiDocument;
  validators: Map<string, ValidateFunction<unknown>>;
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, unknown>>;
  webhooks?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
  [key: string]: unknown;
}

/** How a validator reports: every problem (the default) or only the first. */
export interface ValidatorOptions {
  allErrors?: boolean;
}

const loaded = new Map<string, LoadedContract>();
const documents = new Map<ContractName, OpenApiDocument>();

function readDocument(name: ContractName): OpenApiDocument {
  let document = documents.get(name);
  if (!document) {
    const url = new URL(`./generated/${name}.bundled.json`, import.meta.url);
    document = JSON.parse(readFileSync(url, 'utf8')) as OpenApiDocument;
    documents.set(name, document);
  }
  return document;
}

function load(name: ContractName, allErrors = true): LoadedContract {
  const key = `${name}\u0000${allErrors}`;
  let contract = loaded.get(key);
  if (contract) return contract;
  const document = readDocument(name);
  // strict: false because OpenAPI adds annotation keywords (example, discriminator) that ajv does
  // not know; but strictNumbers back on, or 1e400 (Infinity after JSON.parse) passes as a number.
  // allErrors so that a 422 can name every offending field at once (off where only the first
  // problem is wanted: listing them all can cost far more than the answer is worth); verbose so that
  // a message can look at the offending value.
  const ajv = new Ajv2020({
    strict: false,
    strictNumbers: true,
    allErrors,
    verbose: true,
    validateSchema: false,
  });
  addFormats(ajv);
  ajv.addSchema(document as object, baseId(name));
  contract = { ajv, document, validators: new Map() };
  loaded.set(key, contract);
  return contract;
}

function baseId(name: ContractName): string {
  return `https://gameball-coupon-kit.local/${name}.json`;
}

/** A JSON pointer as a URI fragment ajv can resolve (braces in paths must be percent-encoded). */
function fragment(segments: string[]): string {
  return `#/${segments.map((s) => encodeURIComponent(escapeSegment(s))).join('/')}`;
}

/**
 * The validator of the schema at a JSON pointer (as segments) in a bundled document. `T` is the
 * generated type of that schema, so a value that passes is typed without a cast.
 */
export function validatorAt<T = unknown>(
  name: ContractName,
  segments: string[],
  options: ValidatorOptions = {},
): ValidateFunction<T> {
  const contract = load(name, options.allErrors ?? true);
  const key = segments.join('\u0000');
  let validate = contract.validators.get(key);
  if (!validate) {
    const target = valueAt(contract.document, segments);
    if (target === undefined) {
      throw new Error(`The ${name} contract has nothing at ${fragment(segments)}`);
    }
    const found = contract.ajv.getSchema(baseId(name) + fragment(segments));
    if (!found) throw new Error(`The ${name} contract's schema at ${fragment(segments)} does not compile`);
    validate = found;
    contract.validators.set(key, validate);
  }
  return validate as ValidateFunction<T>;
}

/** The validator of a named schema under components/schemas. */
export function schemaValidator<T = unknown>(name: ContractName, schema: string): ValidateFunction<T> {
  return validatorAt<T>(name, ['components', 'schemas', schema]);
}

/** The validator of an operation's JSON request body (`path` as written in the document, or a webhook name). */
export function requestBodyValidator<T = unknown>(
  name: ContractName,
  method: string,
  path: string,
  options: ValidatorOptions = {},
): ValidateFunction<T> {
  return validatorAt<T>(
    name,
    [...operationRoot(name, path), method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema'],
    options,
  );
}

/** The validator of an operation's JSON response body for a status (e.g. '200'). */
export function responseBodyValidator<T = unknown>(
  name: ContractName,
  method: string,
  path: string,
  status: string,
): ValidateFunction<T> {
  const root = [...operationRoot(name, path), method.toLowerCase(), 'responses', status];
  const response = valueAt(readDocument(name), root) as { $ref?: string } | undefined;
  // Responses shared under components/responses are referenced, not inlined, in the bundle.
  const segments = response?.$ref ? refSegments(response.$ref) : root;
  return validatorAt<T>(name, [...segments, 'content', 'application/json', 'schema']);
}

function operationRoot(name: ContractName, path: string): string[] {
  const document = readDocument(name);
  if (document.paths?.[path]) return ['paths', path];
  if (document.webhooks?.[path]) return ['webhooks', path];
  throw new Error(`The ${name} contract has no path or webhook ${path}`);
}

/** The whole bundled document, for tools that walk it (examples, the mock). */
export function contractDocument(name: ContractName): OpenApiDocument {
  return readDocument(name);
}

/**
 * ajv's errors as one entry per offending field, named the way a person reads them
 * (`playerUniqueId`, `entitledProductIds/0`); `if` errors are dropped because the branch that
 * failed (`then`) reports the real problem.
 */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    if (error.keyword === 'if') continue;
    let field = error.instancePath.replace(/^\//, '');
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      field = field ? `${field}/${missing}` : missing;
    }
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'type' && typeof error.data === 'number' && !Number.isFinite(error.data)) {
      message = 'must be a finite number (it is too large to represent)';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    } else if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      field = field ? `${field}/${extra}` : extra;
      message = 'is not a known property';
    } else if (error.keyword === 'required') {
      message = 'is required';
    }
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ field, message });
  }
  return problems;
}

/**
 * Each problem as a person reads it, `field message` (`code must be string`); `whole` names the
 * document itself when the problem is about it as a whole (an empty field).
 */
export function problemLines(problems: readonly FieldProblem[], whole = '(body)'): string[] {
  return problems.map((p) => `${p.field || whole} ${p.message}`);
}
