// Whether a line of a cassette is a record this version knows, checked by hand rather than by a
// compiled schema: the reader runs on every line of a large cassette, and what it needs is the
// shape the code relies on. cassette.schema.json says the same for other tools (and the tests hold
// the writer's lines to it).

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isStringMap = (value: unknown): boolean =>
  isObject(value) && Object.values(value).every((v) => typeof v === 'string');

/** What is wrong with a line's value as a session, exchange or end record; undefined when nothing is. */
export function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  switch (value.type) {
    case 'cassette':
      return undefined;
    case 'session':
      return typeof value.startedAt === 'string' && (value.source === 'record' || value.source === 'mock')
        ? undefined
        : 'a session record needs startedAt and source (record or mock)';
    case 'end':
      return typeof value.at === 'string' && typeof value.exchanges === 'number'
        ? undefined
        : 'an end record needs at and exchanges';
    case 'exchange':
      return exchangeProblem(value);
    default:
      return `its type ${JSON.stringify(value.type)} is not cassette, session, exchange or end`;
  }
}

function exchangeProblem(value: Fields): string | undefined {
  if (typeof value.seq !== 'number' || typeof value.time !== 'string' || typeof value.latencyMs !== 'number') {
    return 'an exchange record needs seq, time and latencyMs';
  }
  const request = value.request;
  if (!isObject(request) || typeof request.method !== 'string' || typeof request.url !== 'string') {
    return 'an exchange record needs request.method and request.url';
  }
  if (!isStringMap(request.headers) || bodyProblem(request)) return 'its request needs headers and a body';
  const response = value.response;
  if (response !== undefined) {
    if (!isObject(response) || typeof response.status !== 'number' || !isStringMap(response.headers)) {
      return 'its response needs status and headers';
    }
    if (bodyProblem(response)) return 'its response needs a body';
  }
  const verdict = value.verdict;
  if (!isObject(verdict) || typeof verdict.accepted !== 'boolean' || typeof verdict.kind !== 'string') {
    return 'an exchange record needs verdict.accepted and verdict.kind';
  }
  return undefined;
}

function bodyProblem(body: Fields): boolean {
  return (
    typeof body.body !== 'string' ||
    (body.bodyEncoding !== 'utf8' && body.bodyEncoding !== 'base64') ||
    typeof body.bodyBytes !== 'number'
  );
}
