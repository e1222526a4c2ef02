// How the stand-in reads a request's path, once, before routing (issue 17 item 5, issue 18): as
// Gameball does (any case, duplicate slashes, percent-encoding decoded once), and never so that a
// spelling reaches another part of it than the one it names. Targets are sent byte for byte.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../mock/index.ts';
import { expectGameballError, keys, rawRequest } from './support.ts';

let mock: RunningMock;
let lines: string[];

beforeEach(async () => {
  lines = [];
  mock = await startMock({ logLevel: 'info', log: (line) => lines.push(line), preloadPrism: false });
});
afterEach(async () => {
  await mock.stop();
});

const base = '/api/v4.0/integrations';

describe('dot segments', () => {
  it.each([
    `${base}/%2e%2e/%2e%2e/%2e%2e/__gb/deliveries`,
    `${base}/%2E./%2e%2E/%2E%2E/__gb/deliveries`,
    `${base}/../../../__gb/deliveries`,
    `${base}/./configurations/redemption`,
  ])('%s is refused with a 400 and never reaches the control plane', async (target) => {
    const answer = await rawRequest(mock.url, 'GET', target, keys);
    expectGameballError(answer, 400, 3016);
    expect(answer.body).not.toHaveProperty('deliveries');
    expect(String(answer.body?.message)).toContain('dot segment');
  });

  it('a traversal to POST /__gb/reset leaves the state alone', async () => {
    await rawRequest(
      mock.url,
      'POST',
      `${base}/customers`,
      { ...keys, 'content-type': 'application/json' },
      '{"customerId":"CUS_1"}',
    );
    const answer = await rawRequest(mock.url, 'POST', `${base}/%2e%2e/%2e%2e/%2e%2e/__gb/reset`, keys);
    expect(answer.status).toBe(400);
    expect((await rawRequest(mock.url, 'GET', `${base}/customers/CUS_1/coupons`, keys)).status).toBe(200);
  });
});

describe('percent-encoding', () => {
  it.each([
    ['a % without two hex digits', `${base}/customers/%E0%A4%A/coupons`],
    ['bytes that are not UTF-8', `${base}/customers/%C3%28/coupons`],
    ['a lone surrogate', `${base}/customers/%ED%A0%80/coupons`],
    ['a malformed query', `${base}/configurations/redemption?customerId=%FF`],
  ])('%s is a 400 with no stack trace in the log', async (_label, target) => {
    const answer = await rawRequest(mock.url, 'GET', target, keys);
    expectGameballError(answer, 400, 3016);
    expect(String(answer.body?.message)).toContain('percent-encoding');
    expect(lines.join('\n')).not.toMatch(/\n\s+at /);
    expect(lines.at(-1)).toMatch(/ GET \S+ 400 /);
  });

  it('is decoded once: %252F is the three characters %2F of a customer id, not a slash', async () => {
    const json = { ...keys, 'content-type': 'application/json' };
    await rawRequest(mock.url, 'POST', `${base}/customers`, json, '{"customerId":"CUS%2F1"}');
    expect(await rawRequest(mock.url, 'GET', `${base}/customers/CUS%252F1/coupons`, keys)).toEqual({
      status: 200,
      body: { coupons: [] },
    });
    expectGameballError(await rawRequest(mock.url, 'GET', `${base}/customers/CUS%2F1/coupons`, keys), 404, 7000);
  });
});

describe('as Gameball matches paths', () => {
  it('matches literal segments in any case and keeps the case of parameters', async () => {
    const json = { ...keys, 'content-type': 'application/json' };
    await rawRequest(mock.url, 'POST', '/API/V4.0/Integrations/Customers', json, '{"customerId":"Cus_MiXed"}');
    const listed = await rawRequest(mock.url, 'GET', '/Api/v4.0/INTEGRATIONS/customers/Cus_MiXed/Coupons', keys);
    expect(listed).toEqual({ status: 200, body: { coupons: [] } });
    // The parameter kept its case: another customer entirely.
    expectGameballError(await rawRequest(mock.url, 'GET', `${base}/customers/cus_mixed/coupons`, keys), 404, 7000);
  });

  it('matches the operations Prism serves in any case too', async () => {
    const answer = await rawRequest(mock.url, 'GET', '/api/v4.0/Integrations/LeaderBoard', keys);
    expect(answer.status).toBe(200);
  });

  it('collapses duplicate slashes', async () => {
    const answer = await rawRequest(mock.url, 'GET', '//api//v4.0///integrations/configurations//redemption', keys);
    expect(answer.status).toBe(200);
    expect(answer.body).toHaveProperty('redemptionRules');
  });

  it('reads //__gb/deliveries as the control plane it names, and logs it so', async () => {
    const answer = await rawRequest(mock.url, 'GET', '//__gb/deliveries', {});
    expect(answer).toMatchObject({ status: 200, body: { deliveries: [] } });
    expect(lines.at(-1)).toMatch(/ GET \/__gb\/deliveries 200 /);
    const shouted = await rawRequest(mock.url, 'GET', '/__GB/Deliveries', {});
    expect(shouted).toMatchObject({ status: 200, body: { deliveries: [] } });
  });
});

/** The bytes of one answer on a fresh connection, read until the stand-in closes it. */
function exchange(method: string, target: string, headers: Record<string, string> = {}): Promise<string> {
  const { hostname, port } = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`${method} ${target} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n${lines.join('')}\r\n`);
  });
}

describe('HEAD', () => {
  it.each([
    [`${base}/configurations/tiers`, keys],
    [`${base}/CONFIGURATIONS/tiers`, keys],
    [`${base}/configurations/tiers`, {}],
    [`${base}/customers/NOBODY/balance`, keys],
    ['/__gb/deliveries', {}],
  ])('answers HEAD %s as GET would, without the body', async (target, headers) => {
    const [get, head] = [await exchange('GET', target, headers), await exchange('HEAD', target, headers)];
    const [getHead, getBody] = get.split('\r\n\r\n');
    const [headHead, headBody] = head.split('\r\n\r\n');
    const comparable = (text: string) => text.split('\r\n').filter((line) => !/^(date|x-request-id):/i.test(line));
    expect(comparable(headHead!)).toEqual(comparable(getHead!));
    expect(getBody!.length).toBeGreaterThan(0);
    expect(headBody).toBe('');
  });
});
