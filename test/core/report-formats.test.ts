import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.ts';
import { parseReportFormats } from '../../core/report/report-formats.ts';

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
