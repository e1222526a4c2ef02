// The renderer builds each request exactly as Gameball would from the merchant's configuration:
// textual substitution that is aware of JSON strings, values that can never break the document,
// the URL with its query parameters, the configured headers, and the optional webhook signature.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { defaultConfiguration, extendedPayloadTemplate } from '../../core/config/default-configuration.ts';
import { compileTemplate, fillTemplate } from '../../core/render/fill-template.ts';
import { type CouponValues, compileDelivery, renderDelivery } from '../../core/render/render-delivery.ts';
import { findScenario, scenarioValues } from '../../core/scenarios/scenarios.ts';

/** The contract's named examples, read from the YAML the contract is written in (not from our code). */
const contractExamples = parseYaml(
  readFileSync(new URL('../../openapi/components/delivery-examples.yaml', import.meta.url), 'utf8'),
) as Record<string, { value: Record<string, unknown> }>;

const adam: CouponValues = {
  couponKind: 'percentage',
  code: 'GB10-ADM7Q2K9',
  ...structuredClone(findScenario('redeem').values),
};

function config(overrides: Partial<CouponConfiguration> = {}): CouponConfiguration {
  return { ...defaultConfiguration('https://merchant.example/coupons', 'tok_123'), ...overrides };
}

function parseBody(body: string | undefined): Record<string, unknown> {
  expect(body).toBeTypeOf('string');
  return JSON.parse(body!) as Record<string, unknown>;
}

describe('fillTemplate: quoting', () => {
  it("reproduces Gameball's documented example: a placeholder inside quotes arrives as a string", () => {
    const filled = fillTemplate('{"customerId":"{{playerUniqueId}}","amount":"{{value}}","code":"{{code}}"}', {
      playerUniqueId: 'CUS_12345',
      value: 50,
      code: '50EGPOFF',
    });
    expect(filled.text).toBe('{"customerId":"CUS_12345","amount":"50","code":"50EGPOFF"}');
    expect(filled.unknown).toEqual([]);
  });

  it('gives an unquoted placeholder the JSON form of its value', () => {
    const filled = fillTemplate(
      '{"n":{{n}},"f":{{f}},"yes":{{yes}},"no":{{no}},"none":{{none}},"ids":{{ids}},"empty":{{empty}},"s":{{s}}}',
      {
        n: 10,
        f: 12.5,
        yes: true,
        no: false,
        none: null,
        ids: ['PRD_1', 'PRD "2"'],
        empty: [],
        s: 'text',
      },
    );
    expect(JSON.parse(filled.text)).toStrictEqual({
      n: 10,
      f: 12.5,
      yes: true,
      no: false,
      none: null,
      ids: ['PRD_1', 'PRD "2"'],
      empty: [],
      s: 'text',
    });
  });

  it('turns numbers, booleans, arrays and null inside quotes into string content', () => {
    const filled = fillTemplate('{"n":"{{n}}","b":"{{b}}","ids":"{{ids}}","none":"{{none}}"}', {
      n: 10,
      b: true,
      ids: ['A', 'B'],
      none: null,
    });
    expect(JSON.parse(filled.text)).toStrictEqual({ n: '10', b: 'true', ids: '["A","B"]', none: '' });
  });

  it('fills a placeholder inside a longer string and several in one string', () => {
    const filled = fillTemplate('{"note":"Code: {{code}} for {{playerUniqueId}} ({{value}}%)"}', {
      code: 'GB10-X',
      playerUniqueId: 'CUS_1',
      value: 10,
    });
    expect(JSON.parse(filled.text)).toStrictEqual({ note: 'Code: GB10-X for CUS_1 (10%)' });
  });

  it('is not confused by escaped quotes or an escaped backslash in the template', () => {
    // After \" the string is still open; after "C:\\" it is closed, so {{value}} stands alone.
    const template = '{"note":"say \\"{{code}}\\" at the till","path":"C:\\\\","value":{{value}},"tail":"{{code}}"}';
    const filled = fillTemplate(template, { code: 'GB"1', value: 5 });
    expect(JSON.parse(filled.text)).toStrictEqual({
      note: 'say "GB"1" at the till',
      path: 'C:\\',
      value: 5,
      tail: 'GB"1',
    });
  });

  it('accepts spaces inside the braces', () => {
    expect(JSON.parse(fillTemplate('{"c":"{{ code }}","v":{{ value }}}', { code: 'X', value: 3 }).text)).toStrictEqual({
      c: 'X',
      v: 3,
    });
  });
});

