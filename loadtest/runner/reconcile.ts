// --reconcile: every code the target answered 200 for is looked up afterwards. A code acknowledged
// but not stored is the failure a customer meets at checkout ("invalid coupon") long after the
// load test went green, so it is counted and named.
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import { perInstance } from '../../core/http/instances.ts';
import { lookupRequest, readStoredCoupons } from '../../core/lookup/stored-coupons.ts';
import { parseJson } from '../../core/parse-json.ts';
import { createClient, type Sent } from './client.ts';

export interface Reconciliation {
  lookup: string;
  /**
   * The lookups, one per instance, when the endpoint runs as several on the lookup's host: each code
   * is read through an instance other than the one that answered it.
   */
  lookups?: string[];
  checked: number;
  stored: number;
  /** Acknowledged with 200, and the lookup finds no coupon carrying the code (404, `[]`, `{"error":…}`). */
  notStored: number;
  /** Lookups answered neither 200 nor 404, or not answered. */
  lookupErrors: number;
  /** The first few codes not stored, to look for in the target's logs. */
  missingCodes: string[];
  /** The first lookup error, in words. */
  firstError?: string;
}

/**
 * The lookup URL template: `--lookup` as given (it must hold `{code}`), else the reference server's
 * `GET /coupons/{code}` beside a target URL ending in /coupons.
 */
export function lookupTemplate(config: CouponConfiguration, lookup?: string): string {
  if (lookup !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(lookup.replace('{code}', 'CODE'));
    } catch {
      parsed = undefined;
    }
    if (!lookup.includes('{code}') || !parsed || !/^https?:$/.test(parsed.protocol)) {
      throw new UsageError(
        `--lookup takes an http(s) URL template with {code} where the coupon code goes, such as https://shop.example/coupons/{code}; got "${lookup}".`,
      );
    }
    return lookup;
  }
  const url = new URL(config.url);
  if (url.pathname.replace(/\/$/, '').endsWith('/coupons')) {
    url.pathname = `${url.pathname.replace(/\/$/, '')}/{code}`;
    url.search = '';
    return url.toString().replace('%7Bcode%7D', '{code}');
  }
  throw new UsageError(
    `--reconcile needs to know where to look a code up: ${config.url} is not the reference server's /coupons, so give --lookup with a URL template such as https://shop.example/coupons/{code}.`,
  );
}

export async function reconcile(
  config: CouponConfiguration,
  template: string,
  codes: readonly string[],
  options: {
    connections: number;
    timeoutMs: number;
    /** The endpoint's instances: a lookup on the configuration's host reads through each in turn. */
    instances?: readonly string[];
    /**
     * The instance (index in `instances`) that answered each code, in step with `codes`: the code is
     * read through the next one, so a fleet whose instances keep stores of their own is found out
     * (read through the instance that stored it, every code looks stored). Without it, in turn.
     */
    answeredBy?: readonly number[];
  },
): Promise<Reconciliation> {
  const result: Reconciliation = {
    lookup: template,
    checked: 0,
    stored: 0,
    notStored: 0,
    lookupErrors: 0,
    missingCodes: [],
  };
  if (codes.length === 0) return result;
  const width = Math.max(1, Math.min(options.connections, 32));
  const routes = lookupRoutes(template, options, width, config);
  if (routes.templates.length > 1) result.lookups = routes.templates;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < codes.length) {
      const turn = next++;
      const code = codes[turn]!;
      result.checked++;
      const { url, sent } = await routes.read(turn, code);
      // Read as verify's --lookup reads it (core/lookup/stored-coupons.ts).
      const reading = sent.ok
        ? readStoredCoupons({ status: sent.answer.status, json: parseJson(sent.answer.body) }, code)
        : { problem: `failed: ${sent.message}` };
      if ('problem' in reading) {
        result.lookupErrors++;
        result.firstError ??= `GET ${url} ${reading.problem}`;
      } else if (reading.stored.length > 0) result.stored++;
      else {
        result.notStored++;
        if (result.missingCodes.length < 20) result.missingCodes.push(code);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: width }, worker));
  } finally {
    await routes.close();
  }
  return result;
}

/**
 * The lookups, one per instance read through (one for all when the lookup is not on the
 * configuration's host), each with its own pool; `read` looks the n-th code up through the next in turn
 * (or the instance after the one that answered it).
 */
function lookupRoutes(
  template: string,
  options: { timeoutMs: number; instances?: readonly string[]; answeredBy?: readonly number[] },
  width: number,
  config: CouponConfiguration,
): {
  templates: string[];
  read(turn: number, code: string): Promise<{ url: string; sent: Sent }>;
  close(): Promise<void>;
} {
  const templates = [...new Set(options.instances ? perInstance(template, options.instances) : [template])];
  const clients = templates.map((each) =>
    createClient(new URL(each.replace('{code}', 'x')).origin, width, options.timeoutMs),
  );
  const through = (turn: number): number => {
    const answeredBy = options.answeredBy?.[turn];
    return (answeredBy === undefined ? turn : answeredBy + 1) % templates.length;
  };
  return {
    templates,
    read: (turn, code) => {
      const instance = through(turn);
      // The configured headers carry the credential the reference server asks for on GET too.
      const request = lookupRequest({ method: 'GET', url: templates[instance]! }, code, config);
      return new Promise((resolve) => clients[instance]!.send(request, (sent) => resolve({ url: request.url, sent })));
    },
    close: async () => {
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}
