// Answers one request whose target was read once (request-target.ts): the control plane (its
// access checked before its body is read), or an operation of Gameball's document, stateful or
// answered from its examples (example-routes.ts): keys checked, the body bounded, and the query and
// body validated against the document first (request-input.ts, the one validation path). Refusals
// throw Gameball's error.
import type { IncomingMessage } from 'node:http';
import { type ContractName, contractDocument } from '../openapi/contract.ts';
import { checkConfigurationBounds, checkJsonDepth, checkJsonValues } from './body-bounds.ts';
import type { MockContext } from './context.ts';
import { type GameballError, notAchievable, notFound } from './errors.ts';
import { checkControlAccess, type Exposure } from './exposure.ts';
import { readBody } from './http-io.ts';
import { checkKeys } from './keys.ts';
import type { PrismEngine } from './prism-engine.ts';
import { checkQuery, validBody } from './request-input.ts';
import { answeredAs, type PathTemplate, type RequestTarget } from './request-target.ts';
import { controlRoutes } from './routes/control-routes.ts';
import { exampleRoutes } from './routes/example-routes.ts';
import { gameballRoutes } from './routes/gameball-routes.ts';
import { createMatcher } from './routes/route.ts';

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
): (request: IncomingMessage, method: string, target: RequestTarget, requestId: string) => Promise<RoutedAnswer> {
  const gameball = createMatcher([...gameballRoutes, ...exampleRoutes(prism, gameballRoutes)]);
  const control = createMatcher(controlRoutes);
  const operations = operationsOf('gameball');
  const controlOperations = operationsOf('gameball-mock-control');
  return async (request, requestMethod, target, requestId) => {
    const method = answeredAs(requestMethod);
    const { isControl, path, query } = target;
    if (isControl) checkControlAccess(request.headers, exposure);
    const match = isControl ? control(method, path) : gameball(method, path);
    if (!match) throw unknownOperation(isControl, method, path, isControl ? control : gameball);
    const text = await readBody(request);
    if (text.trim() !== '') checkJsonDepth(text);
    const document: ContractName = isControl ? 'gameball-mock-control' : 'gameball';
    const { template } = match.route;
    const key = `${method} ${template}`;
    const operation = (isControl ? controlOperations : operations).get(key);
    const example = isControl ? undefined : exampleAskedFor(request.headers.prefer);
    if (!isControl) checkKeys(request, operation?.security ?? [], context.settings);
    if (example !== undefined && !match.route.fromExamples) throw exampleRefused(method, template);
    checkQuery(document, method, template, query);
    const body = operation?.hasBody ? boundedBody(document, method, template, text) : undefined;
    operationBounds[key]?.(text, body);
    const answer = await match.route.handler(
      {
        method,
        path,
        query,
        headers: request.headers,
        params: match.params,
        body,
        requestId,
        ...(example !== undefined ? { example } : {}),
      },
      context,
    );
    return { status: answer.status ?? 200, body: answer.body };
  };
}

/** The body validated against the document (request-input.ts), its numbers within bounds first. */
function boundedBody(document: ContractName, method: string, template: string, text: string): unknown {
  if (text.trim() !== '') {
    try {
      checkJsonValues(JSON.parse(text));
    } catch (error) {
      if (error instanceof SyntaxError) return validBody(document, method, template, text);
      throw error;
    }
  }
  return validBody(document, method, template, text);
}

/** No operation at that path (404), or none with that method. */
function unknownOperation(
  isControl: boolean,
  method: string,
  path: string,
  match: ReturnType<typeof createMatcher>,
): GameballError {
  const others = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].filter((other) => other !== method && match(other, path));
  const what = isControl ? 'control operation' : 'Gameball operation';
  if (others.length > 0) return notFound(`${path} has no ${method} ${what}; it has ${others.join(', ')}.`);
  return notFound(`No ${what} ${method} ${path}.`);
}

/** `Prefer: example=NAME` (Prism's convention) names an example; any other preference is ignored. */
function exampleAskedFor(prefer: string | string[] | undefined): string | undefined {
  for (const part of [prefer ?? ''].flat().join(',').split(/[,;]/)) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (key?.toLowerCase() === 'example' && value) return value.replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

/** An example would bypass the state behind the operation, so it is not served (*inference* on the code). */
function exampleRefused(method: string, template: string): GameballError {
  return notAchievable(
    `Prefer: example=... is not served for ${method} ${template}: the stand-in answers it from its state, and an example would skip it (no merchant call, no points). Leave out the Prefer header; examples answer only the operations without state.`,
  );
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