describe('fillTemplate: no value can break the document', () => {
  const hostile = [
    'quote " inside',
    'back\\slash and \\" and \\u0041',
    'line\nbreak\r\tand tab',
    'closes }} early',
    'names {{code}} and {{value}}',
    '"},"couponType":"free_product","x":{"',
    'عميل_أحمد_١٠٤٨٢',
    'player-🎁-😀-✨',
    'separators \u2028 and \u2029',
    'control \u0000\u001f\u007f',
    'lone surrogate \ud800',
  ];

  it.each(hostile)('round-trips the customer id %j in every position', (playerUniqueId) => {
    const template =
      '{"quoted":"{{playerUniqueId}}","inside":"id={{playerUniqueId}}!","bare":{{playerUniqueId}},"code":"{{code}}","value":{{value}}}';
    const filled = fillTemplate(template, { playerUniqueId, code: 'GB10-SAFE', value: 10 });
    expect(JSON.parse(filled.text)).toStrictEqual({
      quoted: playerUniqueId,
      inside: `id=${playerUniqueId}!`,
      bare: playerUniqueId,
      code: 'GB10-SAFE',
      value: 10,
    });
  });

  it('keeps hostile ids intact through the default template and the renderer', () => {
    for (const playerUniqueId of hostile) {
      const body = parseBody(renderDelivery(config(), { ...adam, playerUniqueId }).body);
      expect(body.playerUniqueId).toBe(playerUniqueId);
      expect(body.code).toBe(adam.code);
      expect(body.couponType).toBe('percentage_discount');
    }
  });
});

describe('fillTemplate: unknown placeholders', () => {
  it('reports placeholders without a value and renders them as null, or empty inside quotes', () => {
    const filled = fillTemplate('{"a":"{{nope}}","b":{{other}},"c":"{{code}}","d":{{nope}}}', { code: 'X' });
    expect(JSON.parse(filled.text)).toStrictEqual({ a: '', b: null, c: 'X', d: null });
    expect([...filled.unknown].sort()).toEqual(['nope', 'other']);
  });

  it("treats names of Object.prototype's members as unknown, not as values", () => {
    const filled = fillTemplate('{"a":"{{constructor}}","b":{{toString}},"c":{{hasOwnProperty}}}', {});
    expect(JSON.parse(filled.text)).toStrictEqual({ a: '', b: null, c: null });
    expect([...filled.unknown].sort()).toEqual(['constructor', 'hasOwnProperty', 'toString']);
  });

  it('leaves text that is not a placeholder alone', () => {
    const filled = fillTemplate('{"a":"{{not a name}}","b":"{{code}","c":"{{1x}}"}', { code: 'X' });
    expect(JSON.parse(filled.text)).toStrictEqual({ a: '{{not a name}}', b: '{{code}', c: '{{1x}}' });
    expect(filled.unknown).toEqual([]);
  });
});

