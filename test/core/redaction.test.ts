// The one redaction (core/redact/): every secret a run holds, by value, in every form it is written
// in; a short value hidden only where it stands; a request and a configuration as reports show them.
import { describe, expect, it } from 'vitest';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { redactConfiguration, redactCredentials } from '../../core/redact/redact-credentials.ts';
import { createRedactor, minimumSecretLength, showingSecrets } from '../../core/redact/redactor.ts';
import { redactorFor, secretValues } from '../../core/redact/secret-values.ts';

const config: CouponConfiguration = {
  url: 'https://shop-user:p%40ss-Word-1@shop.example/hooks/coupons?sig=inline-signature-1',
  method: 'POST',
  headers: [
    { key: 'Authorization', value: 'Bearer bearer-token-123' },
    { key: 'X-Shop-Credential', value: 'shop credential/+=' },
    { key: 'X-Store', value: 'eg' },
    { key: 'Content-Type', value: 'application/json' },
  ],
  queryParams: [{ key: 'key', value: 'query secret&more' }],
};

describe('secretValues', () => {
  it('collects every header and query value, the user-info, the signing secret, the lookup and keys, by value', () => {
    const values = secretValues({
      config,
      signingSecret: 'signing-secret-9',
      lookup: 'GET https://look-user:look-pass-7@shop.example/coupons/{code}?token=lookup-token-5',
      keys: ['gameball-api-key', undefined],
    });
    for (const expected of [
      'bearer-token-123',
      'shop credential/+=',
      'eg',
      'query secret&more',
      'inline-signature-1',
      'shop-user',
      'p@ss-Word-1',
      'p%40ss-Word-1',
      Buffer.from('shop-user:p@ss-Word-1').toString('base64'),
      'signing-secret-9',
      'look-user',
      'look-pass-7',
      'lookup-token-5',
      'gameball-api-key',
    ]) {
      expect(values).toContain(expected);
    }
    // The scheme word is not a secret, and a header describing the body is none.
    expect(values).not.toContain('Bearer bearer-token-123');
    expect(values).not.toContain('application/json');
  });

  it("takes the payload template's literals named like credentials, not its other constants or placeholders", () => {
    const payload =
      '{"code":"{{code}}","value":{{value}},"shop":"eg-store-main","auth":{"apiKey":"body-api-key-1","client_secret":"Bearer body-secret-\\"2"},"accessToken":"{{playerUniqueId}}","password": "body-pass-3"}';
    const values = secretValues({ config: { url: 'https://shop.example/coupons', method: 'POST', payload } });
    expect(values).toEqual(['body-api-key-1', 'body-secret-"2', 'body-pass-3']);
    const shown = redactorFor({ config: { url: 'https://shop.example/coupons', method: 'POST', payload } });
    expect(shown.text('{"apiKey":"body-api-key-1","shop":"eg-store-main"}')).toBe(
      '{"apiKey":"<redacted>","shop":"eg-store-main"}',
    );
  });

  it('reads a member name word by word: a kind of key or a credential word last, not any name with "key" in it', () => {
    const named = (name: string) =>
      secretValues({
        config: { url: 'https://shop.example/coupons', method: 'POST', payload: `{"${name}":"value-of-${name}"}` },
      });
    for (const name of ['apiKey', 'x-api-key', 'API_KEY', 'secretKey', 'privateKey', 'clientSecret', 'refresh_token']) {
      expect(named(name), name).toEqual([`value-of-${name}`]);
    }
    for (const name of [
      'apiKey2',
      'API_KEY_V2',
      'APIToken',
      'HMACKey',
      'secretkey',
      'privateKeyPem',
      'encryptionKey',
    ]) {
      expect(named(name), name).toEqual([`value-of-${name}`]);
    }
    for (const name of ['password', 'passwd', 'signature', 'auth', 'Authorization', 'apikey', 'credentials']) {
      expect(named(name), name).toEqual([`value-of-${name}`]);
    }
    for (const name of ['key', 'couponKey', 'keyword', 'monkey', 'keyPrefix', 'tokenType', 'signatureAlgorithm']) {
      expect(named(name), name).toEqual([]);
    }
    expect(named('author')).toEqual([]);
  });

  it('reads a Basic header as the base64 and what it decodes to', () => {
    const basic = Buffer.from('merchant:basic-password').toString('base64');
    const values = secretValues({
      config: { ...config, headers: [{ key: 'Authorization', value: `Basic ${basic}` }] },
    });
    expect(values).toEqual(expect.arrayContaining([basic, 'merchant:basic-password', 'basic-password']));
  });
});

