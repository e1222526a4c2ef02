// Text that came from the endpoint (bodies, headers, error messages quoting them) is shown to a
// person: it must not steer their terminal, and a 1 MiB body must not bury the report.

// C0 controls except tab and newline, DEL, C1 controls, and the bidi overrides and isolates that can
// make text read differently from what it is. Arabic or emoji text is left alone.
const UNSAFE_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Shows terminal escapes and other invisible controls as `\u001b` instead of acting on them. */
export function replaceControlCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Half of a surrogate pair on its own: no Unicode character, so no XML or UTF-8 file can hold it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text that XML 1.0 can carry, shown the way the console shows it: line ends as `\n` (what an XML
 * parser would make of them anyway), controls and bidi overrides as `\u001b`, the non-characters
 * U+FFFE and U+FFFF as `\ufffe`, and a lone surrogate as U+FFFD. Markup and `]]>` are left to the
 * XML writer, which escapes them.
 */
export function xmlSafeText(text: string): string {
  return replaceControlCharacters(text.replace(/\r\n?/g, '\n'))
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/[\ufffe\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

/** At most `maxChars` UTF-16 units, never cutting an emoji or other surrogate pair in half. */
function cut(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const last = text.charCodeAt(maxChars - 1);
  const endsInsidePair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, endsInsidePair ? maxChars - 1 : maxChars);
}

/** The body on one line, whitespace collapsed, controls made visible, ending in `…` when cut. */
export function oneLineExcerpt(text: string, maxChars: number): string {
  // Cut before the regexes run so a huge body costs no more than a small one.
  const head = cut(text, maxChars * 4);
  const flat = replaceControlCharacters(head.replace(/\s+/g, ' ').trim());
  if (head.length === text.length && flat.length <= maxChars) return flat;
  return `${cut(flat, Math.max(1, maxChars - 1))}…`;
}

/** The text as it is, with a closing line saying how much was left out when it is longer than `maxChars`. */
export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const kept = cut(text, maxChars);
  return `${kept}\n… ${(text.length - kept.length).toLocaleString('en-US')} more characters not shown`;
}
