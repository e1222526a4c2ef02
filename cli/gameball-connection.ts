// How config push and flow talk to Gameball: an openapi-fetch client typed by the generated
// Gameball types, with the account's keys on every request, and every answer checked against the
// Gameball document. Without --gameball, a stand-in (gb-coupon mock) is started in-process for the
// command and stopped after it.
import { randomBytes } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import { UsageError } from '../core/errors.ts';
import { startMock } from '../mock/index.ts';
import { describeErrors, problemLines, responseBodyValidator, schemaValidator } from '../openapi/contract.ts';
import type { paths } from '../openapi/generated/gameball.ts';
import { hideInOutput } from './redacted-output.ts';

type GameballClient = Client<paths>;

export interface GameballFlags {
  gameball?: string;
  apiKey?: string;
  secretKey?: string;
  /** Seed of a started stand-in's codes. */
  seed?: number;
}

export interface GameballConnection {
  client: GameballClient;
  /** The base URL (scheme, host, port), without the API's base path. */
  url: string;
  /** True when the command started the stand-in itself. */
  started: boolean;
  /** The keys, to be used and never printed. */
  keys: { apiKey: string; secretKey: string };
}

/** --api-key/--secret-key, else GAMEBALL_API_KEY/GAMEBALL_SECRET_KEY; a started stand-in takes generated ones. */
function resolveKeys(flags: GameballFlags): { apiKey?: string | undefined; secretKey?: string | undefined } {
  return {
    apiKey: flags.apiKey ?? (process.env.GAMEBALL_API_KEY || undefined),
    secretKey: flags.secretKey ?? (process.env.GAMEBALL_SECRET_KEY || undefined),
  };
}

export function gameballUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(
      `--gameball takes the base URL of Gameball or of a gb-coupon mock, e.g. https://api.gameball.co or http://127.0.0.1:4010; got "${text}".`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--gameball must be an http or https URL; got "${text}".`);
  }
  // A user may paste the API's base path too; the client adds it to every operation.
  return url
    .toString()
    .replace(/\/api\/v4\.0\/integrations\/?$/, '')
    .replace(/\/$/, '');
}

/** One call made to Gameball, as a flow report shows it (the keys are redacted). */
export interface GameballExchange {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  response?: { status: number; headers: Record<string, string>; body: string };
  error?: string;
  startedAt: number;
  durationMs: number;
}

export async function withGameball<T>(
  flags: GameballFlags,
  use: (connection: GameballConnection) => Promise<T>,
  onExchange?: (exchange: GameballExchange) => void,
): Promise<T> {
  const given = resolveKeys(flags);
  hideInOutput({ keys: [given.apiKey, given.secretKey] });
  if (flags.gameball) {
    const url = gameballUrl(flags.gameball);
    if (!given.apiKey || !given.secretKey) {
      throw new UsageError(
        `Talking to ${url} needs the account's keys: pass --api-key and --secret-key, or set GAMEBALL_API_KEY and GAMEBALL_SECRET_KEY (from the dashboard's API keys page). Leave out --gameball to use a stand-in started for this command.`,
      );
    }
    const keys = { apiKey: given.apiKey, secretKey: given.secretKey };
    return use({ client: clientFor(url, keys, onExchange), url, started: false, keys });
  }
  const keys = {
    apiKey: given.apiKey ?? `gb_mock_${randomBytes(6).toString('hex')}`,
    secretKey: given.secretKey ?? `gb_mock_${randomBytes(9).toString('hex')}`,
  };
  hideInOutput({ keys: [keys.apiKey, keys.secretKey] });
  const mock = await startMock({
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    preloadPrism: false,
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...keys,
  });
  try {
    return await use({ client: clientFor(mock.url, keys, onExchange), url: mock.url, started: true, keys });
  } finally {
    await mock.stop();
  }
}

function clientFor(
  url: string,
  keys: { apiKey: string; secretKey: string },
  onExchange?: (exchange: GameballExchange) => void,
): GameballClient {
  return createClient<paths>({
    baseUrl: url,
    headers: { apikey: keys.apiKey, secretkey: keys.secretKey },
    // Gameball acts on the first answer; so do we: no retries, and a bound on every call.
    fetch: async (request) => {
      const body = onExchange && request.body ? await request.clone().text() : undefined;
      const startedAt = performance.now();
      const headers = Object.fromEntries(
        [...request.headers].map(([key, value]) => [
          key,
          key === 'apikey' || key === 'secretkey' ? '<redacted>' : value,
        ]),
      );
      const base = { method: request.method, url: request.url, headers, ...(body ? { body } : {}), startedAt };
      try {
        const response = await fetch(request, { signal: AbortSignal.timeout(30_000) });
        if (onExchange) {
          const text = await response.clone().text();
          onExchange({
            ...base,
            response: { status: response.status, headers: Object.fromEntries(response.headers), body: text },
            durationMs: performance.now() - startedAt,
          });
        }
        return response;
      } catch (error) {
        onExchange?.({ ...base, error: (error as Error).message, durationMs: performance.now() - startedAt });
        throw error;
      }
    },
  });
}

interface CheckedAnswer {
  status: number;
  /** Problems with the answer's shape against the Gameball document ([] when it conforms). */
  problems: string[];
  /** Gameball's error message when the answer is an error. */
  error?: string;
}

/**
 * Checks an answer against the Gameball document: a 200 against the operation's response schema,
 * anything else against Gameball's error body.
 */
export function checkAnswer(method: string, path: keyof paths, response: Response, body: unknown): CheckedAnswer {
  if (response.status === 200) {
    if (body === undefined || body === '') return { status: 200, problems: [] };
    const validate = responseBodyValidator('gameball', method, path, '200');
    return { status: 200, problems: validate(body) ? [] : problemsOf(validate.errors) };
  }
  const validate = schemaValidator('gameball', 'GameballError');
  const ok = validate(body);
  const message = (body as { message?: unknown } | undefined)?.message;
  return {
    status: response.status,
    problems: ok ? [] : problemsOf(validate.errors),
    error: typeof message === 'string' ? message : `HTTP ${response.status}`,
  };
}

function problemsOf(errors: Parameters<typeof describeErrors>[0]): string[] {
  return problemLines(describeErrors(errors));
}
