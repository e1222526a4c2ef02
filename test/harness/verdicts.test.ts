// Verdicts a merchant can trust (issue 8): the false passes fail, the false alarms pass with a
// warning, one cause is reported once, and every failure carries the whole sequence that shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfiguration, defaultPayloadTemplate } from '../../core/config/default-configuration.ts';
import { UsageError } from '../../core/errors.ts';
import { type Check, type CheckVerdict, fail, firstFinding, pass, verdictOf } from '../../harness/checks/check.ts';
import type { Report } from '../../harness/report/types.ts';
import { checkIds, verify } from '../../harness/run/verify.ts';
import { type Fault, type MerchantDouble, startMerchantDouble } from './support/merchant-double.ts';

const withStatus = (report: Report, status: string) =>
  report.checks.filter((c) => c.status === status).map((c) => c.id);
const byId = (report: Report, id: string) => report.checks.find((c) => c.id === id)!;

async function against<T>(fault: Fault | undefined, use: (merchant: MerchantDouble) => Promise<T>): Promise<T> {
  const merchant = await startMerchantDouble(fault);
  try {
    return await use(merchant);
  } finally {
    await merchant.close();
  }
}

describe('false passes that must now fail', () => {
  it('an answer that quotes the code in an error message does not carry it (custom template, no pointer)', async () => {
    const report = await against('answers-error-quoting-code', (merchant) =>
      verify(
        // The default template with one more space: a custom template, so no couponCode rule applies.
        { ...defaultConfiguration(merchant.url, merchant.token), payload: `${defaultPayloadTemplate} ` },
        { seed: 41 },
      ),
    );
    const accepted = byId(report, 'accepted');
    expect(accepted.status).toBe('failed');
    expect(accepted.kind).toBe('code-missing');
    expect(accepted.message).toContain('no JSON string value in the body equals the code');
    expect(withStatus(report, 'failed')).toEqual(['accepted']);
    expect(report.outcome).toBe('failed');
  });

  it('an endpoint that stores a row per copy fails concurrent-duplicates with --lookup', async () => {
    await against('stores-duplicates', async (merchant) => {
      const config = defaultConfiguration(merchant.url, merchant.token);
      const answersOnly = await verify(config, { seed: 42, only: ['accepted', 'concurrent-duplicates'] });
      // Without a lookup the answers are all right, and the check says that is all it saw.
      expect(byId(answersOnly, 'concurrent-duplicates').status).toBe('passed');
      expect(byId(answersOnly, 'concurrent-duplicates').message).toContain('judges the answers only');

      // A plain retry already stores a second row, so the copies at once are skipped (and a reuse
      // with other attributes, also simply stored, is its own finding).
      const lookup = `GET ${merchant.url}/{code}`;
      const whole = await verify(config, { seed: 43, lookup });
      expect(withStatus(whole, 'failed')).toEqual(['idempotent-retry', 'conflicting-reuse']);
      expect(byId(whole, 'idempotent-retry').kind).toBe('duplicates-stored');
      expect(byId(whole, 'concurrent-duplicates').kind).toBe('dependency-failed');
      expect(whole.target.lookup).toBe(lookup);

      const report = await verify(config, { seed: 44, lookup, only: ['accepted', 'concurrent-duplicates'] });
      const duplicates = byId(report, 'concurrent-duplicates');
      expect(duplicates.status).toBe('failed');
      expect(duplicates.kind).toBe('duplicates-stored');
      expect(duplicates.message).toContain('finds 20 coupons stored under');
      // The script sends the 20 copies at once, then reads back.
      expect(duplicates.reproduction!.script).toMatch(/for i in \$\(seq 20\); do curl .* & done; wait/);
      expect(duplicates.reproduction!.script).toContain(`curl -sS -i -X GET '${merchant.url}/`);
    });
  });

  it('an endpoint that acknowledges coupons it never stores fails with --lookup, and only then', async () => {
    await against('acknowledges-without-storing', async (merchant) => {
      const config = defaultConfiguration(merchant.url, merchant.token);
      const blind = await verify(config, { seed: 45, only: ['accepted', 'idempotent-retry'] });
      expect(byId(blind, 'idempotent-retry').status).toBe('passed');
      const report = await verify(config, {
        seed: 46,
        lookup: `GET ${merchant.url}/{code}`,
        only: ['accepted', 'idempotent-retry'],
      });
      expect(byId(report, 'idempotent-retry')).toMatchObject({ status: 'failed', kind: 'acknowledged-not-stored' });
      expect(byId(report, 'idempotent-retry').reproduction!.requests).toBe(3);
    });
  });

  it('a lookup answering 200 {"error":"not found"} is no coupon stored, as load --reconcile reads it', async () => {
    await against('forgets-but-lookup-says-200', async (merchant) => {
      const report = await verify(defaultConfiguration(merchant.url, merchant.token), {
        seed: 47,
        lookup: `GET ${merchant.url}/{code}`,
        only: ['accepted', 'idempotent-retry'],
      });
      const retry = byId(report, 'idempotent-retry');
      expect(retry).toMatchObject({ status: 'failed', kind: 'acknowledged-not-stored' });
      expect(retry.message).toContain('it answered 200 with {"error":"not found"}');
    });
  });

  it('an endpoint that stores the customer id with non-ASCII replaced by "?" fails unicode with --lookup (stored-mismatch)', async () => {
    await against('mangles-non-ascii', async (merchant) => {
      const config = defaultConfiguration(merchant.url, merchant.token);
      const blind = await verify(config, { seed: 48, only: ['accepted', 'unicode'] });
      expect(byId(blind, 'unicode').status).toBe('passed');
      const report = await verify(config, { seed: 49, lookup: `GET ${merchant.url}/{code}` });
      const unicode = byId(report, 'unicode');
      expect(unicode).toMatchObject({ status: 'failed', kind: 'stored-mismatch' });
      expect(unicode.message).toMatch(/playerUniqueId "[^"]*\?[^"]*" where "[^"]*" was sent \(at \/playerUniqueId\)/);
      // The reproduction ends with the lookup that shows it.
      expect(unicode.reproduction!.script).toContain(`curl -sS -i -X GET '${merchant.url}/`);
      // The ASCII deliveries are stored as sent: nothing else fails.
      expect(withStatus(report, 'failed')).toEqual(['unicode']);
    });
  });

  it('an endpoint that stores before validating is caught by the lookup as well as by the retry', async () => {
    const report = await against('stores-before-validating', (merchant) =>
      verify(defaultConfiguration(merchant.url, merchant.token), {
        seed: 44,
        lookup: `GET ${merchant.url}/{code}`,
        only: ['accepted', 'bad-input'],
      }),
    );
    const badInput = byId(report, 'bad-input');
    expect(badInput.status).toBe('failed');
    expect(badInput.findings.map((f) => f.kind)).toContain('refused-but-stored');
  });
});