describe("Gameball's documented placeholder names", () => {
  it("renders the tutorial's template with real values: {{amount}} is the value, {{discount_type}} the mapped type", () => {
    const tutorial = config({ payload: '{"code":"{{code}}","value":"{{amount}}","couponType":"{{discount_type}}"}' });
    const scenario = findScenario('campaign');
    const request = renderDelivery(tutorial, { ...scenarioValues(scenario, 'GB20-SRH4M8PZ') });
    expect(request.body).toBe('{"code":"GB20-SRH4M8PZ","value":"20","couponType":"fixed_discount"}');
    const custom = config({
      payload: '{"code":"{{code}}","value":"{{amount}}","couponType":"{{discount_type}}"}',
      couponMapping: { fixed: 'amount_off', percentage: 'pct', freeProduct: 'gift', freeShipping: 'ship' },
    });
    expect(parseBody(renderDelivery(custom, scenarioValues(findScenario('redeem'), 'GB10-X')).body)).toEqual({
      code: 'GB10-X',
      value: '10',
      couponType: 'pct',
    });
  });

  it("fills the API reference's names and the tutorial's with one value each", () => {
    const both = config({
      payload: '{"amount":"{{value}}","v":{{amount}},"t":"{{discount_type}}","k":"{{couponType}}"}',
    });
    expect(parseBody(renderDelivery(both, adam).body)).toEqual({
      amount: '10',
      v: 10,
      t: 'percentage_discount',
      k: 'percentage_discount',
    });
  });

  it("sends the default template with documented placeholders only, and the extended one with the kit's fields", () => {
    expect(parseBody(renderDelivery(config(), adam).body)).toEqual({
      playerUniqueId: 'CUS_10482',
      code: 'GB10-ADM7Q2K9',
      value: 10,
      couponType: 'percentage_discount',
    });
    const extended = parseBody(renderDelivery(config({ payload: extendedPayloadTemplate }), adam).body);
    expect(extended).toMatchObject({ expiresAfter: 30, usageLimit: 1, source: 'Points Redemption' });
  });

  it("sends Gameball's custom type as custom, whatever the mapping", () => {
    expect(parseBody(renderDelivery(config(), { ...adam, couponKind: 'custom', value: 0 }).body).couponType).toBe(
      'custom',
    );
  });
});

