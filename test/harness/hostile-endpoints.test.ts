// gb-coupon against endpoints that attack the tool rather than fail the checks: a 100 MiB error
// page, an endless body, bodies written to break report files. The CLI runs as a child process, as
// in CI, and its peak memory is measured (max RSS, from getrusage at exit): it must stay under
// 300 MB, write its reports and exit 1 — not run out of memory.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../harness/report/types.ts';
import { verify } from '../../harness/run/verify.ts';
import { type RunningProcess, sourceCli, startProcess } from '../support/processes.ts';
import { assertWellFormedXml } from '../support/strict-xml.ts';
import {
  type Answer,
  type HostileEndpoint,
  stallBody,
  startHostileEndpoint,
  streamBody,
} from './support/hostile-endpoint.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const maxRssPreload = fileURLToPath(new URL('../support/max-rss.mjs', import.meta.url));
/** The bound of issue 10: 300 MB, in the KiB that getrusage reports. */
const MEMORY_BOUND_KIB = 300_000_000 / 1024;

let folder: string;
const endpoints: HostileEndpoint[] = [];
const running = new Set<RunningProcess>();

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'gb-coupon-hostile-'));
});

afterAll(async () => {
  await Promise.all([...running].map((child) => child.stop('SIGKILL')));
  await Promise.all(endpoints.map((endpoint) => endpoint.close()));
  if (folder) await rm(folder, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the gb-coupon process, in KiB. */
  maxRssKiB: number;
  out: string;
}

/** Starts an endpoint answering every request with `answer`, and runs `gb-coupon <command>` against it. */
async function runAgainst(name: string, answer: Answer, command: string[], payload?: string): Promise<Run> {
  const endpoint = await startHostileEndpoint(answer);
  endpoints.push(endpoint);
  const out = path.join(folder, name);
  const config = path.join(folder, `${name}.json`);
  await writeFile(config, JSON.stringify({ url: endpoint.url, method: 'POST', ...(payload ? { payload } : {}) }));
  const rssFile = path.join(folder, `${name}.rss`);
  const child = startProcess(
    process.execPath,
    ['--import', maxRssPreload, ...sourceCli, ...command, '--config', config, '--seed', '7'],
    { cwd: root, env: { ...process.env, NO_COLOR: '1', MAX_RSS_FILE: rssFile } },
  );
  running.add(child);
  const code = await child.exited;
  running.delete(child);
  const maxRssKiB = Number(await readFile(rssFile, 'utf8').catch(() => 'NaN'));
  return { code, stdout: child.stdout(), stderr: child.stderr(), maxRssKiB, out };
}

const peak = (run: Run): string => `peak RSS ${Math.round(run.maxRssKiB / 1024)} MiB`;

const verifyWithReports = (out: string): string[] => [
  'verify',
  '--report',
  'json,junit,html',
  '--out',
  out,
  '--timeout',
  '20000',
];

async function readJsonReport(out: string): Promise<Report> {
  return JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as Report;
}

describe('an endpoint that answers 500 with a 100 MiB body to every delivery', () => {
  let run: Run;
  beforeAll(async () => {
    run = await runAgainst(
      'huge',
      (res) => streamBody(res, 500, 100 * 1024 * 1024),
      verifyWithReports(path.join(folder, 'huge')),
    );
  }, 300_000);

  it('is judged with bounded memory, reported, and exits 1', async () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.maxRssKiB, peak(run)).toBeLessThan(MEMORY_BOUND_KIB);
    const report = await readJsonReport(run.out);
    const accepted = report.checks.find((check) => check.id === 'accepted')!;
    expect(accepted.status).toBe('failed');
    expect(accepted.message).toMatch(
      /answered 500 with <p>error<\/p>.*\(body truncated: more than 4 MiB, the connection was dropped\)/,
    );
    expect(accepted.reproduction?.response).toMatchObject({ status: 500, truncated: true, abandoned: true });
    expect(run.stdout).toContain('HTTP 500 (body truncated: more than 4 MiB, the connection was dropped)');
  });
});

describe('an endpoint whose body never ends', () => {
  let verifyRun: Run;
  let triggerRun: Run;
  beforeAll(async () => {
    const endless: Answer = (res) => streamBody(res, 200, Number.POSITIVE_INFINITY);
    verifyRun = await runAgainst('endless', endless, verifyWithReports(path.join(folder, 'endless')));
    triggerRun = await runAgainst('endless-trigger', endless, ['trigger', 'redeem', '--timeout', '20000']);
  }, 300_000);

  it('verify stays within the memory bound, writes its reports and exits 1: a 200 cut short is no coupon', async () => {
    expect(verifyRun.stderr).toBe('');
    expect(verifyRun.code).toBe(1);
    expect(verifyRun.maxRssKiB, peak(verifyRun)).toBeLessThan(MEMORY_BOUND_KIB);
    const report = await readJsonReport(verifyRun.out);
    // One cause, said once: accepted fails and names the truncation; the checks after it are skipped.
    expect(report.checks.find((check) => check.id === 'accepted')?.status).toBe('failed');
    expect(report.checks.find((check) => check.id === 'accepted')?.message).toMatch(
      /\(body truncated: more than 4 MiB, the connection was dropped\)/,
    );
    expect(report.checks.find((check) => check.id === 'response-conformance')?.kind).toBe('dependency-failed');
    assertWellFormedXml(await readFile(path.join(verifyRun.out, 'junit.xml'), 'utf8'));
  });

  it('trigger stays within the memory bound too, and says the body was truncated', () => {
    expect(triggerRun.stderr).toBe('');
    expect(triggerRun.code).toBe(1);
    expect(triggerRun.maxRssKiB, peak(triggerRun)).toBeLessThan(MEMORY_BOUND_KIB);
    expect(triggerRun.stdout).toContain('(body truncated: more than 4 MiB, the connection was dropped)');
    expect(triggerRun.stdout).toContain('Gameball would treat this as a failure');
  });
});

