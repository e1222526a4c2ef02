// JSON.parse for text that came over the network, where a body that is not JSON is an answer too,
// not an exception.

/** The value `text` holds, or `otherwise` (undefined unless given) when it is not JSON. */
export function parseJson(text: string, otherwise?: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return otherwise;
  }
}
