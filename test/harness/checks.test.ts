// Each check must catch the fault it exists for, and no check may raise a false alarm on a
// correct endpoint: the reference server, and the test double with no fault switched on.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedTarget, startEmbeddedTarget } from '../../cli/embedded-target.ts';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import type { Report } from '../../harness/report/types.ts';
import { checkIds, type VerifyOptions, verify } from '../../harness/run/verify.ts';
import { type Fault, startMerchantDouble } from './support/merchant-double.ts';

const notPassed = (report: Report) =>
  report.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.message}`);
const withStatus = (report: Report, status: string) =>
  report.checks.filter((c) => c.status === status).map((c) => c.id);

describe('the reference server (embedded default)', () => {
  let target: EmbeddedTarget;
  beforeAll(async () => {
    target = await startEmbeddedTarget();
  });
  afterAll(async () => {
    await target.close();
  });

  it('passes every check', async () => {
    const report = await verify(target.configuration, { seed: 7, latencyBudgetMs: 5000 });
    expect(notPassed(report)).toEqual([]);
    expect(report.checks.map((c) => c.id)).toEqual(checkIds());
    expect(report.summary).toEqual({ passed: checkIds().length, warnings: 0, failed: 0, skipped: 0 });
    expect(report.outcome).toBe('passed');
  });

  it('passes again on the same database with the same seed (codes repeat, deliveries stay idempotent)', async () => {
    const report = await verify(target.configuration, { seed: 7, latencyBudgetMs: 5000 });
    expect(notPassed(report)).toEqual([]);
  });
});

describe('the reference server with signing on', () => {
  it('passes every check when deliveries carry X-GB-Signature', async () => {
    const target = await startEmbeddedTarget({ signingSecret: 'gb_secret_key_123' });
    try {
      const report = await verify(target.configuration, {
        seed: 8,
        signingSecret: 'gb_secret_key_123',
        latencyBudgetMs: 5000,
      });
      expect(notPassed(report)).toEqual([]);
      expect(report.checks.find((c) => c.id === 'auth-required')!.message).toContain('x-gb-signature');
    } finally {
      await target.close();
    }
  });
});

describe('a correct test double', () => {
  it('passes every check, so the faults below are the only difference', async () => {
    const merchant = await startMerchantDouble();
    try {
      expect(
        notPassed(await verify(defaultConfiguration(merchant.url, merchant.token), { seed: 9, latencyBudgetMs: 5000 })),
      ).toEqual([]);
    } finally {
      await merchant.close();
    }
  });
});

// Each fault, the one check that must fail for it, and the kind it reports. A root cause is reported
// once: no other check fails (those that depend on a failed check are skipped).
const faults: [Fault, string, string, VerifyOptions?][] = [
  ['answers-201', 'accepted', 'status-not-200'],
  ['omits-code', 'accepted', 'code-missing'],
  ['answers-text', 'accepted', 'code-missing'],
  ['retry-fails', 'idempotent-retry', 'status-not-200'],
  ['racy-duplicates', 'concurrent-duplicates', 'status-not-200'],
  ['overwrites-on-reuse', 'conflicting-reuse', 'conflict-accepted'],
  ['ignores-auth', 'auth-required', 'auth-not-required'],
  ['accepts-any-token', 'wrong-credentials', 'wrong-credential-accepted'],
  ['accepts-out-of-range', 'bad-input', 'bad-input-accepted'],
  ['accepts-missing-customer', 'bad-input', 'bad-input-accepted'],
  ['stores-before-validating', 'bad-input', 'bad-input-left-behind'],
  ['rejects-non-ascii', 'unicode', 'status-not-200'],
  ['fails-under-burst', 'stability', 'burst-failed'],
  ['slow', 'latency', 'latency-over-budget', { latencyBudgetMs: 40 }],
];

describe.each(faults)('an endpoint that %s', (fault, checkId, kind, options) => {
  let report: Report;
  beforeAll(async () => {
    const merchant = await startMerchantDouble(fault);
    try {
      // A budget no loaded machine reaches, except where latency is the fault: "nothing else fails"
      // must not depend on the machine.
      report = await verify(defaultConfiguration(merchant.url, merchant.token), {
        seed: 11,
        latencyBudgetMs: 60_000,
        ...options,
      });
    } finally {
      await merchant.close();
    }
  });

  it(`is caught by ${checkId} (${kind}), with a reproduction, and by nothing else`, () => {
    const check = report.checks.find((c) => c.id === checkId)!;
    expect(check.status, check.message).toBe('failed');
    expect(check.kind).toBe(kind);
    expect(check.message.length).toBeGreaterThan(20);
    expect(check.reproduction?.curl).toMatch(/^curl .* 'http:\/\/127\.0\.0\.1:\d+\/coupons'/);
    expect(check.reproduction?.script).toContain(check.reproduction!.curl);
    expect(withStatus(report, 'failed')).toEqual([checkId]);
    expect(report.outcome).toBe('failed');
  });

  it('keeps the bearer token out of the report and its scripts', () => {
    expect(JSON.stringify(report)).not.toContain('test-token-123');
    // The auth checks' evidence carries no credential, or a deliberately wrong one.
    if (!['auth-required', 'wrong-credentials'].includes(checkId)) {
      expect(report.checks.find((c) => c.id === checkId)!.reproduction!.curl).toContain(
        "'authorization: Bearer <redacted>'",
      );
    }
  });
});

describe('--show-secrets', () => {
  it('keeps the real credential in reproductions when asked', async () => {
    const merchant = await startMerchantDouble('answers-201');
    try {
      const report = await verify(defaultConfiguration(merchant.url, merchant.token), {
        seed: 16,
        showSecrets: true,
        only: ['accepted'],
      });
      const accepted = report.checks.find((c) => c.id === 'accepted')!;
      expect(accepted.reproduction!.curl).toContain(`'authorization: Bearer ${merchant.token}'`);
    } finally {
      await merchant.close();
    }
  });
});

describe('faults only the checks that cover them', () => {
  it('an endpoint that only overwrites on reuse fails conflicting-reuse and nothing else', async () => {
    const merchant = await startMerchantDouble('overwrites-on-reuse');
    try {
      const report = await verify(defaultConfiguration(merchant.url, merchant.token), { seed: 12 });
      expect(report.checks.filter((c) => c.status === 'failed').map((c) => c.id)).toEqual(['conflicting-reuse']);
    } finally {
      await merchant.close();
    }
  });

  it('an endpoint that accepts any token fails wrong-credentials and nothing else', async () => {
    const merchant = await startMerchantDouble('accepts-any-token');
    try {
      const report = await verify(defaultConfiguration(merchant.url, merchant.token), { seed: 13 });
      expect(report.checks.filter((c) => c.status === 'failed').map((c) => c.id)).toEqual(['wrong-credentials']);
    } finally {
      await merchant.close();
    }
  });
});

describe('an endpoint that never answers', () => {
  it('fails on the per-request timeout instead of hanging, and is not retried', async () => {
    let received = 0;
    const server = createServer(() => {
      received++; // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const started = performance.now();
      const report = await verify(defaultConfiguration(`http://127.0.0.1:${port}/coupons`, 't0ken'), {
        seed: 14,
        timeoutMs: 300,
        only: ['accepted'],
      });
      const accepted = report.checks.find((c) => c.id === 'accepted')!;
      expect(accepted.status).toBe('failed');
      expect(accepted.message).toContain('timed out');
      expect(accepted.reproduction?.error).toContain('timed out');
      expect(received).toBe(1);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reports one failure when nothing listens, and skips every check that depends on it', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const report = await verify(defaultConfiguration(`http://127.0.0.1:${port}/coupons`, 't0ken'), { seed: 15 });
    const accepted = report.checks.find((c) => c.id === 'accepted')!;
    expect(accepted.message).toContain('connection refused');
    expect(accepted.kind).toBe('no-answer');
    expect(withStatus(report, 'failed')).toEqual(['accepted']);
    // Latency included: a dead port has no latency to pass.
    expect(withStatus(report, 'skipped')).toEqual(checkIds().filter((id) => id !== 'template' && id !== 'accepted'));
    for (const check of report.checks.filter((c) => c.status === 'skipped')) {
      expect(check.kind).toBe('dependency-failed');
      expect(check.message).toMatch(
        /^Skipped: depends on [a-z-]+, which (failed|was skipped because accepted failed)\.$/,
      );
    }
    expect(report.summary).toEqual({ passed: 1, warnings: 0, failed: 1, skipped: checkIds().length - 2 });
  });
});