describe('false alarms that must now pass with a warning', () => {
  it.each<[Fault, string, string]>([
    ['plain-text-errors', 'bad-input', 'error-body-not-json'],
    ['html-errors', 'bad-input', 'error-body-not-json'],
    ['crashes-on-malformed-json', 'bad-input', 'bad-input-server-error'],
    ['body-limit-64k', 'bad-input', 'error-body-not-json'],
  ])('%s: %s warns (%s), the run passes, and --strict fails it', async (fault, checkId, kind) => {
    await against(fault, async (merchant) => {
      const config = defaultConfiguration(merchant.url, merchant.token);
      const report = await verify(config, { seed: 45, latencyBudgetMs: 5000 });
      expect(withStatus(report, 'failed')).toEqual([]);
      expect(withStatus(report, 'warning')).toEqual([checkId]);
      const check = byId(report, checkId);
      expect(check.kind).toBe(kind);
      expect(check.findings.every((f) => f.severity === 'warning')).toBe(true);
      expect(report.summary.warnings).toBe(1);
      expect(report.outcome).toBe('passed');

      const strict = await verify(config, { seed: 46, latencyBudgetMs: 5000, strict: true, only: [checkId] });
      expect(strict.strict).toBe(true);
      expect(strict.outcome).toBe('failed');
    });
  });

  it('with no credential configured, auth-required warns loudly and wrong-credentials is skipped', async () => {
    const report = await against('ignores-auth', (merchant) =>
      verify(
        { ...defaultConfiguration(merchant.url, merchant.token), headers: [] },
        { seed: 47, latencyBudgetMs: 5000 },
      ),
    );
    expect(withStatus(report, 'failed')).toEqual([]);
    const auth = byId(report, 'auth-required');
    expect(auth.status).toBe('warning');
    expect(auth.kind).toBe('no-credentials');
    expect(auth.message).toContain('anyone who knows the URL can create coupons');
    expect(byId(report, 'wrong-credentials')).toMatchObject({ status: 'skipped', kind: 'no-credentials' });
    expect(report.outcome).toBe('passed');
  });

  it('a 422 to a conflicting reuse is refused enough: a warning that the contract says 409', async () => {
    const report = await against(undefined, async (merchant) => {
      const config = defaultConfiguration(merchant.url, merchant.token);
      return verify(config, { seed: 48, only: ['accepted', 'conflicting-reuse'] });
    });
    expect(byId(report, 'conflicting-reuse').status).toBe('passed');
  });
});

