// Who can drive the stand-in (issue 18): its control plane mints coupons at the merchant with the
// merchant's credentials, so it is open to this machine only, to no web page, and behind a token
// wherever it is given one; the configuration's credentials are not handed to just any key.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackAddress } from '../../mock/exposure.ts';
import { type RunningMock, startMock } from '../../mock/index.ts';
import { expectGameballError, keys, type RecordingMerchant, rawRequest, startRecordingMerchant } from './support.ts';

let merchant: RecordingMerchant;
const running: RunningMock[] = [];

beforeAll(async () => {
  merchant = await startRecordingMerchant();
});
afterAll(async () => {
  await merchant.close();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((mock) => mock.stop()));
  merchant.requests.length = 0;
});

async function start(options: Parameters<typeof startMock>[0] = {}): Promise<RunningMock> {
  const mock = await startMock({ logLevel: 'silent', preloadPrism: false, ...options });
  running.push(mock);
  return mock;
}

const token = 'a-control-token-of-32-characters';
const award = JSON.stringify({ customerId: 'CUS_20931', couponType: 'fixed', value: 1_000_000 });
const json = { 'content-type': 'application/json' };

describe('on a loopback host without a token', () => {
  it('answers the programs of this machine', async () => {
    const mock = await start();
    expect(await rawRequest(mock.url, 'GET', '/__gb/deliveries')).toMatchObject({ status: 200 });
  });

  it('refuses a web page of another origin (a cross-site form POST) and calls no merchant', async () => {
    const mock = await start();
    const put = { ...keys, ...json };
    await rawRequest(
      mock.url,
      'PUT',
      '/api/v4.0/integrations/configurations/coupon',
      put,
      JSON.stringify({ url: merchant.url, method: 'POST' }),
    );
    const headers = { origin: 'https://attacker.example', 'content-type': 'text/plain' };
    const answer = await rawRequest(mock.url, 'POST', '/__gb/campaigns/award', headers, award);
    expectGameballError(answer, 403, 1002);
    expect(merchant.requests).toHaveLength(0);
  });

  it('refuses a request for another host name (DNS rebinding)', async () => {
    const mock = await start();
    const answer = await rawRequest(mock.url, 'POST', '/__gb/reset', { host: `rebound.attacker.example:${mock.port}` });
    expectGameballError(answer, 403, 1002);
  });

  it('answers a local page and a loopback Host by any loopback name', async () => {
    const mock = await start();
    const local = { origin: 'http://localhost:3000', host: `localhost:${mock.port}` };
    expect((await rawRequest(mock.url, 'GET', '/__gb/deliveries', local)).status).toBe(200);
    expect((await rawRequest(mock.url, 'GET', '/__gb/deliveries', { host: `[::1]:${mock.port}` })).status).toBe(200);
  });
});

describe('with a control token', () => {
  it('refuses every control operation without "Authorization: Bearer <token>", with Gameball\'s error body', async () => {
    const mock = await start({ controlToken: token });
    for (const [method, path, body] of [
      ['GET', '/__gb/deliveries', undefined],
      ['POST', '/__gb/campaigns/award', award],
      ['POST', '/__gb/customers/CUS_1/points', '{"points":999999999}'],
      ['POST', '/__gb/reset', undefined],
    ] as const) {
      expectGameballError(await rawRequest(mock.url, method, path, json, body), 401, 1000);
      const wrong = { ...json, authorization: `Bearer ${token.slice(0, -1)}x` };
      expectGameballError(await rawRequest(mock.url, method, path, wrong, body), 401, 1000);
    }
    const right = await rawRequest(mock.url, 'GET', '/__gb/deliveries', { authorization: `Bearer ${token}` });
    expect(right).toMatchObject({ status: 200, body: { deliveries: [] } });
  });

  it("leaves Gameball's operations to the account keys", async () => {
    const mock = await start({ controlToken: token });
    const answer = await rawRequest(mock.url, 'GET', '/api/v4.0/integrations/configurations/redemption', keys);
    expect(answer.status).toBe(200);
  });

  it('refuses a token shorter than 16 characters, and a token together with unsafeOpenControl', async () => {
    await expect(start({ controlToken: 'short' })).rejects.toThrow(/at least 16 characters/);
    await expect(start({ controlToken: token, unsafeOpenControl: true })).rejects.toThrow(/contradict/);
  });
});

