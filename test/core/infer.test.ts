// config infer and replay, on deliveries as Gameball's documents fill them: the template comes back
// from the bodies (the placeholders named as documented, constants kept, indentation kept), the open
// questions are answered from the traffic (code sent or not, signatures, retries and their spacing),
// and replay renders each recorded body again with a fresh code, or refuses a configuration that
// cannot express it.
import { describe, expect, it } from 'vitest';
import type { ExchangeRecord } from '../../core/cassette/cassette-format.ts';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import {
  defaultConfiguration,
  defaultCouponMapping,
  shippedTemplates,
} from '../../core/config/default-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import { diffCassettes } from '../../core/infer/diff-cassettes.ts';
import { inferConfiguration } from '../../core/infer/infer-configuration.ts';
import { renderDelivery } from '../../core/render/render-delivery.ts';
import { replayScenarios } from '../../core/replay/replay-scenarios.ts';
import { scenarios, scenarioValues } from '../../core/scenarios/scenarios.ts';

const start = Date.parse('2026-11-20T09:00:00Z');

interface Delivery {
  body?: unknown;
  /** The code the endpoint answered with (undefined: it answered 500). */
  answer?: string;
  minutes?: number;
  headers?: Record<string, string>;
  text?: string;
}

function cassette(deliveries: readonly Delivery[]): ExchangeRecord[] {
  return deliveries.map((delivery, i) => {
    const body = delivery.text ?? JSON.stringify(delivery.body);
    const answer = delivery.answer === undefined ? '{"error":"boom"}' : JSON.stringify({ couponCode: delivery.answer });
    return {
      type: 'exchange',
      seq: i + 1,
      time: new Date(start + (delivery.minutes ?? i) * 60_000).toISOString(),
      request: {
        method: 'POST',
        url: '/coupons?store=eg',
        headers: {
          Host: 'recorder.example',
          Authorization: 'Bearer <redacted>',
          'Content-Type': 'application/json',
          'User-Agent': 'Gameball/4.0',
          ...delivery.headers,
        },
        body,
        bodyEncoding: 'utf8',
        bodyBytes: Buffer.byteLength(body),
      },
      endpoint: 'https://shop.example/gameball/coupons?store=eg',
      response: {
        status: delivery.answer === undefined ? 500 : 200,
        headers: { 'content-type': 'application/json' },
        body: answer,
        bodyEncoding: 'utf8',
        bodyBytes: answer.length,
        from: 'endpoint',
      },
      latencyMs: 12,
      verdict: {
        accepted: delivery.answer !== undefined,
        kind: delivery.answer === undefined ? 'status-not-200' : 'accepted',
        detail: '',
        ...(delivery.answer === undefined ? {} : { code: delivery.answer }),
      },
    };
  });
}

// The API reference's example: {"customerId":"{{playerUniqueId}}","amount":"{{value}}","code":"{{code}}"}.
const apiReference = cassette([
  { body: { customerId: 'CUS_12345', amount: '50', code: '50EGPOFF', shop: 'eg' }, answer: '50EGPOFF' },
  { body: { customerId: 'CUS_777', amount: '10', code: 'GB10-Q7W3', shop: 'eg' }, answer: 'GB10-Q7W3' },
  { body: { customerId: 'CUS_12345', amount: '20', code: 'GB20-ZZ91', shop: 'eg' }, answer: 'GB20-ZZ91' },
]);