describe('one cause, reported once', () => {
  it('an endpoint answering 201 has one failure (accepted) and every dependent check skipped', async () => {
    const report = await against('answers-201', (merchant) =>
      verify(defaultConfiguration(merchant.url, merchant.token), { seed: 49 }),
    );
    expect(withStatus(report, 'failed')).toEqual(['accepted']);
    expect(withStatus(report, 'passed')).toEqual(['template']);
    expect(withStatus(report, 'skipped')).toHaveLength(checkIds().length - 2);
    expect(byId(report, 'bad-input').message).toBe('Skipped: depends on accepted, which failed.');
    expect(byId(report, 'bad-input').dependsOn).toEqual(['accepted']);
  });

  it('a template that breaks the JSON as Gameball fills it fails the template check; the endpoint is not blamed', async () => {
    const report = await against(undefined, (merchant) =>
      verify(
        {
          ...defaultConfiguration(merchant.url, merchant.token),
          couponMapping: { fixed: 'fixed "rate"', percentage: 'p', freeProduct: 'fp', freeShipping: 'fs' },
        },
        { seed: 50 },
      ),
    );
    expect(withStatus(report, 'failed')).toEqual(['template']);
    expect(byId(report, 'template').kind).toBe('template-unsafe-value');
    expect(byId(report, 'accepted').message).toBe('Skipped: depends on template, which failed.');
    expect(byId(report, 'unicode').message).toBe(
      'Skipped: depends on accepted, which was skipped because template failed.',
    );
    expect(report.latency.samples).toBe(0);
  });
});

describe('self-contained reproductions', () => {
  it('a conflicting reuse carries both deliveries, in order, as a script', async () => {
    const report = await against('overwrites-on-reuse', (merchant) =>
      verify(defaultConfiguration(merchant.url, merchant.token), { seed: 51, only: ['accepted', 'conflicting-reuse'] }),
    );
    const reproduction = byId(report, 'conflicting-reuse').reproduction!;
    expect(reproduction.requests).toBe(2);
    const curls = reproduction.script.split('\n').filter((line) => line.startsWith('curl '));
    expect(curls).toHaveLength(2);
    expect(curls[1]).toBe(reproduction.curl);
    expect(curls[0]).not.toBe(curls[1]);
    expect(reproduction.script).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(reproduction.script).toContain("'authorization: Bearer <redacted>'");
  });

  it('every failing bad-input case has its own finding and reproduction', async () => {
    const report = await against('accepts-out-of-range', (merchant) =>
      verify(defaultConfiguration(merchant.url, merchant.token), { seed: 52, only: ['accepted', 'bad-input'] }),
    );
    const failures = byId(report, 'bad-input').findings.filter((f) => f.severity === 'failure');
    expect(failures.map((f) => f.message.split(' ')[0])).toEqual(['/value', '/value']);
    expect(failures.map((f) => f.message)).toEqual([
      expect.stringContaining('/value below minimum 0 (-1) was accepted'),
      expect.stringContaining('/value above maximum 100 when /couponType is percentage_discount (101) was accepted'),
    ]);
    for (const finding of failures) expect(finding.reproduction!.curl).toMatch(/^curl /);
    expect(failures[0]!.reproduction!.curl).not.toBe(failures[1]!.reproduction!.curl);
  });
});

