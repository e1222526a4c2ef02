// A command's server could not listen: the address or the port is the user's to change, so it is a
// usage error that names them (gb-coupon mock; gb-coupon serve words its own the same way).
import { UsageError } from '../core/errors.ts';

/**
 * The UsageError for a failure to listen at `host:port`, or undefined when `error` is something
 * else. `suspect` says what may hold a port in use (e.g. "another mock or Prism?").
 */
export function listenError(
  error: unknown,
  at: { host: string; port: number },
  suspect?: string,
  /** How to choose another port with this command. */
  choose = 'with --port (0 picks a free one)',
): UsageError | undefined {
  const { code = '', syscall, message = '' } = error as { code?: string; syscall?: string; message?: string };
  if (code === 'EADDRINUSE') {
    return new UsageError(
      `Port ${at.port} on ${at.host} is in use${suspect ? ` (${suspect})` : ''}; choose another ${choose}.`,
    );
  }
  // Listening fails with syscall "listen", or in the DNS lookup of the host before it.
  if (syscall === 'listen' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new UsageError(
      `Cannot listen on ${at.host}:${at.port}: ${message.replace(/\.?$/, '.')} Use an address of this machine (e.g. 127.0.0.1 or 0.0.0.0) and a free port.`,
    );
  }
  return undefined;
}