describe('config infer', () => {
  it("gives back the API reference's template, its constants, the URL, the headers and the query", () => {
    const { configuration, fields } = inferConfiguration(apiReference);
    expect(configuration).toEqual({
      url: 'https://shop.example/gameball/coupons',
      method: 'POST',
      queryParams: [{ key: 'store', value: 'eg' }],
      headers: [{ key: 'Authorization', value: 'Bearer <redacted>' }],
      payload: '{"customerId":"{{playerUniqueId}}","amount":"{{value}}","code":"{{code}}","shop":"eg"}',
    });
    const confidence = Object.fromEntries(fields.map((f) => [f.field, f.confidence]));
    expect(confidence).toMatchObject({
      method: 'high',
      payload: 'high',
      'payload /code': 'high',
      'payload /amount': 'high',
      'payload /shop': 'high',
    });
    expect(fields.find((f) => f.field === 'payload /code')!.note).toContain(
      'equals the code the endpoint answered with',
    );
    expect(fields.find((f) => f.field === 'headers Authorization')!.note).toContain('replace <redacted> with yours');
  });

  it('gives back each template the kit ships, from its deliveries with a retry among them', () => {
    for (const [name, payload] of Object.entries(shippedTemplates)) {
      const config = { ...defaultConfiguration('https://shop.example/coupons', 'token'), payload };
      const merchantCode = !payload.includes('{{code}}');
      const deliveries = scenarios.map((scenario, i): Delivery => {
        const code = `${scenario.codePrefix}-CODE${i}`;
        const body = JSON.parse(renderDelivery(config, scenarioValues(scenario, code)).body!);
        return { body, answer: merchantCode ? `SHOP-${i}` : code };
      });
      // Gameball sends the first delivery again (a retry); without {{code}} the merchant answers a new code.
      deliveries.push({ ...deliveries[0]!, answer: merchantCode ? 'SHOP-AGAIN' : deliveries[0]!.answer! });
      const { configuration, findings } = inferConfiguration(cassette(deliveries));
      expect(configuration.payload, name).toBe(payload);
      expect(configuration.couponMapping, name).toEqual(defaultCouponMapping);
      expect(findings.codeSent.answer, name).toBe(merchantCode ? 'no' : 'yes');
      expect(findings.retries.repeated, name).toBe(1);
    }
  });

  it("names the tutorial's fields as documented, maps the type names, and keeps the body's indentation", () => {
    const tutorial = cassette([
      {
        text: JSON.stringify({ code: 'GB-1', value: '10', couponType: 'percentage_discount' }, null, 2),
        answer: 'GB-1',
      },
      { text: JSON.stringify({ code: 'GB-2', value: '20', couponType: 'fixed_discount' }, null, 2), answer: 'GB-2' },
    ]);
    const { configuration, findings } = inferConfiguration(tutorial);
    expect(configuration.payload).toBe(
      '{\n  "code": "{{code}}",\n  "value": "{{value}}",\n  "couponType": "{{discount_type}}"\n}',
    );
    expect(configuration.couponMapping).toMatchObject({ percentage: 'percentage_discount', fixed: 'fixed_discount' });
    expect(findings.placeholders).toEqual({ documented: ['code', 'value', 'discount_type'], kitOwn: [] });
  });

  it('names a nested customer id and code by their owners, and keeps a nested constant', () => {
    const nested = cassette([
      { body: { customer: { id: 'CUS_1', tier: 'gold' }, coupon: { code: 'GB-N1', value: 10 } }, answer: 'GB-N1' },
      { body: { customer: { id: 'CUS_2', tier: 'gold' }, coupon: { code: 'GB-N2', value: 25 } }, answer: 'GB-N2' },
    ]);
    const { configuration, fields } = inferConfiguration(nested);
    expect(JSON.parse(configuration.payload!.replace('{{value}}', '0'))).toEqual({
      customer: { id: '{{playerUniqueId}}', tier: 'gold' },
      coupon: { code: '{{code}}', value: 0 },
    });
    expect(configuration.payload).toContain('"value":{{value}}');
    expect(fields.find((f) => f.field === 'payload /customer/id')).toMatchObject({ confidence: 'high' });
    // An id under an owner that is not a customer stays what it was.
    const order = cassette([
      { body: { order: { id: 'O-1' }, code: 'GB-O1' }, answer: 'GB-O1' },
      { body: { order: { id: 'O-2' }, code: 'GB-O2' }, answer: 'GB-O2' },
    ]);
    expect(inferConfiguration(order).configuration.payload).toBe('{"order":{"id":"O-1"},"code":"{{code}}"}');
    // Nor does a fixed account id ahead of the customer's: the changing customerId is the customer.
    const account = cassette([
      { body: { account: { id: 'ACC-SHOP-1' }, customerId: 'CUS_1', code: 'GB-A1' }, answer: 'GB-A1' },
      { body: { account: { id: 'ACC-SHOP-1' }, customerId: 'CUS_2', code: 'GB-A2' }, answer: 'GB-A2' },
    ]);
    expect(inferConfiguration(account).configuration.payload).toBe(
      '{"account":{"id":"ACC-SHOP-1"},"customerId":"{{playerUniqueId}}","code":"{{code}}"}',
    );
    const flat = cassette([
      { body: { accountId: 'ACC-SHOP-1', customerId: 'CUS_1', code: 'GB-F1' }, answer: 'GB-F1' },
      { body: { accountId: 'ACC-SHOP-1', customerId: 'CUS_2', code: 'GB-F2' }, answer: 'GB-F2' },
    ]);
    expect(inferConfiguration(flat).configuration.payload).toBe(
      '{"accountId":"ACC-SHOP-1","customerId":"{{playerUniqueId}}","code":"{{code}}"}',
    );
    // One test customer throughout: customer.id is still the customer's.
    const same = cassette([
      { body: { customer: { id: 'CUS_1' }, code: 'GB-S1' }, answer: 'GB-S1' },
      { body: { customer: { id: 'CUS_1' }, code: 'GB-S2' }, answer: 'GB-S2' },
    ]);
    expect(inferConfiguration(same).configuration.payload).toBe(
      '{"customer":{"id":"{{playerUniqueId}}"},"code":"{{code}}"}',
    );
  });

  it('answers the open questions: no code sent (the merchant makes it), a signature, retries and their spacing', () => {
    const signed = { 'X-GB-Signature': '<redacted>', 'X-GB-Webhook-Version': 'v4' };
    const merchantMade = cassette([
      { body: { customerId: 'CUS_1', amount: '10' }, answer: 'SHOP-1', headers: signed, minutes: 0 },
      { body: { customerId: 'CUS_2', amount: '15' }, answer: 'SHOP-2', headers: signed, minutes: 1 },
    ]);
    const made = inferConfiguration(merchantMade);
    expect(made.findings.codeSent.answer).toBe('no');
    expect(made.findings.codeSent.evidence).toContain('the merchant makes the code');
    expect(made.findings.signature).toEqual({
      present: true,
      evidence: 'X-GB-Signature in 2 of 2, X-GB-Webhook-Version in 2 of 2 (X-GB-Webhook-Version v4)',
    });
    // Signature headers are Gameball's, not configured headers.
    expect(made.configuration.headers).toEqual([{ key: 'Authorization', value: 'Bearer <redacted>' }]);

    const retried = cassette([
      { body: { customerId: 'CUS_1', amount: '10', code: 'GB-A' }, minutes: 0 },
      { body: { customerId: 'CUS_2', amount: '10', code: 'GB-B' }, answer: 'GB-B', minutes: 1 },
      { body: { customerId: 'CUS_1', amount: '10', code: 'GB-A' }, minutes: 5 },
      { body: { customerId: 'CUS_1', amount: '10', code: 'GB-A' }, answer: 'GB-A', minutes: 25 },
    ]);
    const { retries } = inferConfiguration(retried).findings;
    expect(retries).toEqual({
      repeated: 1,
      evidence: ['code GB-A arrived 3 times (#1, #3, #4), +5.0 min, +20.0 min apart'],
    });
    expect(inferConfiguration(apiReference).findings.signature.present).toBe(false);
  });

  it('refuses a cassette without deliveries', () => {
    expect(() => inferConfiguration([])).toThrow(UsageError);
  });
});

