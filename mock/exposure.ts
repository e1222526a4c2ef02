// Who can drive the stand-in. Its control plane (/__gb/) creates coupons at the merchant's endpoint
// with the merchant's credentials, credits points, reads the delivery log and wipes the state, so:
// - on a loopback host (127.0.0.0/8, ::1, or a name that resolves only to those, such as
//   localhost) it is open to this machine, but not to web pages: a request whose Origin or Host
//   is not loopback (a cross-site form, DNS rebinding) is refused;
// - on any other host the stand-in does not start without a control token (callers send
//   `Authorization: Bearer <token>`), unless the user opts out with unsafeOpenControl, which it
//   warns about; and Gameball's operations need the configured keys, or any key would do.
import { createHash, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { UsageError } from '../core/errors.ts';
import { controlRefused } from './errors.ts';

export interface Exposure {
  /** Every address the host stands for is a loopback address. */
  loopback: boolean;
  controlToken?: string;
  /** The control plane is open beyond loopback because the user asked (unsafeOpenControl). */
  openControl: boolean;
}

interface ExposureOptions {
  host: string;
  controlToken?: string | undefined;
  unsafeOpenControl?: boolean | undefined;
  apiKey?: string | undefined;
  secretKey?: string | undefined;
}

const minTokenLength = 16;

/** How exposed the stand-in will be, and the warnings to print at start; a UsageError when it must not start. */
export async function decideExposure(options: ExposureOptions): Promise<{ exposure: Exposure; warnings: string[] }> {
  const { host, controlToken, unsafeOpenControl } = options;
  if (controlToken !== undefined && controlToken.length < minTokenLength) {
    throw new UsageError(
      `--control-token (controlToken) must be at least ${minTokenLength} characters; make one with e.g. "openssl rand -hex 16".`,
    );
  }
  if (controlToken !== undefined && unsafeOpenControl) {
    throw new UsageError(
      '--control-token and --unsafe-open-control contradict each other: the token protects the control plane, the other leaves it open. Give one.',
    );
  }
  const loopback = await isLoopbackHost(host);
  if (!loopback) refuseUnprotected(options);
  const exposure: Exposure = {
    loopback,
    openControl: !loopback && controlToken === undefined,
    ...(controlToken !== undefined ? { controlToken } : {}),
  };
  const warnings = exposure.openControl
    ? [
        `warning: --unsafe-open-control: the control plane (/__gb/) is open to anyone who can reach ${host}: they can create coupons at your endpoint with its credentials, credit points, read the delivery log and reset the state. Give --control-token instead to require a token.`,
      ]
    : [];
  return { exposure, warnings };
}

function refuseUnprotected({ host, controlToken, unsafeOpenControl, apiKey, secretKey }: ExposureOptions): void {
  const beyond = `--host ${host} is not a loopback address (127.0.0.0/8, ::1, localhost), so the stand-in would be reachable from other machines`;
  if (controlToken === undefined && !unsafeOpenControl) {
    throw new UsageError(
      `${beyond}, and its control plane (/__gb/) creates coupons at your endpoint with your credentials, credits points and resets the state. Protect it with --control-token <token> (controlToken; at least ${minTokenLength} characters, also read from GB_COUPON_CONTROL_TOKEN; callers send "Authorization: Bearer <token>"), or pass --unsafe-open-control (unsafeOpenControl) to leave it open on purpose.`,
    );
  }
  if (!apiKey || !secretKey) {
    throw new UsageError(
      `${beyond}, and without the account keys it would accept any key for Gameball's operations. Give --api-key and --secret-key (apiKey, secretKey; also read from GAMEBALL_API_KEY and GAMEBALL_SECRET_KEY).`,
    );
  }
}

/** True when every address the host resolves to is a loopback address. A failed lookup is thrown. */
async function isLoopbackHost(host: string): Promise<boolean> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (bare === '') return false;
  if (isIP(bare)) return isLoopbackAddress(bare);
  const addresses = await lookup(bare, { all: true });
  return addresses.length > 0 && addresses.every((a) => isLoopbackAddress(a.address));
}

/** 127.0.0.0/8, ::1, and IPv4-mapped 127.x.y.z; `localhost` by name. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) !== 6) return false;
  // The URL parser writes every spelling of an IPv6 address in one compressed form.
  const canonical = new URL(`http://[${bare}]/`).hostname;
  return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}

/** Lets a request reach the control plane, or throws Gameball's 401/403. */
export function checkControlAccess(headers: IncomingHttpHeaders, exposure: Exposure): void {
  if (exposure.controlToken !== undefined) {
    const presented = /^bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    if (presented === undefined || !sameSecret(presented, exposure.controlToken)) {
      throw controlRefused(
        401,
        'The control plane (/__gb/) needs "Authorization: Bearer <token>" with the token the stand-in was started with (--control-token).',
      );
    }
    return;
  }
  if (exposure.openControl) return;
  // Open on loopback, to this machine's programs; a browser names the page's origin and the host it
  // thinks it reached, and neither is loopback when a web page is driving it.
  const origin = headers.origin;
  if (origin !== undefined && !isLoopbackAddress(hostnameOf(origin.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')))) {
    throw controlRefused(
      403,
      `The control plane (/__gb/) does not answer web pages of other origins (Origin ${origin}).`,
    );
  }
  const host = headers.host;
  if (host !== undefined && !isLoopbackAddress(hostnameOf(host))) {
    throw controlRefused(
      403,
      `The control plane (/__gb/) answers requests for a loopback host only (Host ${host}); give --control-token to serve it by another name.`,
    );
  }
}

/** The host name of a Host header or an origin without its scheme ("127.0.0.1:4010", "[::1]:80"). */
function hostnameOf(authority: string): string {
  try {
    return new URL(`http://${authority}`).hostname;
  } catch {
    return '';
  }
}

/** Compared as digests, so that neither the content nor the length of the token leaks through timing. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
