// The configuration is the JSON a merchant PUTs to Gameball. The canonical shape passes untouched,
// the tutorial variants are normalised with a note each, known mistakes are refused with a message
// that shows the fix, and coupon types switched off are never sent.

import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { CouponConfiguration } from '../../core/config/coupon-configuration.ts';
import { loadConfigurationFile } from '../../core/config-file/load-configuration.ts';
import { normaliseConfiguration } from '../../core/config-file/normalise-configuration.ts';
import { ConfigError } from '../../core/errors.ts';
import { renderDelivery } from '../../core/render/render-delivery.ts';
import { findScenario, isEnabled, scenarios } from '../../core/scenarios/scenarios.ts';
import { verify } from '../../harness/run/verify.ts';
import { type MerchantDouble, startMerchantDouble } from '../harness/support/merchant-double.ts';

const examples = parseYaml(
  readFileSync(new URL('../../openapi/components/delivery-examples.yaml', import.meta.url), 'utf8'),
) as Record<string, { value: Record<string, unknown> }>;
const defaultExample = (): Record<string, unknown> => structuredClone(examples.DefaultConfiguration!.value);
const tutorialExample = (): Record<string, unknown> => structuredClone(examples.TutorialConfiguration!.value);

/** The ConfigError `run` throws (fails the test when it throws nothing or something else). */
function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

