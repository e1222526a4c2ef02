// One answer, one verdict: verify, `gb-coupon trigger`, the stand-in and the load runner, each run
// for real against the same small merchant on 127.0.0.1, refuse the same answers with the same kind
// and the same sentence (the one judge's, core/judge/judge.ts). The stand-in used to store a coupon
// from a 200 whose body is not valid UTF-8, which verify and trigger refuse.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify } from '../../harness/run/verify.ts';
import { constantPlan } from '../../loadtest/runner/arrivals.ts';
import { parseMix } from '../../loadtest/runner/mix.ts';
import { runLoad } from '../../loadtest/runner/run-load.ts';
import { startMock } from '../../mock/index.ts';
import { gameballClient } from '../mock/support.ts';
import { exitWithin, sourceCli, startProcess } from '../support/processes.ts';

/** How the merchant answers a delivery carrying `code`. */
type Answer = (res: ServerResponse, code: string) => void;

const json =
  (status: number, body: string | Buffer): ((res: ServerResponse) => void) =>
  (res) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);

/** The code, then a byte that is not UTF-8, in a body that is otherwise the contract's answer. */
const invalidUtf8: Answer = (res, code) =>
  json(
    200,
    Buffer.concat([Buffer.from(`{"couponCode":"${code}","note":"`), Buffer.from([0xff]), Buffer.from('"}')]),
  )(res);

let server: Server;
let url: string;
let answer: Answer = invalidUtf8;
const folder = mkdtempSync(path.join(os.tmpdir(), 'gb-judge-agreement-'));
const configuration = (): { url: string; method: 'POST' } => ({ url, method: 'POST' });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => answer(res, (JSON.parse(Buffer.concat(chunks).toString()) as { code: string }).code));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/coupons`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(folder, { recursive: true, force: true });
});

/** Codes differ from part to part (each makes its own): a verdict is compared with them blanked. */
const blankCodes = (text: string): string => text.replace(/GB[A-Z0-9]*-[A-Z0-9]+/g, '<code>');

/** verify's verdict: the first of accepted and response-conformance that failed, or passed. */
async function verifyVerdict(): Promise<{ kind: string; message: string }> {
  const report = await verify(configuration(), { only: ['accepted', 'response-conformance'], seed: 5 });
  const failed = report.checks.find((check) => check.status === 'failed');
  return failed ? { kind: failed.kind!, message: blankCodes(failed.message) } : { kind: 'accepted', message: '' };
}

/** The stand-in's: a redemption, and the delivery it recorded. */
async function standInVerdict(): Promise<{ status: number; kind: string; verdict: string; accepted: boolean }> {
  const mock = await startMock({ logLevel: 'silent', seed: 5 });
  try {
    const gb = gameballClient(mock.url);
    await gb.putConfiguration(configuration());
    const redeemed = await gb.redeem('CUS_JUDGE');
    const { deliveries } = (await gb.control('GET', '/__gb/deliveries')).body as {
      deliveries: { accepted: boolean; kind: string; verdict: string }[];
    };
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    expect((await gb.coupons('CUS_JUDGE')).body).toEqual({ coupons: delivery!.accepted ? [expect.anything()] : [] });
    return { status: redeemed.status, ...delivery!, verdict: blankCodes(delivery!.verdict) };
  } finally {
    await mock.stop();
  }
}

/** trigger's: its exit code and the sentence after "Gameball would …". */
async function triggerVerdict(name: string): Promise<{ code: number | null; detail: string }> {
  const file = path.join(folder, `${name}.json`);
  writeFileSync(file, JSON.stringify(configuration()));
  const run = await exitWithin(
    startProcess(process.execPath, [...sourceCli, 'trigger', 'redeem', '--config', file, '--no-color']),
    60_000,
    'gb-coupon trigger',
  );
  const line = /^Gameball would (?:accept this|treat this as a failure)\. (.*)$/m.exec(run.stdout);
  expect(line, run.stdout + run.stderr).not.toBeNull();
  return { code: run.code, detail: blankCodes(line![1]!) };
}

/** The load runner's: its failure kinds and the first example of each. */
async function loadVerdict(): Promise<{ byKind: Record<string, number>; examples: Record<string, string> }> {
  const run = await runLoad({
    config: configuration(),
    model: { kind: 'open', plan: constantPlan(10, 300) },
    connections: 2,
    mix: parseMix('redeem=1'),
    seed: 5,
    timeoutMs: 10_000,
  });
  const byKind = Object.fromEntries(Object.entries(run.metrics.byKind).filter(([, count]) => count > 0));
  const examples = Object.fromEntries([...run.metrics.examples].map(([key, text]) => [key, blankCodes(text)]));
  return { byKind, examples };
}

describe('a 200 whose body is not valid UTF-8 (default template)', () => {
  it('is refused by the stand-in exactly as verify refuses it: no coupon, the same kind and sentence', async () => {
    answer = invalidUtf8;
    const [standIn, verified] = await Promise.all([standInVerdict(), verifyVerdict()]);
    expect(standIn.status).toBe(502);
    expect(standIn.accepted).toBe(false);
    expect(verified.kind).toBe('body-not-utf8');
    expect(standIn.kind).toBe(verified.kind);
    expect(standIn.verdict).toBe(verified.message);
    expect(standIn.verdict).toMatch(/^The answer is not valid UTF-8; JSON must be UTF-8/);
  });
});

const pad = 'a'.repeat(1100 * 1024);
// Each answer, the kind every part gives it, and the load runner's metric kind for it.
const table: [string, Answer, string, string][] = [
  ['a 201 with the code', (res, code) => json(201, `{"couponCode":"${code}"}`)(res), 'status-not-200', 'status'],
  ['a 200 without the code', (res) => json(200, '{"status":"created"}')(res), 'code-missing', 'missing-code'],
  ['a 200 with the code, not valid UTF-8', invalidUtf8, 'body-not-utf8', 'schema'],
  [
    'a 200 with the code and "success": false',
    (res, code) => json(200, `{"couponCode":"${code}","success":false}`)(res),
    'answer-contradicts',
    'missing-code',
  ],
  [
    'a 200 with the code, truncated (over 1 MiB)',
    (res, code) => json(200, `{"couponCode":"${code}","pad":"${pad}"}`)(res),
    // Said to be cut short, not to lack the code it starts with (issue 18); a contract failure in load.
    'body-truncated',
    'schema',
  ],
];

describe.each(table)('%s', (name, respond, kind, loadKind) => {
  it(`gets one verdict from verify, trigger, the stand-in and the load runner: ${kind}`, async () => {
    answer = respond;
    const [verified, triggered, standIn, loaded] = await Promise.all([
      verifyVerdict(),
      triggerVerdict(name.replace(/\W+/g, '-')),
      standInVerdict(),
      loadVerdict(),
    ]);
    expect(verified.kind).toBe(kind);
    expect(standIn).toMatchObject({ accepted: false, kind, status: 502 });
    expect(triggered.code).toBe(1);
    expect(Object.keys(loaded.byKind)).toEqual([loadKind]);
    // One sentence: the judge's. verify's accepted check names its scenario before it.
    expect(triggered.detail).toBe(standIn.verdict);
    expect(verified.message.endsWith(standIn.verdict)).toBe(true);
    expect(Object.values(loaded.examples)).toEqual([standIn.verdict]);
  }, 120_000);
});
