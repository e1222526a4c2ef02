// Answers one request whose target was read once (request-target.ts): the control plane (its
// access checked before its body is read), the stand-in's own operations (keys checked, the body
// bounded and validated against the document first), or Prism for the rest of Gameball's API.
// Refusals throw Gameball's error.
import type { IncomingMessage } from 'node:http';
import { parseJson } from '../core/parse-json.ts';
import {
  type ContractName,
  contractDocument,
  describeErrors,
  problemLines,
  requestBodyValidator,
} from '../openapi/contract.ts';
import { checkConfigurationBounds, checkJsonDepth, checkJsonValues } from './body-bounds.ts';
import type { MockContext } from './context.ts';
import { GameballError, invalidPayload, missingArguments } from './errors.ts';
import { checkControlAccess, type Exposure } from './exposure.ts';
import { readBody } from './http-io.ts';
import { checkKeys, checkPresentedKeys } from './keys.ts';
import type { PrismEngine } from './prism-engine.ts';
import type { PathTemplate, RequestTarget } from './request-target.ts';
import { controlRoutes } from './routes/control-routes.ts';
import { gameballRoutes } from './routes/gameball-routes.ts';
import { createMatcher, type Route } from './routes/route.ts';

export interface RoutedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Operation {
  /** The security requirements of the operation: alternatives of scheme names. */
  security: string[][];
  hasBody: boolean;
}

/** Bounds of particular operations, beyond those of every body (body-bounds.ts). */
const operationBounds: Record<string, (text: string, body: unknown) => void> = {
  'PUT /api/v4.0/integrations/configurations/coupon': checkConfigurationBounds,
};

export function createRouter(
  context: MockContext,
  prism: () => Promise<PrismEngine>,
  exposure: Exposure,
): (request: IncomingMessage, method: string, target: RequestTarget) => Promise<RoutedAnswer> {
  const gameball = createMatcher(gameballRoutes);
  const control = createMatcher(controlRoutes);
  const operations = operationsOf('gameball');
  const controlOperations = operationsOf('gameball-mock-control');
  return async (request, method, target) => {
    const { isControl, path, query } = target;
    if (isControl) checkControlAccess(request.headers, exposure);
    const match = isControl ? control(method, path) : gameball(method, path);
    if (isControl && !match) throw new GameballError(404, 4004, 'NotFound', `No control operation ${method} ${path}.`);
    const text = await readBody(request);
    if (text.trim() !== '') checkJsonDepth(text);
    if (!match || (!isControl && request.headers.prefer)) {
      checkPresentedKeys(request, context.settings);
      return (await prism()).answer({
        method: method.toLowerCase() as 'get',
        url: { path, query: Object.fromEntries(query) },
        headers: request.headers as Record<string, string>,
        // Prism validates what it is given: no body, the JSON, or the text as it came.
        body: text.trim() === '' ? undefined : parseJson(text, text),
      });
    }
    const document: ContractName = isControl ? 'gameball-mock-control' : 'gameball';
    const key = `${method} ${match.route.template}`;
    const operation = (isControl ? controlOperations : operations).get(key);
    if (!isControl) checkKeys(request, operation?.security ?? [], context.settings);
    const body = operation?.hasBody ? validBody(document, method, match.route, text) : undefined;
    operationBounds[key]?.(text, body);
    const answer = await match.route.handler(
      { method, path, query, headers: request.headers, params: match.params, body },
      context,
    );
    return { status: answer.status ?? 200, body: answer.body };
  };
}

/** Every operation of a document, by "METHOD template", with its keys and whether it takes a body. */
function operationsOf(name: ContractName): Map<string, Operation> {
  const document = contractDocument(name) as {
    security?: Record<string, string[]>[];
    paths?: Record<string, Record<string, { security?: Record<string, string[]>[]; requestBody?: unknown }>>;
  };
  const found = new Map<string, Operation>();
  for (const [template, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation !== 'object' || operation === null || method === 'parameters') continue;
      const security = (operation.security ?? document.security ?? []).map((requirement) => Object.keys(requirement));
      found.set(`${method.toUpperCase()} ${template}`, { security, hasBody: operation.requestBody !== undefined });
    }
  }
  return found;
}

/** Every path template of the stand-in's two documents and its methods, for reading request targets. */
export function pathTemplates(): PathTemplate[] {
  return (['gameball', 'gameball-mock-control'] as const).flatMap((name) =>
    Object.entries(contractDocument(name).paths ?? {}).map(([template, item]) => ({
      template,
      methods: Object.keys(item).map((method) => method.toUpperCase()),
    })),
  );
}

function validBody(document: ContractName, method: string, route: Route, text: string): unknown {
  let body: unknown = {};
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw invalidPayload(`the body is not JSON (${(error as Error).message}).`);
    }
  }
  checkJsonValues(body);
  const validate = requestBodyValidator(document, method, route.template);
  if (validate(body)) return body;
  const problems = describeErrors(validate.errors);
  const missing = problems.filter((p) => p.message === 'is required').map((p) => p.field);
  if (missing.length > 0) throw missingArguments(missing);
  throw invalidPayload(`${problemLines(problems, 'the body').join('; ')}.`);
}
