// The server's logger: pino, one JSON line per event, with credentials redacted wherever they
// could appear (request headers, the options logged at start-up).
import { type DestinationStream, type Level, type Logger, pino } from 'pino';

export type { Logger };

export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-gb-signature"]',
  'req.headers["x-api-key"]',
  'options.token',
  'options.signingSecret',
];

export interface LoggerOptions {
  level?: Level | 'silent';
  /** Where the lines go; standard output when omitted. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'gb-coupon-server' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** A logger that writes nothing, for embedding the server where its output would be noise. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
