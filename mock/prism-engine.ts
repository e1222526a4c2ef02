// Prism, embedded, answers what the stand-in does not own: every operation of Gameball's document
// that has no state behind it, and any request that asks for a named example (`Prefer:
// example=...`). It validates the request and the keys and serves the document's examples. Its own
// error bodies (problem+json) are turned into Gameball's error body here.
import type { IHttpRequest } from '@stoplight/prism-http';
import { contractDocument } from '../openapi/contract.ts';
import { GameballError, notFound } from './errors.ts';

interface PrismAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface PrismEngine {
  answer(request: IHttpRequest): Promise<PrismAnswer>;
}

/**
 * Loads Prism (a large module tree: loaded here, not at import, so the stand-in's own operations
 * are ready first) and the operations of Gameball's document.
 */
export async function createPrismEngine(): Promise<PrismEngine> {
  const { createLogger } = await import('@stoplight/prism-core');
  const { createInstance, getHttpOperationsFromSpec } = await import('@stoplight/prism-http');
  const operations = await getHttpOperationsFromSpec(structuredClone(contractDocument('gameball')));
  // Requests and keys validated, static examples (never faked data), no response validation.
  const config = {
    validateRequest: true,
    validateResponse: false,
    checkSecurity: true,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
    mock: { dynamic: false },
  } as const;
  const prism = createInstance(config, { logger: createLogger('gb-coupon-mock', { level: 'silent' }) });
  return {
    async answer(request) {
      const preferences = preferencesOf(request);
      const result = await prism.request(request, operations, {
        ...config,
        mock: { ...config.mock, ...preferences },
      })();
      if (result._tag === 'Right') {
        const { output } = result.right;
        return { status: output.statusCode, headers: output.headers ?? {}, body: output.body };
      }
      throw asGameballError(result.left as Error & { status?: number; detail?: string }, request);
    },
  };
}

/** `Prefer: example=name, code=404` (Prism's convention) as Prism's mock options. */
function preferencesOf(request: IHttpRequest): { exampleKey?: string; code?: number } {
  const header = request.headers?.prefer;
  if (!header) return {};
  const preferences: { exampleKey?: string; code?: number } = {};
  for (const part of header.split(/[,;]/)) {
    const [key, value] = part.split('=').map((s) => s.trim());
    if (key === 'example' && value) preferences.exampleKey = value;
    if (key === 'code' && value && /^\d{3}$/.test(value)) preferences.code = Number(value);
  }
  return preferences;
}

function asGameballError(error: Error & { status?: number; detail?: string }, request: IHttpRequest): GameballError {
  const detail = error.detail ?? error.message;
  switch (error.status) {
    case 401:
      return new GameballError(401, 1000, 'Authentication', 'Unauthorized. Check your API key.');
    case 404:
      return notFound(`No Gameball operation ${request.method.toUpperCase()} ${request.url.path}.`);
    case 405:
      return notFound(`${request.url.path} has no ${request.method.toUpperCase()} operation.`);
    case 406:
    case 415:
      return new GameballError(400, 3016, 'Validation', `Invalid payload: ${detail}`);
    default:
      return new GameballError(
        error.status && error.status < 500 ? error.status : 422,
        3003,
        'Validation',
        `Invalid value: ${detail}`,
      );
  }
}
