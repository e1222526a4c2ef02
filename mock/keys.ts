// Gameball's keys, as an operation's security asks: the API key everywhere, the secret key where the
// document requires it too. Header names come from the document's security schemes.
import type { IncomingMessage } from 'node:http';
import { contractDocument } from '../openapi/contract.ts';
import type { MockSettings } from './context.ts';
import { secretKeyRequired, unauthorized } from './errors.ts';

export function checkKeys(request: IncomingMessage, alternatives: string[][], settings: MockSettings): void {
  if (alternatives.length === 0 || alternatives.some((schemes) => schemes.length === 0)) return;
  const required = alternatives.reduce((common, set) => common.filter((scheme) => set.includes(scheme)));
  for (const scheme of [...required].sort((a) => (a === 'apiKey' ? -1 : 1))) {
    const header = securityHeaders.get(scheme);
    if (!header) continue;
    const value = request.headers[header];
    const expected = scheme === 'secretKey' ? settings.secretKey : settings.apiKey;
    if (typeof value !== 'string' || value === '') {
      throw scheme === 'secretKey'
        ? secretKeyRequired()
        : unauthorized(`Unauthorized: the ${header} header is missing.`);
    }
    if (expected !== undefined && value !== expected) {
      throw unauthorized(`Unauthorized: the ${header} header does not match this account's key.`);
    }
  }
}

/**
 * For the operations Prism answers: Prism checks that the keys its security asks for are there, and
 * this that every key presented is the configured one, so that a stand-in given keys accepts no
 * other key anywhere.
 */
export function checkPresentedKeys(request: IncomingMessage, settings: MockSettings): void {
  for (const [scheme, header] of securityHeaders) {
    const value = request.headers[header];
    const expected = scheme === 'secretKey' ? settings.secretKey : settings.apiKey;
    if (expected !== undefined && typeof value === 'string' && value !== expected) {
      throw unauthorized(`Unauthorized: the ${header} header does not match this account's key.`);
    }
  }
}

/** Scheme name -> header name (lower case, as Node gives headers) for the document's API-key schemes. */
const securityHeaders: Map<string, string> = new Map(
  Object.entries(
    (contractDocument('gameball').components as { securitySchemes?: Record<string, { in?: string; name?: string }> })
      .securitySchemes ?? {},
  )
    .filter(([, scheme]) => scheme.in === 'header' && scheme.name)
    .map(([name, scheme]) => [name, scheme.name!.toLowerCase()]),
);
