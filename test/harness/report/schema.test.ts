// report.json's published schema (harness/report/report.schema.json) holds for real reports: a
// clean run, one with failures, warnings and skips, one stopped by its template, and the fixtures.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfiguration } from '../../../core/config/default-configuration.ts';
import { formatJsonReport } from '../../../harness/report/json.ts';
import type { Report } from '../../../harness/report/types.ts';
import { verify } from '../../../harness/run/verify.ts';
import { type MerchantDouble, startMerchantDouble } from '../support/merchant-double.ts';
import { failingReport, passingReport } from './fixture.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const schema = JSON.parse(readFileSync(new URL('../../../harness/report/report.schema.json', import.meta.url), 'utf8'));
const validate = addFormats(new Ajv2020({ allErrors: true, strict: true, strictRequired: false })).compile(schema);

/** The report as a CI script reads it: report.json parsed back. */
const problems = (report: Report): string[] => {
  const parsed: unknown = JSON.parse(formatJsonReport(report));
  return validate(parsed) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

describe('report.schema.json', () => {
  const merchants: MerchantDouble[] = [];
  const reports: Record<string, Report> = {};
  beforeAll(async () => {
    const run = async (name: string, fault: Parameters<typeof startMerchantDouble>[0], change = {}) => {
      const merchant = await startMerchantDouble(fault);
      merchants.push(merchant);
      reports[name] = await verify(
        { ...defaultConfiguration(merchant.url, merchant.token), ...change },
        { seed: 61, latencyBudgetMs: 5000, lookup: `GET ${merchant.url}/{code}` },
      );
    };
    await run('clean', undefined);
    await run('failures', 'stores-before-validating');
    await run('warnings', 'plain-text-errors');
    await run('dead template', undefined, { payload: '{"customer":"{{customerId}}"}' });
    await run('answers 201', 'answers-201');
  });
  afterAll(async () => {
    await Promise.all(merchants.map((m) => m.close()));
  });

  it.each(['clean', 'failures', 'warnings', 'dead template', 'answers 201'])('holds for a real report: %s', (name) => {
    expect(problems(reports[name]!)).toEqual([]);
  });

  it('holds for the reporters’ fixtures', () => {
    expect(problems(passingReport())).toEqual([]);
    expect(problems(failingReport())).toEqual([]);
  });

  it('covers what the reports carry: statuses, kinds, findings with reproductions, the lookup', () => {
    const statuses = new Set(Object.values(reports).flatMap((r) => r.checks.map((c) => c.status)));
    expect(statuses).toEqual(new Set(['passed', 'warning', 'failed', 'skipped']));
    expect(reports.failures!.checks.some((c) => c.findings.some((f) => f.reproduction?.requests === 2))).toBe(true);
    expect(reports.clean!.target.lookup).toMatch(/\{code\}$/);
  });

  it('rejects a report that is not one (so the test above can fail)', () => {
    const broken = structuredClone(reports.clean!) as unknown as { checks: { status: string; kind?: string }[] };
    broken.checks[0]!.status = 'flaky';
    expect(problems(broken as unknown as Report)).not.toEqual([]);
    const noKind = structuredClone(reports['answers 201']!);
    delete noKind.checks.find((c) => c.status === 'failed')!.kind;
    expect(problems(noKind)).toContain("/checks/1 must have required property 'kind'");
    // One shape: a failed check carries its failures as findings.
    const noFindings = structuredClone(reports['answers 201']!);
    noFindings.checks.find((c) => c.status === 'failed')!.findings = [];
    expect(problems(noFindings)).toContain('/checks/1/findings must NOT have fewer than 1 items');
  });
});
