// The README's example of running the harness inside a merchant's own vitest suite, through the
// package entry exactly as a merchant imports it.

import { ConfigError, normaliseConfiguration, verify } from 'gameball-coupon-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type EmbeddedTarget, startEmbeddedTarget } from '../../cli/embedded-target.ts';

let target: EmbeddedTarget;
beforeAll(async () => {
  target = await startEmbeddedTarget();
});
afterAll(async () => {
  await target.close();
});

it('verify() through the package entry returns the report object', async () => {
  const report = await verify(target.configuration, { latencyBudgetMs: 5000, seed: 21 });
  expect(report.checks.filter((c) => c.status === 'failed')).toEqual([]);
  expect(report.summary.passed).toBe(report.checks.length);
  expect(report.target.url).toBe(target.configuration.url);
});

it('an invalid configuration throws ConfigError, not a report', async () => {
  await expect(verify({ ...target.configuration, couponMapping: { fixed: true } })).rejects.toBeInstanceOf(ConfigError);
});

it('takes what normaliseConfiguration returned as it is (notes included); a look-alike object is raw input', async () => {
  const normalised = normaliseConfiguration({ ...target.configuration, contentType: 'application/json' });
  expect(normalised.notes.join(' ')).toMatch(/contentType/);
  const report = await verify(normalised, { only: ['accepted'], seed: 3 });
  expect(report.summary).toMatchObject({ passed: 1, failed: 0 });
  expect(report.notes).toEqual(expect.arrayContaining(normalised.notes));
  await expect(verify({ config: normalised.config, notes: [] })).rejects.toBeInstanceOf(ConfigError);
});

it('the package entry exports everything harness/index.ts exports at run time', async () => {
  const viaPackage = await import('gameball-coupon-kit');
  const direct = await import('../../harness/index.ts');
  expect(Object.keys(viaPackage).sort()).toEqual(Object.keys(direct).sort());
});
