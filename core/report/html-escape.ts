// Every string that reaches the HTML page goes through here: response bodies are written by the
// endpoint under test and must render as text, never as markup.
import { replaceControlCharacters } from './untrusted-text.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

/** Any text shown on the page, the endpoint's included: invisible controls made visible, then escaped. */
export function htmlText(text: string): string {
  return escapeHtml(replaceControlCharacters(text));
}