describe('createRedactor', () => {
  const redactor = createRedactor(['shop credential/+=', 'eg', 'p@ss-Word-1']);

  it('replaces a secret as it is, percent-encoded, form-encoded, JSON- and HTML-escaped and base64', () => {
    const secret = 'shop credential/+=';
    const written = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams([['', secret]]).toString().slice(1),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
    ];
    for (const form of written) expect(redactor.text(`echo: ${form}!`)).toBe('echo: <redacted>!');
    expect(redactor.text(JSON.stringify({ echo: 'say "p@ss-Word-1"' }))).toBe('{"echo":"say \\"<redacted>\\""}');
  });

  it(`leaves a value shorter than ${minimumSecretLength} characters in free text: it would take unrelated text with it`, () => {
    expect(redactor.text('legs, eggs and the region')).toBe('legs, eggs and the region');
  });

  it("replaces the run's user-info, a short user name with its password, and leaves any other URL's alone", () => {
    const run = redactorFor({ config: { url: 'http://u:long-password-1@h/x', method: 'POST' } });
    expect(run.text('GET http://u:long-password-1@h/x failed')).toBe('GET http://<redacted>@h/x failed');
    expect(run.text('write it as postgres://user:password@host:5432/db')).toBe(
      'write it as postgres://user:password@host:5432/db',
    );
  });

  it('copies a report with every string and key redacted, shared parts still shared; --show-secrets changes nothing', () => {
    const shared = { curl: "curl -H 'x: shop credential/+='" };
    const report = { first: shared, again: shared, list: ['p@ss-Word-1', 3, null], 'p@ss-Word-1': true };
    const copy = redactor.deep(report);
    expect(copy).toEqual({
      first: { curl: "curl -H 'x: <redacted>'" },
      again: { curl: "curl -H 'x: <redacted>'" },
      list: ['<redacted>', 3, null],
      '<redacted>': true,
    });
    expect(copy.first).toBe(copy.again);
    expect(report.first.curl).toContain('shop credential');
    expect(showingSecrets.deep(report)).toBe(report);
  });
});

describe('redactCredentials and redactConfiguration', () => {
  it('hide every configured value where it stands, short ones included, and the user-info; the scheme word stays', () => {
    const request = {
      method: 'POST',
      url: 'https://shop-user:p%40ss-Word-1@shop.example/hooks/coupons?sig=inline-signature-1&key=query+secret%26more&page=2',
      headers: {
        authorization: 'Bearer bearer-token-123',
        'x-shop-credential': 'shop credential/+=',
        'x-store': 'eg',
        'content-type': 'application/json',
      },
      body: '{"echo":"shop credential/+="}',
    };
    const shown = redactCredentials(request, config, redactorFor({ config }));
    expect(shown.url).toBe('https://<redacted>@shop.example/hooks/coupons?sig=<redacted>&key=<redacted>&page=2');
    expect(shown.headers).toEqual({
      authorization: 'Bearer <redacted>',
      'x-shop-credential': '<redacted>',
      'x-store': '<redacted>',
      'content-type': 'application/json',
    });
    expect(shown.body).toBe('{"echo":"<redacted>"}');

    const printed = redactConfiguration(config);
    expect(printed.url).toBe('https://<redacted>@shop.example/hooks/coupons?sig=<redacted>');
    expect(printed.headers!.map((h) => h.value)).toEqual([
      'Bearer <redacted>',
      '<redacted>',
      '<redacted>',
      'application/json',
    ]);
    expect(printed.queryParams).toEqual([{ key: 'key', value: '<redacted>' }]);
  });

  it("hide the payload template's credential members where they stand, short ones included", () => {
    const payload = '{"code":"{{code}}","apiKey": "k-1234","auth":"Bearer t0k","secret":"s\\"q","shop":"eg"}';
    const withBody: CouponConfiguration = { url: 'https://shop.example/coupons', method: 'POST', payload };
    const body = payload.replace('{{code}}', 'GB-1');
    const shown = redactCredentials({ method: 'POST', url: withBody.url, headers: {}, body }, withBody);
    expect(shown.body).toBe(
      '{"code":"GB-1","apiKey": "<redacted>","auth":"Bearer <redacted>","secret":"<redacted>","shop":"eg"}',
    );
    expect(redactConfiguration(withBody).payload).toBe(
      '{"code":"{{code}}","apiKey": "<redacted>","auth":"Bearer <redacted>","secret":"<redacted>","shop":"eg"}',
    );
    // A GET sends the members as query parameters: hidden there too.
    const get = { ...withBody, method: 'GET' as const, payload: '{"code":"{{code}}","apiKey":"k-1234"}' };
    const sent = { method: 'GET', url: 'https://shop.example/coupons?code=GB-1&apiKey=k-1234', headers: {} };
    expect(redactCredentials(sent, get).url).toBe('https://shop.example/coupons?code=GB-1&apiKey=<redacted>');
    // A name with $ in it is text, not a replacement pattern.
    const dollars = { ...withBody, payload: '{"x$&_api_key":"abc-$1-long"}' };
    expect(redactConfiguration(dollars).payload).toBe('{"x$&_api_key":"<redacted>"}');
  });
});
