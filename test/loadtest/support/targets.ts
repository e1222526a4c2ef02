// Small merchant endpoints for load tests, in-process on 127.0.0.1 free ports: each answers the
// coupon delivery as told (slow, failing, without the code, stalling, forgetting) and records when
// each request arrived.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach } from 'vitest';

export interface TargetRequest {
  arrivedAt: number;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  code?: string;
}

export interface Target {
  url: string;
  requests: TargetRequest[];
  close(): Promise<void>;
}

export type Answer = (request: TargetRequest, index: number, res: ServerResponse) => void;

/** 200 with the contract's answer, as the reference server gives it. */
export const accept: Answer = (request, _index, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ couponCode: request.code }));
};

/**
 * A merchant that stores the codes it acknowledges, except those `forgets` picks by request index,
 * and answers a lookup (GET …/{code}) 200 with the coupon for a stored code and 404 for any other.
 */
export function storing(stored: Set<string>, forgets: (index: number) => boolean = () => false): Answer {
  return (request, index, res) => {
    if (request.method === 'GET') {
      const code = decodeURIComponent(request.url.split('/').at(-1)!);
      const found = stored.has(code);
      res
        .writeHead(found ? 200 : 404, { 'content-type': 'application/json' })
        .end(JSON.stringify(found ? { couponCode: code } : { code: 'not_found' }));
      return;
    }
    if (!forgets(index)) stored.add(request.code!);
    accept(request, index, res);
  };
}

/** startTarget for a test file: every target it starts is closed after each test. */
export function targetsClosedAfterEach(): (answer: Answer) => Promise<Target> {
  const started: Target[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.close()));
  });
  return async (answer) => {
    const target = await startTarget(answer);
    started.push(target);
    return target;
  };
}

export async function startTarget(answer: Answer): Promise<Target> {
  const requests: TargetRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      let code: string | undefined;
      try {
        code = (JSON.parse(body) as { code?: string }).code;
      } catch {
        code = undefined;
      }
      const request: TargetRequest = {
        arrivedAt: performance.now(),
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        ...(code !== undefined ? { code } : {}),
      };
      if (req.method === 'POST') requests.push(request);
      answer(request, requests.length - 1, res);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/coupons`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
