// Graceful shutdown without resets. http.Server.close() also closes idle keep-alive sockets at once,
// and a client may already have sent its next request on one: that request is reset (under 50-way
// load, 30-50 of them). So, in order:
//   1. stop accepting new connections (net.Server's close, which leaves open sockets alone);
//   2. drain: for `drainMs`, requests arriving on open connections are answered as usual, with
//      `Connection: close`, so each client learns to reconnect elsewhere after its answer;
//   3. close the sockets that are idle now, and end slow clients (a request whose body has not
//      fully arrived by then);
//   4. wait for in-flight requests to finish, at most until `timeoutMs` after the start, then cut
//      whatever is left.
import type http from 'node:http';
import net from 'node:net';
import type { DrainState } from './middleware/request-log.ts';

export interface ShutdownOptions {
  drainMs: number;
  timeoutMs: number;
}

export async function shutdown(server: http.Server, drain: DrainState, options: ShutdownOptions): Promise<void> {
  drain.draining = true;
  const closed = new Promise<void>((resolve) => {
    net.Server.prototype.close.call(server, () => resolve());
  });
  const timers: NodeJS.Timeout[] = [];
  const drainMs = Math.min(options.drainMs, options.timeoutMs);
  timers.push(
    setTimeout(() => {
      server.closeIdleConnections();
      for (const request of drain.reading) if (!request.complete) request.socket.destroy();
    }, drainMs),
    setTimeout(() => server.closeAllConnections(), options.timeoutMs),
  );
  try {
    await closed;
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}