describe('the account keys', () => {
  it('are required on the operations Prism answers too: no other key is taken', async () => {
    const mock = await start({ apiKey: keys.apikey, secretKey: keys.secretkey });
    const path = '/api/v4.0/integrations/leaderboard';
    expectGameballError(await rawRequest(mock.url, 'GET', path, { ...keys, apikey: 'a-guessed-key' }), 401, 1000);
    expect((await rawRequest(mock.url, 'GET', path, keys)).status).toBe(200);
  });
});

describe('which hosts are loopback', () => {
  it('takes 127.0.0.0/8, ::1 in any spelling and localhost for loopback, and nothing else', () => {
    for (const address of [
      '127.0.0.1',
      '127.0.0.2',
      '127.255.255.254',
      '::1',
      '0:0:0:0:0:0:0:1',
      '[::1]',
      '::ffff:127.0.0.1',
      'localhost',
      'LOCALHOST',
    ]) {
      expect(isLoopbackAddress(address), address).toBe(true);
    }
    for (const address of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '192.168.1.20',
      '128.0.0.1',
      '::ffff:10.0.0.1',
      'example.com',
      '',
    ]) {
      expect(isLoopbackAddress(address), address).toBe(false);
    }
  });

  it('starts on 127.0.0.2 and localhost without a token or keys', async () => {
    const second = await start({ host: '127.0.0.2' });
    expect(second.host).toBe('127.0.0.2');
    expect((await rawRequest(second.url, 'GET', '/__gb/deliveries')).status).toBe(200);
    const named = await start({ host: 'localhost' });
    expect(isLoopbackAddress(named.host)).toBe(true);
  });

  it('refuses to start on a host that is not loopback without a token and the keys', async () => {
    await expect(start({ host: '0.0.0.0' })).rejects.toThrow(/not a loopback address.*--control-token/);
    await expect(start({ host: '0.0.0.0', controlToken: token })).rejects.toThrow(/--api-key and --secret-key/);
    await expect(start({ host: '0.0.0.0', unsafeOpenControl: true })).rejects.toThrow(/--api-key and --secret-key/);
  });
});

describe('GET /configurations/coupon', () => {
  const configuration = {
    url: 'http://shop-user:shop-PASSWORD-1@127.0.0.1:9/gameball/coupons',
    method: 'POST',
    headers: [
      { key: 'Authorization', value: 'Bearer shop-BEARER-2' },
      { key: 'X-Shop-Credential', value: 'shop-CREDENTIAL-3' },
    ],
    queryParams: [{ key: 'store', value: 'shop-QUERY-4' }],
  };

  it('without both account keys, answers the configuration with its credential values redacted', async () => {
    const mock = await start({ apiKey: keys.apikey });
    const put = { ...keys, ...json };
    const path = '/api/v4.0/integrations/configurations/coupon';
    expect((await rawRequest(mock.url, 'PUT', path, put, JSON.stringify(configuration))).status).toBe(200);
    const answer = await rawRequest(mock.url, 'GET', path, { ...keys, secretkey: 'any-key-at-all' });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).not.toMatch(/shop-(PASSWORD|BEARER|CREDENTIAL|QUERY)/);
    expect(answer.body).toMatchObject({
      url: 'http://<redacted>@127.0.0.1:9/gameball/coupons',
      headers: [
        { key: 'Authorization', value: '<redacted>' },
        { key: 'X-Shop-Credential', value: '<redacted>' },
      ],
      queryParams: [{ key: 'store', value: '<redacted>' }],
    });
  });

  it('with both account keys, answers it as it was PUT, and the merchant still gets the real values', async () => {
    const mock = await start({ apiKey: keys.apikey, secretKey: keys.secretkey });
    const path = '/api/v4.0/integrations/configurations/coupon';
    const stored = { ...configuration, url: merchant.url };
    await rawRequest(mock.url, 'PUT', path, { ...keys, ...json }, JSON.stringify(stored));
    expect(await rawRequest(mock.url, 'GET', path, keys)).toEqual({ status: 200, body: stored });
    await rawRequest(mock.url, 'POST', '/__gb/test-connection');
    expect(merchant.requests.at(-1)?.headers.authorization).toBe('Bearer shop-BEARER-2');
  });
});
