// The payload template is read before anything is sent, as Gameball fills it (textually): what
// would break the integration is named with its position and the fix.
import { describe, expect, it } from 'vitest';
import { normaliseConfiguration } from '../../core/config-file/normalise-configuration.ts';
import { ConfigError } from '../../core/errors.ts';
import { lintTemplate } from '../../core/lint/lint-template.ts';

const lint = (payload: string, extra: string[] = []) =>
  lintTemplate(normaliseConfiguration({ url: 'https://shop.example/coupons', method: 'POST', payload }).config, extra);

describe('lintTemplate', () => {
  it("finds nothing wrong with the project's default template, Gameball's doc example or its tutorial's", () => {
    expect(lintTemplate(normaliseConfiguration({ url: 'https://shop.example/c', method: 'POST' }).config)).toEqual([]);
    expect(lint('{"customerId":"{{playerUniqueId}}","amount":"{{value}}","code":"{{code}}"}')).toEqual([]);
    expect(lint('{"code":"{{code}}","value":"{{amount}}","couponType":"{{discount_type}}"}')).toEqual([]);
  });

  it('a template without {{code}} is not a problem: the merchant generates the code', () => {
    expect(lint('{"customerId":"{{playerUniqueId}}","value":"{{amount}}"}')).toEqual([]);
  });

  it('a misspelt placeholder is a warning naming its position, the likely name and the documented set', () => {
    const [finding] = lint('{"code":"{{code}}",\n  "customer":"{{customerId}}"}');
    expect(finding).toMatchObject({
      severity: 'warning',
      kind: 'template-unknown-placeholder',
      position: 'line 2, column 15',
    });
    expect(finding!.message).toContain('Did you mean {{playerUniqueId}}?');
    expect(finding!.message).toContain(
      'Gameball documents {{code}}, {{playerUniqueId}}, {{value}}, {{amount}}, {{discount_type}}',
    );
    expect(lint('{"code":"{{code}}","v":{{vaule}}}')[0]!.message).toContain('Did you mean {{value}}?');
    expect(lint('{"code":"{{code}}","t":"{{discount_typ}}"}')[0]!.message).toContain('Did you mean {{discount_type}}?');
  });

  it('never says that Gameball sends a placeholder empty', () => {
    const messages = lint('{"code":"{{code}}","x":"{{storeId}}","y":{{other}}}').map((f) => f.message);
    expect(messages).toHaveLength(2);
    for (const message of messages) {
      expect(message).not.toMatch(/arrives empty|Gameball (sends|fills) it (empty|with nothing)/i);
      expect(message).toContain('not documented');
    }
  });

  it("the kit's own placeholders are one warning naming them as not documented by Gameball", () => {
    const findings = lint('{"code":"{{code}}","type":"{{couponType}}","days":{{expiresAfter}},"from":"{{source}}"}');
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', kind: 'template-kit-placeholder' })]);
    expect(findings[0]!.message).toContain("{{couponType}}, {{expiresAfter}}, {{source}}: the kit's own extension");
    expect(findings[0]!.message).toContain('{{discount_type}} is the name Gameball documents');
  });

  it('a placeholder the caller fills itself (trigger --set) is not unknown', () => {
    expect(lint('{"code":"{{code}}","store":"{{storeId}}"}', ['storeId'])).toEqual([]);
  });

  it('a text placeholder outside quotes is a failure: textual filling would not produce JSON', () => {
    const [finding] = lint('{"customer":{{playerUniqueId}},"code":"{{code}}"}');
    expect(finding).toMatchObject({ kind: 'template-unquoted-text', position: 'line 1, column 13' });
    expect(finding!.message).toContain('Write "{{playerUniqueId}}"');
    // Numbers and lists stand alone as JSON does: no finding.
    expect(lint('{"code":"{{code}}","value":{{value}},"amount":{{amount}}}')).toEqual([]);
  });

  it('a list inside quotes, or a mapped type with a quote in it, could break the JSON', () => {
    expect(lint('{"code":"{{code}}","products":"{{entitledProductIds}}"}')).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        kind: 'template-unsafe-value',
      }),
    );
    const config = normaliseConfiguration({
      url: 'https://shop.example/coupons',
      method: 'POST',
      payload: '{"code":"{{code}}","type":"{{discount_type}}"}',
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