describe('replay', () => {
  const config: CouponConfiguration = {
    ...inferConfiguration(apiReference).configuration,
    headers: [{ key: 'Authorization', value: 'Bearer the-real-token' }],
  };

  it('renders each recorded body again with a fresh code and the configured headers, repeats folded', () => {
    const withRepeat = [...apiReference, { ...apiReference[0]!, seq: 4 }];
    const plan = replayScenarios(withRepeat, config);
    expect(plan.scenarios.map((s) => s.id)).toEqual(['replay-1', 'replay-2', 'replay-3']);
    expect(plan.weights).toEqual([2, 1, 1]);
    expect(plan.notes).toEqual([expect.stringContaining('1 recorded delivery repeats an earlier one')]);
    const request = renderDelivery(config, scenarioValues(plan.scenarios[1]!, 'GB10-FRESHCODE1'));
    expect(JSON.parse(request.body!)).toEqual({
      customerId: 'CUS_777',
      amount: '10',
      code: 'GB10-FRESHCODE1',
      shop: 'eg',
    });
    expect(request.headers.authorization).toBe('Bearer the-real-token');
    expect(plan.scenarios[1]!.codePrefix).toBe('GB10');
  });

  it('picks one delivery by its number, and says which exist when it is not there', () => {
    expect(replayScenarios(apiReference, config, 2).scenarios.map((s) => s.id)).toEqual(['replay-2']);
    expect(() => replayScenarios(apiReference, config, 9)).toThrow('its deliveries are #1 to #3');
  });

  it("reads a body whose template secret the stand-in's cassette hid, and sends the configuration's", () => {
    const payload = '{"customerId":"{{playerUniqueId}}","code":"{{code}}","apiKey":"body-api-key-1"}';
    const hidden = cassette([
      { body: { customerId: 'CUS_1', code: 'GB10-HID1', apiKey: '<redacted>' }, answer: 'GB10-HID1' },
      { body: { customerId: 'CUS_2', code: 'GB10-HID2', apiKey: '<redacted>' }, answer: 'GB10-HID2' },
    ]);
    const withSecret = { ...config, payload };
    const plan = replayScenarios(hidden, withSecret);
    const request = renderDelivery(withSecret, scenarioValues(plan.scenarios[1]!, 'GB10-FRESHCODE2'));
    expect(JSON.parse(request.body!)).toEqual({
      customerId: 'CUS_2',
      code: 'GB10-FRESHCODE2',
      apiKey: 'body-api-key-1',
    });
    // A short one is hidden where it stands (not by value): that reads back too.
    const short = { ...config, payload: '{"customerId":"{{playerUniqueId}}","code":"{{code}}","apiKey":"k-12"}' };
    const hiddenShort = cassette([
      { body: { customerId: 'CUS_4', code: 'GB10-HS1', apiKey: '<redacted>' }, answer: 'GB10-HS1' },
    ]);
    expect(replayScenarios(hiddenShort, short).scenarios).toHaveLength(1);
    // A cassette the recorder wrote (it cannot know the template) holds the literal: it replays too.
    const plain = cassette([
      { body: { customerId: 'CUS_3', code: 'GB10-P1', apiKey: 'body-api-key-1' }, answer: 'GB10-P1' },
    ]);
    expect(replayScenarios(plain, withSecret).scenarios).toHaveLength(1);
    // config infer keeps the mark, and a replay asks for the real value first.
    const inferred = { ...inferConfiguration(hidden).configuration, headers: config.headers ?? [] };
    expect(inferred.payload).toContain('"apiKey":"<redacted>"');
    expect(() => replayScenarios(hidden, inferred)).toThrow(/still says <redacted> .*\(payload\)/);
  });

  it('refuses a configuration whose template cannot express the recorded bodies', () => {
    const other = { ...config, payload: '{"playerUniqueId":"{{playerUniqueId}}","code":"{{code}}"}' };
    expect(() => replayScenarios(apiReference, other)).toThrow(
      /Recorded delivery #1 does not fit the configuration's payload template \(\/playerUniqueId: the template has it, the body does not\)/,
    );
  });
});

describe('cassette diff', () => {
  it('finds no difference between cassettes of the same kind of delivery, whatever the values', () => {
    const other = cassette([
      { body: { customerId: 'X', amount: '1', code: 'C-1', shop: 'eg' }, answer: 'C-1' },
      { body: { customerId: 'Y', amount: '2', code: 'C-2', shop: 'eg' }, answer: 'C-2' },
    ]);
    expect(diffCassettes(apiReference, other)).toEqual([]);
  });

  it('names a header, a field type and a placeholder that differ', () => {
    const other = cassette([
      {
        body: { customerId: 'X', amount: 1, code: 'C-1', shop: 'eg' },
        answer: 'C-1',
        headers: { 'X-GB-Signature': 's' },
      },
      {
        body: { customerId: 'Y', amount: 2, code: 'C-2', shop: 'eg' },
        answer: 'C-2',
        headers: { 'X-GB-Signature': 's' },
      },
    ]);
    expect(diffCassettes(apiReference, other)).toEqual([
      { aspect: 'header', name: 'x-gb-signature', a: 'absent', b: 'present' },
      { aspect: 'field', name: '/amount', a: 'string', b: 'number' },
    ]);
  });
});
