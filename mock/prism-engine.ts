// Prism, embedded, answers what the stand-in does not own: every operation of Gameball's document
// that has no state behind it, with the document's examples (a named one when the request asks
// with `Prefer: example=NAME`). The stand-in has checked the keys and the request already
// (request-input.ts), so Prism only picks the example; if it cannot answer anyway, its error
// (problem+json) is turned into Gameball's error body here.
import type { IHttpRequest } from '@stoplight/prism-http';
import { contractDocument } from '../openapi/contract.ts';
import {
  type GameballError,
  invalidPayload,
  invalidValue,
  missingArguments,
  notHonoured,
  unauthorized,
} from './errors.ts';

interface PrismAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface PrismEngine {
  /** The operation's example answer (the one named `exampleKey`, or the first), or a GameballError. */
  answer(request: IHttpRequest, exampleKey?: string): Promise<PrismAnswer>;
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
    async answer(request, exampleKey) {
      const result = await prism.request(request, operations, {
        ...config,
        mock: { ...config.mock, ...(exampleKey !== undefined ? { exampleKey } : {}) },
      })();
      if (result._tag === 'Right') {
        const { output } = result.right;
        return { status: output.statusCode, headers: output.headers ?? {}, body: output.body };
      }
      throw asGameballError(result.left as PrismError, request);
    },
  };
}

type PrismError = Error & {
  status?: number;
  detail?: string;
  additional?: { validation?: { code?: unknown; message?: string }[] };
};

function asGameballError(error: PrismError, request: IHttpRequest): GameballError {
  const detail = error.detail ?? error.message;
  const validation = error.additional?.validation ?? [];
  switch (error.status) {
    case 401:
      return unauthorized();
    case 415:
      return invalidPayload(detail);
    case 422:
    case 400:
      if (validation.some((v) => v.code === 'required')) {
        return missingArguments(validation.map((v) => v.message ?? 'a required argument'));
      }
      return invalidValue(`Invalid value: ${validation.map((v) => v.message).join('; ') || detail}`);
    default:
      // The request was checked already: what is left is an operation Prism cannot answer.
      return notHonoured(
        `The stand-in cannot answer ${request.method.toUpperCase()} ${request.url.path}: ${detail} (Gameball publishes the operation; its example could not be served).`,
      );
  }
}
