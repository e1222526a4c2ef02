// Bounds on what a request body may hold, checked before anything walks it: a body is refused with
// Gameball's error body, never answered with a 500, whatever it holds. Gameball publishes none of
// these limits (*inference*: the stand-in's own, generous for any real request):
// - nesting at most maxJsonDepth deep (a 20,000-deep body overflowed the stack at 500);
// - numbers within ±Number.MAX_SAFE_INTEGER (the stand-in counts in doubles: two orders of
//   totalPaid 1e308 made a balance Infinity, which JSON writes as null) -> 3003;
// - strings that are Unicode (no lone surrogate from a `\ud800` escape, which would reach the
//   merchant as U+FFFD), as the bytes of the body must be UTF-8 (see http-io.ts) -> 3016.
import { invalidPayload, invalidValue } from './errors.ts';

export const maxJsonDepth = 32;

/** The deepest nesting of arrays and objects in a JSON text, found without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: the next character is escaped
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth--;
  }
  return deepest;
}

/** Refuses a JSON text nested deeper than maxJsonDepth; `what` names it in the message. */
export function checkJsonDepth(text: string, what = 'the body'): void {
  const depth = jsonDepth(text);
  if (depth > maxJsonDepth) {
    throw invalidPayload(
      `${what} nests arrays and objects ${depth} deep; the stand-in takes at most ${maxJsonDepth} levels.`,
    );
  }
}

/** Half of a UTF-16 surrogate pair without its other half: not a character. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses numbers the stand-in cannot count with and strings that are not Unicode, naming the field. */
export function checkJsonValues(value: unknown, path = 'body'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      throw invalidValue(
        `Invalid value for ${path}: ${value} is out of range; numbers must be within ±${Number.MAX_SAFE_INTEGER}.`,
      );
    }
  } else if (typeof value === 'string') {
    if (loneSurrogate.test(value)) throw invalidPayload(`${path} is not Unicode text (a lone surrogate).`);
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkJsonValues(item, `${path}[${i}]`);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (loneSurrogate.test(key))
        throw invalidPayload(`a field name in ${path} is not Unicode text (a lone surrogate).`);
      checkJsonValues(item, `${path}.${key}`);
    }
  }
}

/**
 * The coupon configuration is sent with every delivery and kept in the delivery log, so it is kept
 * small: at most maxConfigurationBytes as sent, and its payload template nested as a body may be.
 */
export const maxConfigurationBytes = 64 * 1024;

export function checkConfigurationBounds(text: string, body: unknown): void {
  const size = Buffer.byteLength(text);
  if (size > maxConfigurationBytes) {
    throw invalidPayload(
      `the coupon configuration is ${size} bytes; the stand-in takes at most ${maxConfigurationBytes}.`,
    );
  }
  const payload = (body as { payload?: unknown }).payload;
  if (typeof payload === 'string') checkJsonDepth(payload, 'the payload template');
}