async function loadError(file: string): Promise<ConfigError> {
  const error: unknown = await loadConfigurationFile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('normaliseConfiguration: accepted shapes', () => {
  it('accepts the canonical default configuration unchanged, with no notes', () => {
    const raw = defaultExample();
    const { config, notes } = normaliseConfiguration(raw);
    expect(notes).toEqual([]);
    expect(config).toStrictEqual(defaultExample());
  });

  it('normalises the tutorial shape with one note per change', () => {
    const tutorial = tutorialExample();
    const { config, notes } = normaliseConfiguration(tutorial);
    expect('contentType' in config).toBe(false);
    expect(typeof config.payload).toBe('string');
    expect(JSON.parse(config.payload!)).toStrictEqual(tutorial.payload);
    expect(config.platforms).toStrictEqual([
      { displayName: 'web', value: 'web' },
      { displayName: 'mobile', value: 'mobile' },
    ]);
    expect(notes).toHaveLength(3);
    expect(notes.filter((n) => /contentType/.test(n))).toHaveLength(1);
    expect(notes.filter((n) => /payload/.test(n) && /string/.test(n))).toHaveLength(1);
    expect(notes.filter((n) => /platforms/.test(n))).toHaveLength(1);
  });

  it("renders the normalised tutorial payload the way Gameball's doc example shows", () => {
    const { config } = normaliseConfiguration(tutorialExample());
    const request = renderDelivery(config, {
      couponKind: 'fixed',
      playerUniqueId: 'CUS_12345',
      code: '50EGPOFF',
      value: 50,
    });
    expect(request.body).toBe('{"customerId":"CUS_12345","amount":"50","code":"50EGPOFF"}');
  });

  it('accepts each tutorial variant on its own, with exactly its note', () => {
    const base = defaultExample();
    const variants: [string, Record<string, unknown>, RegExp][] = [
      ['payload object', { ...base, payload: { code: '{{code}}', value: '{{value}}' } }, /payload/],
      ['platform strings', { ...base, platforms: ['web', 'pos'] }, /platforms/],
      ['contentType', { ...base, contentType: 'application/json' }, /contentType/],
    ];
    for (const [name, raw, note] of variants) {
      const { notes } = normaliseConfiguration(raw);
      expect(notes, name).toHaveLength(1);
      expect(notes[0], name).toMatch(note);
    }
  });

  it('says when a coupon type is assumed enabled because its flag is missing', () => {
    const { notes } = normaliseConfiguration({ url: 'https://merchant.example/coupons', method: 'POST' });
    for (const flag of ['enableFixedRate', 'enablePercentage', 'enableFreeProduct', 'enableFreeShipping']) {
      expect(notes.some((n) => n.includes(flag))).toBe(true);
    }
  });
});

describe('normaliseConfiguration: refused shapes', () => {
  it('refuses couponMapping with booleans and shows the canonical mapping', () => {
    const raw = {
      ...defaultExample(),
      couponMapping: { percentage: true, fixed: true, freeProduct: false, freeShipping: false },
    };
    const error = configErrorOf(() => normaliseConfiguration(raw));
    expect(error.message).toContain('booleans');
    expect(error.message).toContain('"couponMapping": {"fixed": "fixed_discount", "percentage": "percentage_discount"');
    expect(error.message).toContain('enableFixedRate');
    expect(error.problems.map((p) => p.field)).toEqual(['couponMapping']);
  });

  it('refuses the old authentication object and points at headers', () => {
    const raw = { ...defaultExample(), authentication: { type: 'Bearer', token: 'abc' } };
    const error = configErrorOf(() => normaliseConfiguration(raw));
    expect(error.message).toContain('authentication');
    expect(error.message).toContain('"headers": [{"key": "Authorization", "value": "Bearer <token>"}]');
  });

  it('refuses an unknown property and names it', () => {
    const error = configErrorOf(() => normaliseConfiguration({ ...defaultExample(), webhookUrl: 'https://x.example' }));
    expect(error.message).toContain('webhookUrl');
    expect(error.problems.some((p) => p.field === 'webhookUrl')).toBe(true);
  });

  it('refuses what the contract refuses: no url, an unknown method', () => {
    const { url: _url, ...withoutUrl } = defaultExample();
    expect(configErrorOf(() => normaliseConfiguration(withoutUrl)).message).toMatch(/url/);
    expect(configErrorOf(() => normaliseConfiguration({ ...defaultExample(), method: 'DELETE' })).message).toMatch(
      /method/,
    );
  });

  it('refuses something that is not an object', () => {
    for (const raw of [null, [], 'https://merchant.example', 42]) {
      expect(configErrorOf(() => normaliseConfiguration(raw)).message).toMatch(/JSON object/);
    }
  });

  it.each([
    ['an unclosed object', '{"code":"{{code}}"'],
    ['two values without a comma', '{"code":"{{code}}" "value":{{value}}}'],
    ['a placeholder glued to text', '{"value":{{value}}x}'],
  ])('refuses a template that does not produce JSON: %s', (_name, payload) => {
    const error = configErrorOf(() => normaliseConfiguration({ ...defaultExample(), payload }));
    expect(error.message).toMatch(/does not produce JSON/);
    expect(error.problems.map((p) => p.field)).toEqual(['payload']);
  });

  it('accepts a custom template whose placeholders are quoted or bare', () => {
    const payload =
      '{"customer":{"id":"{{playerUniqueId}}"},"discount":{"amount":"{{value}}","kind":"{{couponType}}"},"products":{{entitledProductIds}}}';
    expect(normaliseConfiguration({ ...defaultExample(), payload }).config.payload).toBe(payload);
  });

  it('refuses a configuration that disables every coupon type', () => {
    const raw = {
      ...defaultExample(),
      enableFixedRate: false,
      enablePercentage: false,
      enableFreeProduct: false,
      enableFreeShipping: false,
    };
    expect(configErrorOf(() => normaliseConfiguration(raw)).message).toMatch(/disables every coupon type/);
  });
});

describe('disabled coupon types', () => {
  it('isEnabled follows the enable* flag of each scenario (missing means enabled)', () => {
    const config = { ...defaultExample(), enablePercentage: false, enableFreeShipping: false } as CouponConfiguration;
    const enabled = scenarios.filter((s) => isEnabled(config, s)).map((s) => s.id);
    expect(enabled.sort()).toEqual(['campaign', 'free-product']);
    const { enableFixedRate: _f, ...noFlags } = defaultExample();
    expect(isEnabled(noFlags as CouponConfiguration, findScenario('campaign'))).toBe(true);
  });

  describe('verify() never sends a disabled type', () => {
    let double: MerchantDouble;
    let recorder: Server;
    let recorderUrl: string;
    const received: string[] = [];

    beforeAll(async () => {
      double = await startMerchantDouble();
      // A recording proxy in front of the double: every body that reaches the endpoint, even broken ones.
      recorder = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          received.push(body);
          const headers: Record<string, string> = {};
          for (const [key, value] of Object.entries(req.headers))
            if (typeof value === 'string' && key !== 'host' && key !== 'content-length' && key !== 'connection')
              headers[key] = value;
          fetch(double.url, { method: req.method!, headers, body })
            .then(async (answer) =>
              res
                .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' })
                .end(await answer.text()),
            )
            .catch(() => res.writeHead(502).end());
        });
      });
      await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
      recorderUrl = `http://127.0.0.1:${(recorder.address() as { port: number }).port}/coupons`;
    });

    afterAll(async () => {
      recorder?.closeAllConnections();
      await new Promise<void>((resolve) => (recorder ? recorder.close(() => resolve()) : resolve()));
      await double?.close();
    });

    it('sends only the enabled types across every check', async () => {
      const report = await verify(
        {
          ...defaultExample(),
          url: recorderUrl,
          headers: [{ key: 'Authorization', value: `Bearer ${double.token}` }],
          enablePercentage: false,
          enableFreeShipping: false,
        },
        { seed: 7, timeoutMs: 5000 },
      );
      const accepted = report.checks.find((c) => c.id === 'accepted')!;
      expect(accepted.status).toBe('passed');
      expect(accepted.message).toContain('campaign');
      expect(accepted.message).toContain('free-product');
      expect(accepted.message).not.toContain('redeem');

      // Valid deliveries only: bad-input breaks couponType on purpose (removed, or not one of the types).
      const valid = received.flatMap((body) => {
        try {
          const { couponType } = JSON.parse(body) as { couponType?: unknown };
          return typeof couponType === 'string' && !couponType.startsWith('gb-coupon-unknown') ? [couponType] : [];
        } catch {
          return []; // the malformed-JSON case
        }
      });
      const types = new Set(valid);
      expect(valid.length).toBeGreaterThan(30);
      expect(types).toEqual(new Set(['fixed_discount', 'free_product']));
      expect(
        received.some((body) => body.includes('"source":"Points Redemption"') || body.includes('"source":"VIP Tier')),
      ).toBe(false);
    });
  });
});

