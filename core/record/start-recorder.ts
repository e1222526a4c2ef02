// `gb-coupon record` as a library: a reverse proxy (node:http) between Gameball and the merchant's
// coupon endpoint, or the answerer itself (--respond) when there is no endpoint yet. Each delivery
// is forwarded unchanged and its exchange appended to a cassette (core/cassette), with credential
// values redacted and the kit's one judge's verdict on the answer.
//
//   const recorder = await startRecorder({ forward: 'http://127.0.0.1:3000/coupons', cassette: 'gb.jsonl' });
//   // point Gameball (or gb-coupon mock) at recorder.url, then
//   await recorder.stop();
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExchangeRecord } from '../cassette/cassette-format.ts';
import { type CassetteWriter, openCassette } from '../cassette/cassette-writer.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../http/send-request.ts';
import { redactedMark } from '../redact/redact-credentials.ts';
import { forwardBase } from './forward-delivery.ts';
import { type DeliverySettings, handleDelivery } from './handle-delivery.ts';
import type { Respond } from './own-answer.ts';
import { forwardSecrets, redactReceived } from './redact-received.ts';

export interface RecorderOptions {
  /** The merchant endpoint to forward to; give this or `respond`. */
  forward?: string;
  /** Answer deliveries here instead of forwarding them (core/record/own-answer.ts). */
  respond?: Respond;
  /** The cassette file, created or appended to. */
  cassette: string;
  /** Default 127.0.0.1 (loopback): what reaches the recorder reaches the endpoint. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Header names always redacted, besides those that look like credentials. */
  redact?: readonly string[];
  /** Time for the endpoint's whole answer (default 30,000 ms). */
  timeoutMs?: number;
  /** Keep at most this much of a body (default 1 MiB); a larger delivery is refused with 413. */
  maxBodyBytes?: number;
  /** Called once per delivery, when its record is on disk. */
  onDelivery?: (record: ExchangeRecord) => void;
  /** Called when the cassette cannot be written (a full disk): deliveries are still forwarded. */
  onWriteError?: (message: string) => void;
}

export interface RunningRecorder {
  /** e.g. http://127.0.0.1:4020 */
  url: string;
  port: number;
  cassette: string;
  /** The forward URL as the cassette shows it (credentials redacted), for a banner. */
  forward?: string;
  /** What opening the cassette did (appended to it, cut off a torn line). */
  notes: string[];
  /** Exchanges recorded so far in this session. */
  recorded(): number;
  /** Stops accepting, waits for the deliveries in flight, closes the cassette with its end line. Idempotent. */
  stop(): Promise<void>;
}

export async function startRecorder(options: RecorderOptions): Promise<RunningRecorder> {
  const forward = options.forward === undefined ? undefined : new URL(options.forward);
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer();
  await listen(server, host, options.port ?? 0);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  let writer: CassetteWriter;
  let notes: string[];
  try {
    ({ writer, notes } = await openCassette(options.cassette, sessionOf(options, forward, url)));
  } catch (error) {
    server.close();
    throw error;
  }
  const inFlight = new Set<Promise<void>>();
  const settings: DeliverySettings = {
    forward: forward && forwardBase(forward),
    shownForward: forward && forwardBase(shownUrl(forward)),
    respond: options.respond ?? { kind: 'default' },
    redact: options.redact ?? [],
    secrets: forward ? forwardSecrets(forward) : [],
    limits: { timeoutMs: options.timeoutMs ?? 30_000, maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES },
  };
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const handled = handleDelivery(request, response, settings, writer, options).finally(() =>
      inFlight.delete(handled),
    );
    inFlight.add(handled);
  });
  let stopping: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    cassette: options.cassette,
    ...(forward ? { forward: shownText(forward) } : {}),
    notes,
    recorded: () => writer.recorded,
    stop: () => {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.allSettled([...inFlight]);
        server.closeAllConnections();
        await closed;
        await writer.close();
      })();
      return stopping;
    },
  };
}

/**
 * The forward URL as the cassette and console may show it: its user-info (sent as Basic auth; a
 * user name alone is often the key) and credential query values redacted.
 */
function shownUrl(forward: URL): URL {
  const shown = new URL(redactReceived('POST', forward.toString(), {}, []).url);
  if (shown.username || shown.password) {
    shown.username = redactedMark;
    shown.password = '';
  }
  return shown;
}

/** The shown forward URL as text, the redaction mark readable rather than percent-encoded. */
function shownText(forward: URL): string {
  return shownUrl(forward).toString().replaceAll(encodeURIComponent(redactedMark), redactedMark);
}

function sessionOf(options: RecorderOptions, forward: URL | undefined, url: string) {
  return {
    source: 'record' as const,
    listen: url,
    ...(forward ? { forward: shownText(forward) } : {}),
    ...(options.respond && !forward
      ? { respond: options.respond.kind === 'default' ? 'default' : options.respond.file }
      : {}),
    redact: [...(options.redact ?? [])],
  };
}

function listen(server: http.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
