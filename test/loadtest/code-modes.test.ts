// gb-coupon load with a template without {{code}}: the merchant makes the codes. Each answer must
// carry one of its own, a code another delivery of the run already got counts in duplicate_codes
// (judged count<1 unless a threshold names it), and --reconcile looks up the merchant's codes.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { type LoadTestOptions, runLoadTest } from '../../loadtest/index.ts';
import { type CodeMerchant, type CodeMerchantKind, startCodeMerchant } from '../support/code-merchants.ts';

let merchant: CodeMerchant | undefined;
afterEach(async () => {
  await merchant?.close();
  merchant = undefined;
});

/** 20 requests, the merchant-code template, no shipped thresholds (a test does not time performance). */
async function loadMerchant(
  kind: CodeMerchantKind,
  overrides: (started: CodeMerchant) => Partial<LoadTestOptions> = () => ({}),
) {
  const started = await startCodeMerchant(kind);
  merchant = started;
  return runLoadTest({
    configuration: defaultConfiguration(started.url, started.token, 'merchant-code'),
    load: { rate: 100, durationMs: 200 },
    connections: 20,
    seed: 21,
    thresholdsFile: false,
    ...overrides(started),
  });
}

describe('the load runner when the merchant makes the codes', () => {
  it('passes a merchant that gives every delivery a code of its own, and reconciles the codes it gave', async () => {
    const reconciled = await loadMerchant('own-codes', (started) => ({
      reconcile: { lookup: `${started.url}/{code}` },
    }));
    expect(reconciled.target.codeMode).toBe('merchant');
    expect(reconciled).toMatchObject({ requests: 20, errors: 0, passed: true });
    expect(reconciled.failures.duplicateCodes).toBe(0);
    expect(reconciled.checks).toMatchObject({ passed: 60, total: 60 });
    expect(reconciled.thresholds.map((t) => `${t.metric} ${t.expression} ${t.ok}`)).toEqual([
      'coupons_not_stored count<1 true',
      'duplicate_codes count<1 true',
    ]);
    expect(reconciled.reconcile).toMatchObject({ checked: 20, stored: 20, notStored: 0 });
  });

  it('counts every answer after the first of a merchant that gives one code to all: duplicate_codes', async () => {
    const report = await loadMerchant('same-code');
    expect(report.failures.duplicateCodes).toBe(19);
    expect(report.errors).toBe(19);
    expect(report.passed).toBe(false);
    expect(report.thresholds).toEqual([
      expect.objectContaining({ metric: 'duplicate_codes', expression: 'count<1', ok: false, value: 19 }),
    ]);
    expect(report.failures.examples['duplicate-code']).toContain('its code SAME-CODE was already given');
  });

  it('counts an empty code as a missing code, and a threshold of its own on duplicate_codes replaces the default', async () => {
    const report = await loadMerchant('empty-code', () => ({ thresholds: { duplicate_codes: ['count<5'] } }));
    expect(report.failures.missingCode).toBe(20);
    expect(report.failures.duplicateCodes).toBe(0);
    expect(report.thresholds.map((t) => `${t.metric} ${t.expression}`)).toEqual(['duplicate_codes count<5']);
  });
});
