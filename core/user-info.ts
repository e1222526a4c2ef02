// A URL's user-info as a client uses it: http://user:pass%40word@host is Basic auth for
// `user:pass@word`. The recorder sends it; redaction hides it in every form.

/** `text` percent-decoded once, or as written when its escapes are malformed. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `user:password` decoded, as Basic auth carries it; undefined when the URL has no user-info. */
export function userInfo(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  return `${safeDecode(url.username)}:${safeDecode(url.password)}`;
}
