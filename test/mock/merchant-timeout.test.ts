// The stand-in's merchant timeout counts the merchant's time, not its own: when the stand-in's event
// loop was busy (Prism loading at start takes it for 100 ms and more, several times that on a
// loaded machine) while the merchant answered, the answer that arrived is taken, not reported as
// "no answer within N ms". This made `a campaign award calls the merchant...` answer 502 under load.
// The merchant runs in a worker thread, so it answers while the stand-in's thread is busy.
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mock/index.ts';
import { gameballClient } from './support.ts';

// The merchant: on a request it raises `received`, waits for the stand-in's thread to say it is
// busy, then answers and raises `answered` once the answer is written to the socket.
const merchantSource = `
const { createServer } = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const flags = new Int32Array(workerData);
const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const code = /"code":"([^"]+)"/.exec(Buffer.concat(chunks).toString())[1];
    Atomics.store(flags, 0, 1);
    Atomics.wait(flags, 1, 0);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ couponCode: code }), () => Atomics.store(flags, 2, 1));
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
`;

const received = 0;
const busy = 1;
const answered = 2;
const timeoutMs = 300;

let worker: Worker;
let flags: Int32Array;
let port: number;
let mock: RunningMock;

beforeAll(async () => {
  const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  flags = new Int32Array(shared);
  worker = new Worker(merchantSource, { eval: true, workerData: shared });
  port = await new Promise<number>((resolve) => worker.once('message', resolve));
  mock = await startMock({ logLevel: 'silent', preloadPrism: false, merchantTimeoutMs: timeoutMs });
});
afterAll(async () => {
  await mock.stop();
  await worker.terminate();
});

/**
 * Keeps this thread (the stand-in's) busy from the moment the merchant has the request until well
 * past the merchant timeout and the answer is on the socket: what a long synchronous task does.
 */
function stallWhenTheMerchantAnswers(): void {
  if (Atomics.load(flags, received) === 0) {
    setImmediate(stallWhenTheMerchantAnswers);
    return;
  }
  const until = performance.now() + 3 * timeoutMs;
  Atomics.store(flags, busy, 1);
  Atomics.notify(flags, busy);
  while (performance.now() < until || Atomics.load(flags, answered) === 0) {
    // busy, as the stand-in's thread is while Prism loads
  }
}

describe('the merchant timeout', () => {
  it('takes an answer that arrived while the stand-in was busy, instead of reporting a timeout', async () => {
    const gb = gameballClient(mock.url);
    const payload = '{"code":"{{code}}","customer":"{{playerUniqueId}}"}';
    await gb.putConfiguration({ url: `http://127.0.0.1:${port}/coupons`, method: 'POST', payload });
    setImmediate(stallWhenTheMerchantAnswers);
    const awarded = await gb.control('POST', '/__gb/campaigns/award', {
      customerId: 'CUS_20931',
      couponType: 'fixed',
      value: 20,
    });
    expect(awarded.body).toMatchObject({ customerId: 'CUS_20931' });
    expect(awarded.status).toBe(200);
  });
});