describe('renderDelivery', () => {
  it('renders every named delivery example of the contract exactly with the default template', () => {
    const pairs = [
      ['redeem', 'AdamRedeemsDelivery'],
      ['campaign', 'SarahCampaignDelivery'],
      ['free-shipping', 'FreeShippingDelivery'],
      ['free-product', 'FreeProductDelivery'],
      ['test-connection', 'TestConnectionDelivery'],
    ] as const;
    for (const [scenarioId, exampleName] of pairs) {
      const example = contractExamples[exampleName]!.value;
      const scenario = findScenario(scenarioId);
      const request = renderDelivery(config(), {
        couponKind: scenario.couponKind,
        code: example.code as string,
        ...structuredClone(scenario.values),
      });
      const body = parseBody(request.body);
      expect(body, exampleName).toStrictEqual(example);
      expect(Object.keys(body), `${exampleName}: field order`).toEqual(Object.keys(example));
    }
  });

  it('sends the default template byte for byte as the contract writes it (compact JSON)', () => {
    const example = contractExamples.AdamRedeemsDelivery!.value;
    expect(renderDelivery(config(), adam).body).toBe(JSON.stringify(example));
  });

  it('takes couponType through couponMapping, with custom names', () => {
    const custom = config({
      couponMapping: { percentage: 'PCT-OFF', fixed: 'amount off', freeShipping: 'ship_free', freeProduct: 'gift' },
    });
    const kinds = {
      percentage: 'PCT-OFF',
      fixed: 'amount off',
      freeShipping: 'ship_free',
      freeProduct: 'gift',
    } as const;
    for (const [couponKind, name] of Object.entries(kinds)) {
      const body = parseBody(
        renderDelivery(custom, { ...adam, couponKind: couponKind as CouponValues['couponKind'] }).body,
      );
      expect(body.couponType).toBe(name);
    }
  });

  it('appends queryParams to the URL, keeps an existing query and encodes the values', () => {
    const request = renderDelivery(
      config({
        url: 'https://merchant.example/api/coupons?store=eg-1&lang=ar',
        queryParams: [
          { key: 'apiKey', value: 'a b&c=d' },
          { key: 'sig', value: 'é/?#' },
        ],
      }),
      adam,
    );
    const url = new URL(request.url);
    expect(url.origin + url.pathname).toBe('https://merchant.example/api/coupons');
    expect([...url.searchParams]).toEqual([
      ['store', 'eg-1'],
      ['lang', 'ar'],
      ['apiKey', 'a b&c=d'],
      ['sig', 'é/?#'],
    ]);
    expect(url.hash).toBe('');
    expect(request.url).not.toContain('&c=d');
  });

  it('sends the configured headers with lower-cased keys, and JSON as the content type', () => {
    const request = renderDelivery(
      config({
        headers: [
          { key: 'Authorization', value: 'Bearer tok_ABC' },
          { key: 'X-Store-Id', value: 'Store 42' },
        ],
      }),
      adam,
    );
    expect(request.method).toBe('POST');
    expect(request.headers.authorization).toBe('Bearer tok_ABC');
    expect(request.headers['x-store-id']).toBe('Store 42');
    expect(request.headers['content-type']).toBe('application/json');
    for (const key of Object.keys(request.headers)) expect(key).toBe(key.toLowerCase());
    expect(request.headers['x-gb-signature']).toBeUndefined();
  });

  it('sends the body with PUT too', () => {
    const request = renderDelivery(config({ method: 'PUT' }), adam);
    expect(request.method).toBe('PUT');
    expect(parseBody(request.body).code).toBe(adam.code);
  });

  it('puts the fields in the query and sends no body for GET', () => {
    const request = renderDelivery(
      config({ method: 'GET', queryParams: [{ key: 'apiKey', value: 'k1' }], payload: extendedPayloadTemplate }),
      { ...adam, playerUniqueId: 'CUS 1&2', entitledProductIds: ['PRD_1'] },
      { signingSecret: 'shh' },
    );
    expect(request.method).toBe('GET');
    expect(request.body).toBeUndefined();
    expect(request.headers['content-type']).toBeUndefined();
    expect(request.headers['x-gb-signature']).toBeUndefined();
    const query = new URL(request.url).searchParams;
    expect(query.get('apiKey')).toBe('k1');
    expect(query.get('playerUniqueId')).toBe('CUS 1&2');
    expect(query.get('code')).toBe(adam.code);
    expect(query.get('couponType')).toBe('percentage_discount');
    expect(query.get('value')).toBe('10');
    expect(query.get('oncePerCustomer')).toBe('true');
    expect(query.get('entitledProductIds')).toBe('["PRD_1"]');
  });

  it("signs like Gameball's webhooks when a signing secret is given: sha1(JSON.stringify(body) + ':' + secret)", () => {
    const secret = 'gb_secret_key';
    const request = renderDelivery(config(), adam, { signingSecret: secret });
    const expected = createHash('sha1')
      .update(`${JSON.stringify(JSON.parse(request.body!))}:${secret}`)
      .digest('hex');
    expect(request.headers['x-gb-signature']).toBe(expected);
    expect(request.headers['x-gb-webhook-version']).toBe('v4');
    expect(renderDelivery(config(), adam, { signingSecret: 'other' }).headers['x-gb-signature']).not.toBe(expected);
  });

  it('signs the JSON.stringify form of the body even when the template has spaces', () => {
    const secret = 'k';
    const request = renderDelivery(config({ payload: '{ "code" : "{{code}}", "value" : {{value}} }' }), adam, {
      signingSecret: secret,
    });
    const sha1 = (text: string): string => createHash('sha1').update(text).digest('hex');
    expect(request.headers['x-gb-signature']).toBe(sha1(`{"code":"${adam.code}","value":10}:${secret}`));
    expect(request.headers['x-gb-signature']).not.toBe(sha1(`${request.body}:${secret}`));
  });
});