describe('extra checks (verify({ checks }))', () => {
  const header: Check = {
    id: 'request-id-header',
    title: 'Answers carry an x-request-id header',
    dependsOn: ['accepted'],
    async run(context) {
      const delivery = context.deliver(context.scenarios[0]!);
      const exchange = await context.send(delivery.request);
      return exchange.response?.headers['x-request-id']
        ? pass('x-request-id present.')
        : fail('request-id-missing', 'The answer has no x-request-id header.', exchange);
    },
  };

  it('runs them with the same context, before stability and latency, and reports them like the others', async () => {
    const report = await against(undefined, (merchant) =>
      verify(defaultConfiguration(merchant.url, merchant.token), {
        seed: 53,
        checks: [header],
        only: ['accepted', 'request-id-header'],
      }),
    );
    const ids = report.checks.map((c) => c.id);
    expect(ids.indexOf('request-id-header')).toBe(ids.indexOf('stability') - 1);
    expect(byId(report, 'request-id-header')).toMatchObject({ status: 'failed', kind: 'request-id-missing' });
    expect(byId(report, 'request-id-header').reproduction!.curl).toMatch(/^curl /);
  });

  it('reports every verdict in one shape: the findings, and kind, message and reproduction from the first', async () => {
    const warnsThenFails: Check = {
      id: 'two-findings',
      title: 'Two findings, a warning listed before the failure',
      dependsOn: ['accepted'],
      async run(context) {
        const exchange = await context.send(context.deliver(context.scenarios[0]!).request);
        return verdictOf(
          [
            { severity: 'warning', kind: 'advice-first', message: 'Advice.' },
            { severity: 'failure', kind: 'broken-second', message: 'Broken.', evidence: [exchange] },
          ],
          'Never.',
        );
      },
    };
    const report = await against(undefined, (merchant) =>
      verify(defaultConfiguration(merchant.url, merchant.token), {
        seed: 57,
        checks: [warnsThenFails],
        only: ['accepted', 'two-findings'],
      }),
    );
    const check = byId(report, 'two-findings');
    expect(check.findings.map((f) => f.kind)).toEqual(['broken-second', 'advice-first']);
    expect(check).toMatchObject({ status: 'failed', kind: 'broken-second', message: 'Broken. Advice.' });
    expect(check.reproduction).toBe(firstFinding(check)!.reproduction);
    expect(check.reproduction!.curl).toMatch(/^curl /);
    expect(byId(report, 'accepted')).toMatchObject({ status: 'passed', findings: [] });
    expect(byId(report, 'bad-input')).toMatchObject({ status: 'skipped', kind: 'not-selected', findings: [] });
  });

  it('a hand-built verdict in another shape fails its check (check-error), not the run', async () => {
    const oldShape = {
      ...header,
      id: 'old-shape',
      run: async () => ({ status: 'failed', kind: 'x', message: 'top-level only' }) as unknown as CheckVerdict,
    };
    const report = await against(undefined, (merchant) =>
      verify(defaultConfiguration(merchant.url, merchant.token), {
        seed: 58,
        checks: [oldShape],
        only: ['accepted', 'old-shape'],
      }),
    );
    expect(byId(report, 'old-shape')).toMatchObject({ status: 'failed', kind: 'check-error' });
    expect(byId(report, 'old-shape').message).toMatch(/needs findings\[\] with a failure/);
  });

  it('refuses an unknown --only id or a malformed --lookup before it sends anything', async () => {
    const started: unknown[] = [];
    const config = defaultConfiguration('http://127.0.0.1:9/coupons', 't');
    await expect(verify(config, { only: ['accepted', 'speed'], onStart: (h) => started.push(h) })).rejects.toThrow(
      UsageError,
    );
    await expect(verify(config, { lookup: 'GET /coupons', onStart: (h) => started.push(h) })).rejects.toThrow(
      /--lookup takes a method and a URL with \{code\}/,
    );
    expect(started).toEqual([]);
  });

  it('refuses an id that clashes with a built-in check', async () => {
    await expect(
      verify(defaultConfiguration('http://127.0.0.1:9/coupons', 't'), { checks: [{ ...header, id: 'accepted' }] }),
    ).rejects.toThrow(/Two checks have the id accepted/);
  });
});

describe('the reference server with its lookup', () => {
  let merchant: MerchantDouble;
  beforeAll(async () => {
    merchant = await startMerchantDouble();
  });
  afterAll(async () => {
    await merchant.close();
  });

  it('a correct endpoint passes everything when its storage is read back', async () => {
    const report = await verify(defaultConfiguration(merchant.url, merchant.token), {
      seed: 54,
      lookup: `GET ${merchant.url}/{code}`,
      latencyBudgetMs: 5000,
    });
    expect(report.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(byId(report, 'concurrent-duplicates').message).toContain('The lookup finds one coupon.');
  });
});
