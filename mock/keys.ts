// Gameball's keys, as an operation's security asks: the API key everywhere, the secret key where the
// document requires it too. Header names come from the document's security schemes.
import type { IncomingMessage } from 'node:http';
import { contractDocument } from '../openapi/contract.ts';
import type { MockSettings } from './context.ts';
import { secretKeyRequired, unauthorized } from './errors.ts';

/**
 * The keys the operation's security asks for are there (1000/1001), and every key presented, asked
 * for or not, is the configured one (1000): a stand-in given keys accepts no other key anywhere.
 */
export function checkKeys(request: IncomingMessage, alternatives: string[][], settings: MockSettings): void {
  const required =
    alternatives.length === 0 || alternatives.some((schemes) => schemes.length === 0)
      ? []
      : alternatives.reduce((common, set) => common.filter((scheme) => set.includes(scheme)));
  for (const [scheme, header] of securityHeaders) {
    const value = request.headers[header];
    if (required.includes(scheme) && (typeof value !== 'string' || value === '')) {
      throw scheme === 'secretKey'
        ? secretKeyRequired()
        : unauthorized(`Unauthorized: the ${header} header is missing.`);
    }
    const expected = scheme === 'secretKey' ? settings.secretKey : settings.apiKey;
    if (expected !== undefined && typeof value === 'string' && value !== expected) {
      throw unauthorized(`Unauthorized: the ${header} header does not match this account's key.`);
    }
  }
}

/**
 * Scheme name -> header name (lower case, as Node gives headers) for the document's API-key schemes,
 * the API key first (a request without it is refused for it, whatever its secret key).
 */
const securityHeaders: Map<string, string> = new Map(
  Object.entries(
    (contractDocument('gameball').components as { securitySchemes?: Record<string, { in?: string; name?: string }> })
      .securitySchemes ?? {},
  )
    .filter(([, scheme]) => scheme.in === 'header' && scheme.name)
    .map(([name, scheme]) => [name, scheme.name!.toLowerCase()] as const)
    .sort(([a], [b]) => Number(b === 'apiKey') - Number(a === 'apiKey')),
);
