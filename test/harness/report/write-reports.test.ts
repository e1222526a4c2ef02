import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeReports } from '../../../harness/report/write-reports.ts';
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
