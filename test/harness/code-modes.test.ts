// verify() in both of Gameball's readings of who makes the code, against small merchants written for
// the test (test/support/code-merchants.ts) and the reference server: a merchant that generates its
// own codes passes, one that gives every delivery the same code fails `duplicate-code`, one that
// answers an empty code fails; the tutorial's template passes against a merchant written for it.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { retryWarning } from '../../core/render/code-mode.ts';
import type { Report } from '../../harness/report/types.ts';
import { verify } from '../../harness/run/verify.ts';
import { generateToken, type RunningServer, startServer } from '../../server/index.ts';
import { type CodeMerchant, type CodeMerchantKind, startCodeMerchant } from '../support/code-merchants.ts';

const byId = (report: Report, id: string) => report.checks.find((c) => c.id === id)!;
const kinds = (report: Report) => report.checks.flatMap((c) => c.findings.map((f) => `${c.id}:${f.kind}`));

let merchant: CodeMerchant | undefined;
afterEach(async () => {
  await merchant?.close();
  merchant = undefined;
});

async function verifyMerchant(kind: CodeMerchantKind, payload?: string, seed = 61): Promise<Report> {
  merchant = await startCodeMerchant(kind, { customerOptional: payload !== undefined });
  const config = defaultConfiguration(merchant.url, merchant.token, 'merchant-code');
  return verify(payload === undefined ? config : { ...config, payload }, {
    seed,
    latencyBudgetMs: 10_000,
    lookup: `GET ${merchant.url}/{code}`,
  });
}

describe('a template without {{code}}: the merchant generates the code', () => {
  it('passes a merchant that generates its own codes, reporting what a retry does, and warns about retries once', async () => {
    const report = await verifyMerchant('own-codes');
    expect(report.outcome, JSON.stringify(kinds(report))).toBe('passed');
    expect(report.summary.failed).toBe(0);
    expect(report.target.codeMode).toBe('merchant');
    expect(report.notes[0]).toBe(retryWarning);
    // Once: in the notes, and nowhere in the checks.
    expect(
      JSON.stringify(report).split('cannot recognise it unless the template carries a unique reference'),
    ).toHaveLength(2);
    expect(byId(report, 'accepted').message).toContain('a code of its own, a different one each time');
    expect(byId(report, 'idempotent-retry')).toMatchObject({ status: 'warning', kind: 'retry-creates-coupon' });
    expect(byId(report, 'idempotent-retry').message).toMatch(/another code \(SHOP-\d+, then SHOP-\d+\)/);
    expect(byId(report, 'concurrent-duplicates')).toMatchObject({ status: 'warning', kind: 'retry-creates-coupon' });
    expect(byId(report, 'conflicting-reuse')).toMatchObject({ status: 'skipped' });
    expect(byId(report, 'stability').message).toContain('a different code each');
    // The lookup read back the codes the merchant answered, not the ones the kit named its deliveries by.
    const lookups = report.checks.flatMap((c) => c.findings).filter((f) => f.kind === 'lookup-failed');
    expect(lookups).toEqual([]);
    expect(merchant!.coupons.size).toBeGreaterThan(30);
  });

  it('fails a merchant that gives every delivery the same code: duplicate-code', async () => {
    const report = await verifyMerchant('same-code');
    expect(report.outcome).toBe('failed');
    const accepted = byId(report, 'accepted');
    expect(accepted).toMatchObject({ status: 'failed', kind: 'duplicate-code' });
    expect(accepted.message).toContain('its code SAME-CODE was already given to another delivery');
    expect(accepted.reproduction?.curl).toContain('curl');
  });

  it('fails a merchant that gives every delivery the same code even when one delivery is all accepted sends: stability', async () => {
    merchant = await startCodeMerchant('same-code');
    const config = {
      ...defaultConfiguration(merchant.url, merchant.token, 'merchant-code'),
      enableFixedRate: false,
      enablePercentage: false,
      enableFreeShipping: false,
    };
    const report = await verify(config, { seed: 62, only: ['template', 'accepted', 'stability'] });
    expect(byId(report, 'accepted').status, JSON.stringify(kinds(report))).toBe('passed');
    expect(byId(report, 'stability')).toMatchObject({ status: 'failed', kind: 'duplicate-code' });
  });

  it('fails a merchant that answers an empty code: code-missing', async () => {
    const report = await verifyMerchant('empty-code');
    expect(report.outcome).toBe('failed');
    expect(byId(report, 'accepted')).toMatchObject({ status: 'failed', kind: 'code-missing' });
    expect(byId(report, 'accepted').message).toContain('/couponCode does not hold a code');
  });

  it("passes the tutorial's reading: its template without {{code}}, the value as {{amount}}", async () => {
    const report = await verifyMerchant('own-codes', '{"value":"{{amount}}","couponType":"{{discount_type}}"}');
    expect(report.summary.failed, JSON.stringify(kinds(report))).toBe(0);
    expect(byId(report, 'template').status).toBe('passed');
  });
});

describe("the tutorial's template with {{code}}", () => {
  it('passes a merchant that creates the coupon under the code sent, the value arriving as text', async () => {
    merchant = await startCodeMerchant('own-codes', { customerOptional: true });
    const report = await verify(
      {
        ...defaultConfiguration(merchant.url, merchant.token),
        payload: '{"code":"{{code}}","value":"{{amount}}","couponType":"{{discount_type}}"}',
      },
      { seed: 63, latencyBudgetMs: 10_000, lookup: `GET ${merchant.url}/{code}` },
    );
    expect(report.target.codeMode).toBe('gameball');
    expect(report.outcome, JSON.stringify(kinds(report))).toBe('passed');
    expect(report.summary.warnings).toBe(0);
    expect(report.notes).not.toContain(retryWarning);
    const sent = [...merchant.coupons.values()].map((c) => c.delivery as Record<string, unknown>);
    expect(sent).toContainEqual({
      code: expect.stringMatching(/^GB10-/),
      value: '10',
      couponType: 'percentage_discount',
    });
  });
});

describe('the reference server', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each(['default', 'merchant-code', 'extended'] as const)('passes verify with the %s template', async (template) => {
    const token = generateToken();
    server = await startServer({ port: 0, ephemeral: true, token, logger: false, drainMs: 0 });
    const report = await verify(defaultConfiguration(`${server.url}/coupons`, token, template), {
      seed: 64,
      latencyBudgetMs: 10_000,
      lookup: `GET ${server.url}/coupons/{code}`,
    });
    expect(report.summary.failed, JSON.stringify(kinds(report))).toBe(0);
    expect(report.outcome).toBe('passed');
    expect(report.target.codeMode).toBe(template === 'merchant-code' ? 'merchant' : 'gameball');
  });
});
