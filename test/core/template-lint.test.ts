// The payload template is read before anything is sent, as Gameball fills it (textually): what
// would break the integration is named with its position and the fix.
import { describe, expect, it } from 'vitest';
import { normaliseConfiguration } from '../../core/config-file/normalise-configuration.ts';
import { ConfigError } from '../../core/errors.ts';
import { lintTemplate } from '../../core/lint/lint-template.ts';

const lint = (payload: string, extra: string[] = []) =>
  lintTemplate(normaliseConfiguration({ url: 'https://shop.example/coupons', method: 'POST', payload }).config, extra);

describe('lintTemplate', () => {
  it("finds nothing wrong with the project's default template or Gameball's doc example", () => {
    expect(lintTemplate(normaliseConfiguration({ url: 'https://shop.example/c', method: 'POST' }).config)).toEqual([]);
    expect(lint('{"customerId":"{{playerUniqueId}}","amount":"{{value}}","code":"{{code}}"}')).toEqual([]);
  });

  it('a template without {{code}} is a failure: the merchant cannot know the code', () => {
    expect(lint('{"customerId":"{{playerUniqueId}}"}')).toEqual([
      expect.objectContaining({ severity: 'failure', kind: 'template-no-code' }),
    ]);
  });

  it('a misspelt placeholder is named with its position and the likely name', () => {
    const [finding] = lint('{"code":"{{code}}",\n  "customer":"{{customerId}}"}');
    expect(finding).toMatchObject({
      severity: 'failure',
      kind: 'template-unknown-placeholder',
      position: 'line 2, column 15',
    });
    expect(finding!.message).toContain('Did you mean {{playerUniqueId}}?');
    expect(lint('{"code":"{{code}}","v":{{vaule}}}')[0]!.message).toContain('Did you mean {{value}}?');
  });

  it('a placeholder the caller fills itself (trigger --set) is not unknown', () => {
    expect(lint('{"code":"{{code}}","store":"{{storeId}}"}', ['storeId'])).toEqual([]);
  });

  it('a text placeholder outside quotes is a failure: textual filling would not produce JSON', () => {
    const [finding] = lint('{"customer":{{playerUniqueId}},"code":"{{code}}"}');
    expect(finding).toMatchObject({ kind: 'template-unquoted-text', position: 'line 1, column 13' });
    expect(finding!.message).toContain('Write "{{playerUniqueId}}"');
    // Numbers and lists stand alone as JSON does: no finding.
    expect(lint('{"code":"{{code}}","value":{{value}},"products":{{entitledProductIds}}}')).toEqual([]);
  });

  it('a list inside quotes, or a mapped type with a quote in it, could break the JSON', () => {
    expect(lint('{"code":"{{code}}","products":"{{entitledProductIds}}"}')[0]).toMatchObject({
      severity: 'warning',
      kind: 'template-unsafe-value',
    });
    const config = normaliseConfiguration({
      url: 'https://shop.example/coupons',
      method: 'POST',
      payload: '{"code":"{{code}}","type":"{{couponType}}"}',
      couponMapping: { fixed: 'fixed "rate"', percentage: 'p', freeProduct: 'fp', freeShipping: 'fs' },
    }).config;
    expect(lintTemplate(config)).toEqual([
      expect.objectContaining({ severity: 'failure', kind: 'template-unsafe-value' }),
    ]);
  });

  it('the configuration loader names the position when the template does not produce JSON', () => {
    const load = () =>
      normaliseConfiguration({
        url: 'https://shop.example/coupons',
        method: 'POST',
        payload: '{"code":"{{code}}", "customer":"{{customerId}}" "x":1}',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/\{\{customerId\}\} at line 1, column 33 .* Did you mean \{\{playerUniqueId\}\}\?/);
  });
});
