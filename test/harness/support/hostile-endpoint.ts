// An endpoint that attacks the tool judging it: huge or endless bodies, bodies that stop half-way,
// bytes that are not UTF-8, text aimed at report writers. Each answer is a function of the request,
// so a test decides exactly what comes back.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface HostileEndpoint {
  url: string;
  /** How many connections the endpoint saw closed by the client before its answer ended. */
  droppedByClient(): number;
  close(): Promise<void>;
}

export type Answer = (response: ServerResponse, request: IncomingMessage, body: string) => void;

export async function startHostileEndpoint(answer: Answer): Promise<HostileEndpoint> {
  const sockets = new Set<Socket>();
  let dropped = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => answer(res, req, Buffer.concat(chunks).toString('utf8')));
    res.on('close', () => {
      if (!res.writableFinished) dropped++;
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/coupons`,
    droppedByClient: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const CHUNK = Buffer.alloc(64 * 1024, '<p>error</p>\n');

/** Streams `bytes` of an HTML error page (Infinity: until the client goes away), respecting backpressure. */
export function streamBody(res: ServerResponse, status: number, bytes: number): void {
  res.writeHead(status, { 'content-type': 'text/html' });
  let left = bytes;
  res.on('close', () => {
    left = 0;
  });
  const write = (): void => {
    while (left > 0) {
      const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', write);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  write();
}

/** Sends the status line, the headers and `head` of the body, then nothing more, keeping the connection open. */
export function stallBody(res: ServerResponse, status: number, head: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.write(head);
}
