// JSON pointers (RFC 6901) and the internal `$ref`s built on them: the one place that escapes and
// unescapes their segments and walks a document by them. It lives in openapi/ because every layer
// may import openapi/ (the contract's validators, the harness's --code-pointer, the tests).

/** A segment as it appears in a pointer: `~` becomes `~0`, `/` becomes `~1`. */
export function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The reverse of escapeSegment (`~1` first, so `~01` reads as `~1`). */
function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A pointer from its segments: `['a/b', '0']` becomes `/a~1b/0`; no segments is `""`, the whole document. */
export function formatPointer(segments: readonly string[]): string {
  return segments.map((segment) => `/${escapeSegment(segment)}`).join('');
}

/** The segments of a pointer: `""` is the whole document; a missing leading `/` is tolerated. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.replace(/^\//, '').split('/').map(unescapeSegment);
}

/** The value at the segments, or undefined when the path leaves the document. */
export function valueAt(document: unknown, segments: readonly string[]): unknown {
  let node = document;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

/** The segments of an internal reference (`#/components/responses/Unauthorized`); a URI fragment, so percent-decoded. */
export function refSegments(ref: string): string[] {
  if (!ref.startsWith('#')) throw new Error(`Only internal references are followed; got ${ref}`);
  return parsePointer(decodeURIComponent(ref.slice(1)));
}

/** The node itself, or what its internal `$ref` points at (one hop: bundled documents do not chain them). */
export function resolveRef(document: unknown, node: unknown): unknown {
  const ref = (node as { $ref?: unknown } | null | undefined)?.$ref;
  if (typeof ref !== 'string') return node;
  const target = valueAt(document, refSegments(ref));
  if (target === undefined) throw new Error(`Nothing at ${ref}`);
  return target;
}