describe('loadConfigurationFile', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'gb-coupon-config-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('loads and normalises a file', async () => {
    const file = path.join(folder, 'tutorial.json');
    await writeFile(file, JSON.stringify(tutorialExample(), null, 2));
    const { config, notes } = await loadConfigurationFile(file);
    expect(config.url).toBe('https://api.yourapp.com/create-coupon');
    expect(notes).toHaveLength(3);
  });

  it('reads a file saved with a UTF-8 byte-order mark', async () => {
    const file = path.join(folder, 'bom.json');
    await writeFile(file, `\uFEFF${JSON.stringify(defaultExample())}`);
    const { config } = await loadConfigurationFile(file);
    expect(config.method).toBe('POST');
  });

  it('a missing file is a ConfigError naming the path', async () => {
    const file = path.join(folder, 'missing.json');
    const error = await loadError(file);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/does not exist/);
  });

  it('a directory is a ConfigError naming the path', async () => {
    const dir = path.join(folder, 'a-directory.json');
    await mkdir(dir);
    const error = await loadError(dir);
    expect(error.message).toContain(dir);
    expect(error.message).toMatch(/is a directory/);
  });

  it('invalid JSON is a ConfigError naming the path', async () => {
    const file = path.join(folder, 'broken.json');
    await writeFile(file, '{"url": "https://merchant.example/coupons", "method": "POST",}');
    const error = await loadError(file);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('invalid JSON is described without quoting the text: a piece of it may be a secret', async () => {
    const file = path.join(folder, 'unquoted.json');
    await writeFile(file, '{"headers": [{"key": "Authorization", "value": Bearer sk_live_secret123}]}');
    const error = await loadError(file);
    expect(error.message).toMatch(/is not valid JSON: Unexpected token 'B'\.$/);
    expect(error.message).not.toContain('sk_live');
  });

  it('an invalid configuration in a file is a ConfigError naming the path', async () => {
    const file = path.join(folder, 'booleans.json');
    await writeFile(file, JSON.stringify({ ...defaultExample(), couponMapping: { fixed: true } }));
    const error = await loadError(file);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/booleans/);
    expect(error.name).toBe('ConfigError');
  });
});
