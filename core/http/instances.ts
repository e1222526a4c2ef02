// Several instances of one endpoint behind a load balancer (`--target`): the configuration's url is
// the primary, and each target is another instance, named by its address alone (scheme, host, port);
// the path and query come from the configuration, so every instance is sent the same request.
// verify spreads its concurrency checks across the instances; load round-robins its requests.
import { UsageError } from '../errors.ts';

/**
 * The instances' origins: the configuration url's first, then each target's, once each. Throws
 * UsageError for a target that is not the address of an instance.
 */
export function instancesOf(primaryUrl: string, targets: readonly string[] = []): string[] {
  if (!Array.isArray(targets)) {
    throw new UsageError(
      `targets takes a list of instance addresses, such as ['http://10.0.0.2:3000']; got ${targets}.`,
    );
  }
  const instances = [new URL(primaryUrl).origin];
  for (const target of targets) {
    const origin = instanceAddress(target);
    if (!instances.includes(origin)) instances.push(origin);
  }
  return instances;
}

/** The origin a target names; UsageError unless it is an http(s) URL with nothing past the port. */
export function instanceAddress(target: unknown): string {
  let url: URL | undefined;
  try {
    url = new URL(String(target));
  } catch {
    url = undefined;
  }
  const bare =
    typeof target === 'string' &&
    url !== undefined &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    !/[?#]/.test(target);
  if (!bare) {
    throw new UsageError(
      `--target takes the address of one instance of the endpoint: an http(s) URL with a host and a port and nothing after them, such as http://10.0.0.2:3000 (the path and query every instance is sent come from the configuration's url); got ${JSON.stringify(target)}.`,
    );
  }
  return url!.origin;
}

/** Stands where `{code}` is while a URL template is parsed: letters only, so nothing encodes it. */
const codeMark = 'GBCOUPONCODEMARK';

/** `url` on another instance: its origin swapped for `origin`, the path and query kept ({code} too). */
export function atInstance(url: string, origin: string): string {
  const parsed = new URL(url.replaceAll('{code}', codeMark));
  return `${origin}${parsed.pathname}${parsed.search}`.replaceAll(codeMark, '{code}');
}

/**
 * A URL (or a lookup template with {code}) for each instance: on the primary's origin, each
 * instance's own (the first is `url` as given); anywhere else (a separate lookup service) the same
 * URL for every instance.
 */
export function perInstance(url: string, instances: readonly string[]): string[] {
  const onPrimary = new URL(url.replaceAll('{code}', codeMark)).origin === instances[0];
  return instances.map((origin, i) => (i === 0 || !onPrimary ? url : atInstance(url, origin)));
}
