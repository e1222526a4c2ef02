// A reproduction's request and response as plain HTTP-like text, shared by the JUnit failure body
// and the HTML page so that both show the exchange the same way.

import { truncateText } from '../../core/report/untrusted-text.ts';
import type { Reproduction } from './types.ts';

/** `POST url`, the headers, a blank line and the body (cut after `maxBodyChars`). */
export function requestText(reproduction: Reproduction, maxBodyChars: number): string {
  const { request } = reproduction;
  const body = request.body === undefined ? [] : ['', truncateText(request.body, maxBodyChars)];
  return [`${request.method.toUpperCase()} ${request.url}`, ...headerLines(request.headers), ...body].join('\n');
}

/** `HTTP 500`, the headers, a blank line and the body; or why there was no response. */
export function responseText(reproduction: Reproduction, maxBodyChars: number): string {
  const { response } = reproduction;
  if (!response) return `No response: ${reproduction.error ?? 'transport failure'}`;
  return [
    `HTTP ${response.status}`,
    ...headerLines(response.headers),
    '',
    truncateText(response.body, maxBodyChars),
  ].join('\n');
}

function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
}