describe('a template read once and filled many times (the load runner)', () => {
  const templates = [
    '{"code":"{{code}}","v":{{value}},"who":"{{playerUniqueId}}"}',
    '{"note":"Code: {{code}} for {{playerUniqueId}} ({{value}}%)","again":"{{code}}","raw":{{code}}}',
    '{"esc":"a \\"{{code}}\\" b \\\\","after":"{{value}}","ids":{{entitledProductIds}},"idsText":"{{entitledProductIds}}"}',
    '{"unknown":{{nope}},"inside":"{{nope}}","proto":"{{constructor}}","c":"{{ code }}","broken":"{{code"}',
    '{{code}}',
    'no placeholders at all',
  ];
  const fixed = {
    playerUniqueId: 'CUS "1"\\</script>',
    value: 10,
    entitledProductIds: ['P1', 'P"2'],
    minOrderValue: null,
  };

  it('fills the fixed values first and the code later into the same text and the same unknown names', () => {
    for (const template of templates) {
      for (const code of ['GB10-ABC', 'GB"10\\\u2028', '']) {
        const whole = fillTemplate(template, { ...fixed, code });
        const bound = compileTemplate(template).bind(fixed);
        expect(bound.fill({ code }), template).toStrictEqual(whole);
        expect(
          bound.placeholders.every((p) => !Object.hasOwn(fixed, p.name)),
          template,
        ).toBe(true);
      }
    }
  });

  it('keeps a placeholder without a value unbound, so filling still reports it as unknown', () => {
    const bound = compileTemplate('{"a":"{{playerUniqueId}}","b":{{minOrderValue}},"c":"{{code}}"}').bind({
      playerUniqueId: 'CUS_1',
      minOrderValue: undefined,
    });
    expect(bound.placeholders.map((p) => p.name)).toStrictEqual(['minOrderValue', 'code']);
    expect(bound.fill({ code: 'X' })).toStrictEqual({
      text: '{"a":"CUS_1","b":null,"c":"X"}',
      unknown: ['minOrderValue'],
    });
  });

  it('renders per code exactly what a whole render gives, for every way a delivery is configured', () => {
    const configurations: [CouponConfiguration, { signingSecret?: string }][] = [
      [config(), {}],
      [config(), { signingSecret: 'gb_secret' }],
      [config({ payload: templates[1]!, queryParams: [{ key: 'k', value: 'v w' }] }), {}],
      [config({ method: 'PUT', headers: [{ key: 'X-Api-Key', value: 'abc' }] }), { signingSecret: 's' }],
      [config({ method: 'GET', queryParams: [{ key: 'apiKey', value: 'k1' }] }), {}],
    ];
    const { code, ...withoutCode } = adam;
    for (const [configuration, options] of configurations) {
      const renderer = compileDelivery(configuration, options);
      const perCode = renderer.forCodes(withoutCode);
      for (const each of [code, 'GB10-OTHER', 'GB10-"QUOTE']) {
        const expected = renderDelivery(configuration, { ...adam, code: each }, options);
        expect(perCode(each)).toStrictEqual(expected);
        expect(renderer.render({ ...adam, code: each })).toStrictEqual(expected);
      }
    }
  });

  it('renders the code given per call, even when the fixed values carry one', () => {
    const perCode = compileDelivery(config(), {}).forCodes(adam);
    expect(parseBody(perCode('GB10-ONE').body).code).toBe('GB10-ONE');
    expect(parseBody(perCode('GB10-TWO').body).code).toBe('GB10-TWO');
  });

  it("shares one frozen headers object across a renderer's unsigned requests; render gives each its own", () => {
    const { code: _code, ...withoutCode } = adam;
    const renderer = compileDelivery(config(), {});
    const perCode = renderer.forCodes(withoutCode);
    const first = perCode('GB10-ONE');
    expect(Object.isFrozen(first.headers)).toBe(true);
    expect(perCode('GB10-TWO').headers).toBe(first.headers);
    expect(() => {
      first.headers.authorization = 'changed';
    }).toThrow(TypeError);
    // Signed requests carry their own signature, so their own headers.
    const signed = compileDelivery(config(), { signingSecret: 's' }).forCodes(withoutCode);
    expect(signed('GB10-ONE').headers).not.toBe(signed('GB10-TWO').headers);
    const rendered = renderer.render(adam);
    rendered.headers.authorization = 'changed';
    expect(renderer.render(adam).headers.authorization).toBe('Bearer tok_123');
  });
});