/** About 1 MiB of JSON: `open`, then `item` repeated with `separator`, then `close`. */
function jsonBomb(open: string, item: string, separator: string, close: string): string {
  const count = Math.floor((1000 * 1024 - open.length - close.length) / (item.length + separator.length));
  return `${open}${Array.from({ length: count }, () => item).join(separator)}${close}`;
}

/**
 * JSON bombs: answers of about 1 MiB (under --max-body, so kept whole and parsed) that parse into
 * hundreds of thousands of values. Most carry the code where the contract puts it, so every check
 * runs, the stability check with 30 of them in flight at once; the bare one carries nothing.
 */
const JSON_BOMBS: { name: string; junk: string; withCode: boolean; template?: string }[] = [
  { name: '[{},{},…] with the code', junk: jsonBomb('[', '{}', ',', ']'), withCode: true },
  { name: '[{},{},…] alone', junk: jsonBomb('[', '{}', ',', ']'), withCode: false },
  { name: 'small objects in one wide object', junk: jsonBomb('{', '"a":{"a":{}}', ',', '}'), withCode: true },
  { name: 'numbers', junk: jsonBomb('[', '1', ',', ']'), withCode: true },
  {
    name: '[{},{},…] with the code, custom template',
    junk: jsonBomb('[', '{}', ',', ']'),
    withCode: true,
    template: '{"couponCode":"{{code}}","customer":"{{playerUniqueId}}"}',
  },
];

describe.each(JSON_BOMBS)(
  'an endpoint that answers 200 with 1 MiB of JSON: $name',
  ({ name, junk, withCode, template }) => {
    let run: Run;
    let report: Report;
    beforeAll(async () => {
      const folderName = `bomb-${name.replace(/\W+/g, '-')}`;
      run = await runAgainst(
        folderName,
        (res, _req, body) => {
          // Also answers the deliberately broken deliveries of bad-input, which do not parse.
          const code = /"(?:couponC|c)ode":"([^"]*)"/.exec(body)?.[1] ?? '';
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(withCode ? `{"couponCode":"${code}","junk":${junk}}` : junk);
        },
        verifyWithReports(path.join(folder, folderName)),
        template,
      );
      report = await readJsonReport(run.out);
      console.info(`JSON bomb (${name}): verify ${peak(run)}`);
    }, 300_000);

    it('is judged within the memory bound, with its reports written', async () => {
      expect(run.stderr).toBe('');
      expect(run.maxRssKiB, peak(run)).toBeLessThan(MEMORY_BOUND_KIB);
      assertWellFormedXml(await readFile(path.join(run.out, 'junit.xml'), 'utf8'));
    });

    it(withCode ? 'carries the code, so every check runs' : 'does not carry the code: accepted fails', () => {
      const accepted = report.checks.find((check) => check.id === 'accepted')!;
      if (withCode) {
        expect(accepted.status).toBe('passed');
        expect(report.checks.find((check) => check.id === 'stability')?.status).toBe('passed');
      } else {
        expect(run.code).toBe(1);
        expect(accepted.status).toBe('failed');
        expect(accepted.message).toContain('the body has no "couponCode" equal to the code');
      }
    });
  },
);

/**
 * A body aimed at every report writer: CDATA terminators (several, and one followed by markup),
 * controls and a terminal escape, a right-to-left override, an escaped lone surrogate, markup that
 * would close the HTML page's elements, and bytes that are not UTF-8.
 */
const HOSTILE_BODY = Buffer.concat([
  Buffer.from(
    '<html>]]>first ]]><x/>second ]]>]]>third \u0000\u0001\u0008\u000b\u000c\u001b[2J\u007f ' +
      '\u202eevil\u202c "\\ud800" </details></pre><script>alert(1)</script> ',
  ),
  Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
  Buffer.from(' end'),
]);
/** The same body as the reports show it: invalid bytes as U+FFFD, as decoded. */
const HOSTILE_TEXT = HOSTILE_BODY.toString('utf8');

