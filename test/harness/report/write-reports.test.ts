import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../core/errors.ts';
import { parseReportFormats, writeReports } from '../../../harness/report/write-reports.ts';
import { failingReport } from './fixture.ts';

describe('writeReports', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('creates the output folder and writes one file per format', async () => {
    root = await mkdtemp(join(tmpdir(), 'gb-reports-'));
    const outDir = join(root, 'nested', 'reports');

    const paths = await writeReports(failingReport(), { formats: ['json', 'junit', 'html'], outDir });

    expect(paths).toEqual([join(outDir, 'report.json'), join(outDir, 'junit.xml'), join(outDir, 'report.html')]);
    expect(JSON.parse(await readFile(paths[0]!, 'utf8')).summary.failed).toBe(3);
    expect(await readFile(paths[1]!, 'utf8')).toMatch(/^<\?xml[^>]*>\s*<testsuites/);
    expect(await readFile(paths[2]!, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('writes only the formats asked for', async () => {
    root = await mkdtemp(join(tmpdir(), 'gb-reports-'));
    expect(await writeReports(failingReport(), { formats: ['junit'], outDir: root })).toEqual([
      join(root, 'junit.xml'),
    ]);
  });
});

describe('parseReportFormats', () => {
  it('accepts comma-separated formats in any case, trimmed and deduplicated', () => {
    expect(parseReportFormats('json,junit,html')).toEqual(['json', 'junit', 'html']);
    expect(parseReportFormats(' HTML , json,Json ')).toEqual(['html', 'json']);
    expect(parseReportFormats('junit,')).toEqual(['junit']);
  });

  it.each(['xml', 'json,pdf', '', ' , '])('rejects %j, naming the valid formats', (text) => {
    expect(() => parseReportFormats(text)).toThrow(UsageError);
    expect(() => parseReportFormats(text)).toThrow(/json, junit, html/);
  });

  it('names the format it did not recognise', () => {
    expect(() => parseReportFormats('json,PDF')).toThrow(/"pdf"/);
  });
});