describe('an endpoint whose answers are written to break the reports', () => {
  let run: Run;
  let report: Report;
  beforeAll(async () => {
    run = await runAgainst(
      'reports',
      (res) => res.writeHead(500, { 'content-type': 'text/html' }).end(HOSTILE_BODY),
      verifyWithReports(path.join(folder, 'reports')),
    );
    report = await readJsonReport(run.out);
  }, 120_000);

  it('exits 1 with the failures reported', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(report.summary.failed).toBeGreaterThan(0);
  });

  it('writes junit.xml that a strict XML parser reads, with the body shown, not obeyed', async () => {
    const xml = await readFile(path.join(run.out, 'junit.xml'));
    // Valid UTF-8 and well-formed XML 1.0.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(xml);
    assertWellFormedXml(text);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      trimValues: false,
      isArray: (name) => name === 'testcase',
    }).parse(text);
    const accepted = (
      parsed.testsuites.testsuite.testcase as { '@_classname': string; failure?: { '#text': string } }[]
    ).find((testCase) => testCase['@_classname'] === 'gameball.accepted')!;
    const shown = HOSTILE_TEXT.replace(
      /[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(accepted.failure!['#text']).toContain(shown);
    expect(shown).toContain(']]><x/>second ]]>]]>third \\u0000\\u0001');
    expect(shown).toContain('\\u202eevil\\u202c');
  });

  it('keeps the body exactly in report.json', async () => {
    const accepted = report.checks.find((check) => check.id === 'accepted')!;
    expect(accepted.reproduction?.response?.body).toBe(HOSTILE_TEXT);
    expect(accepted.reproduction?.response?.invalidUtf8).toBe(true);
    const bytes = await readFile(path.join(run.out, 'report.json'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
  });

  it('shows the body as text in report.html, under a policy that forbids scripts', async () => {
    const html = await readFile(path.join(run.out, 'report.html'), 'utf8');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<script|<x\/>|\u202e|\u001b/);
    expect(html).toContain(']]&gt;&lt;x/&gt;second ]]&gt;]]&gt;third');
    expect(html).toContain('&lt;/details&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('\\u202eevil\\u202c');
    // Every element the page opens, it closes: the body closed none of them early.
    for (const tag of ['details', 'pre', 'section', 'li']) {
      expect(html.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length ?? 0).toBe(
        html.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0,
      );
    }
  });
});

describe('answers that look like success but are not', () => {
  const codeOf = (body: string): string => (JSON.parse(body) as { code: string }).code;

  it('a 200 whose body is not valid UTF-8 fails response-conformance: JSON must be UTF-8', async () => {
    const endpoint = await startHostileEndpoint((res, _req, body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        Buffer.concat([
          Buffer.from(`{"couponCode":"${codeOf(body)}","note":"`),
          Buffer.from([0xff]),
          Buffer.from('"}'),
        ]),
      );
    });
    endpoints.push(endpoint);

    const report = await verify(
      { url: endpoint.url, method: 'POST' },
      { only: ['accepted', 'response-conformance'], seed: 3 },
    );

    const conformance = report.checks.find((check) => check.id === 'response-conformance')!;
    expect(conformance.status).toBe('failed');
    expect(conformance.message).toMatch(/^The answer is not valid UTF-8; JSON must be UTF-8/);
    expect(conformance.reproduction?.response).toMatchObject({ status: 200, invalidUtf8: true });
  });

  it('with a custom template, a 200 that is not UTF-8 is pointed out, not failed', async () => {
    const endpoint = await startHostileEndpoint((res, _req, body) => {
      // The code as a JSON value of its own (carrying it is exact), then a byte that is not UTF-8.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        Buffer.concat([
          Buffer.from(`{"code":"${codeOf(body)}","note":"`),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}'),
        ]),
      );
    });
    endpoints.push(endpoint);
    const configuration = {
      url: endpoint.url,
      method: 'POST',
      payload: '{"code":"{{code}}","customer":"{{playerUniqueId}}"}',
    };

    const report = await verify(configuration, { only: ['accepted', 'response-conformance'], seed: 3 });

    expect(report.checks.find((check) => check.id === 'accepted')?.status).toBe('passed');
    const conformance = report.checks.find((check) => check.id === 'response-conformance')!;
    expect(conformance.status).toBe('skipped');
    expect(conformance.message).toContain('a 200 answer of this run is not valid UTF-8');
  });

  it('a 200 whose body stalls after the headers is an incomplete answer, not a coupon and not "no answer"', async () => {
    const endpoint = await startHostileEndpoint((res, _req, body) =>
      stallBody(res, 200, `{"couponCode":"${codeOf(body)}"`),
    );
    endpoints.push(endpoint);

    const report = await verify({ url: endpoint.url, method: 'POST' }, { only: ['accepted'], seed: 3, timeoutMs: 300 });

    const accepted = report.checks.find((check) => check.id === 'accepted')!;
    expect(accepted.status).toBe('failed');
    expect(accepted.message).toMatch(
      /got an incomplete answer \(the body stalled: HTTP 200 and its headers arrived, then \d+ bytes of the body, and the rest did not come within 300 ms \(timed out\)\)/,
    );
  });
});
