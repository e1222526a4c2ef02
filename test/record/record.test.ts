// gb-coupon record end to end, every part a real process on 127.0.0.1: the stand-in plays Gameball
// (redemption, campaign award, Test Connection), the recorder sits between it and the reference
// server. What the recorder writes holds no credential; config infer gives back the configuration
// that was pushed; the recording replays green against the reference server and red against a
// broken merchant; the stand-in's own cassette compares equal to the recorder's; a recorder killed
// with SIGKILL mid-recording leaves a cassette every command still reads; Ctrl-C closes it cleanly.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCassette } from '../../core/cassette/cassette-reader.ts';
import { defaultCouponMapping, defaultPayloadTemplate } from '../../core/config/default-configuration.ts';
import { exitWithin, freePort, type RunningProcess, sourceCli, startProcess } from '../support/processes.ts';
import { recorderProcess } from '../support/recorder-process.ts';

const token = 'merchant-token-7f3a9c1e5b';
const querySecret = 'query-secret-42d8e0';
const keys = { apikey: 'gb-api-key-1', secretkey: 'gb-secret-key-1' };
const dir = mkdtempSync(path.join(tmpdir(), 'gb-record-'));
const cassette = path.join(dir, 'gameball.jsonl');
const mockCassette = path.join(dir, 'stand-in.jsonl');
const running: RunningProcess[] = [];
let referenceUrl: string;
let recorder: RunningProcess;
let recorderUrl: string;
let mockUrl: string;

function start(args: string[]): RunningProcess {
  const child = startProcess(process.execPath, [...sourceCli, ...args]);
  running.push(child);
  return child;
}

/** A gb-coupon command run to its end (it may call servers of this process, so not spawnSync). */
function gbCoupon(args: string[], timeoutMs = 60_000): ReturnType<typeof exitWithin> {
  return exitWithin(start(args), timeoutMs, `gb-coupon ${args[0]}`);
}

function startRecorder(file: string): ReturnType<typeof recorderProcess> {
  return recorderProcess(start, `${referenceUrl}/coupons`, file);
}

async function gameball(method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${mockUrl}${route}`, {
    method,
    headers: { ...keys, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, route).toBe(200);
  const text = await response.text();
  return text === '' ? undefined : JSON.parse(text);
}

/** Deliveries through a recorder forwarding to `forward`, one at a time: their statuses, what it wrote and printed. */
async function recordThrough(forward: string, file: string, deliveries: Record<string, string>[]) {
  const behind = await recorderProcess(start, forward, file);
  const statuses: number[] = [];
  for (const headers of deliveries) {
    const answer = await fetch(`${behind.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"code":"GB10-BASICAUTH1"}',
    });
    await answer.text();
    statuses.push(answer.status);
  }
  await behind.process.waitFor(new RegExp(`#${deliveries.length} `));
  expect(await behind.process.stop('SIGINT')).toBe(0);
  const { exchanges } = await readCassette(file);
  return { statuses, exchanges, written: readFileSync(file, 'utf8'), console: behind.process.output() };
}

const pushed = () => ({
  url: `${recorderUrl}/`,
  method: 'POST',
  queryParams: [{ key: 'api_key', value: querySecret }],
  headers: [{ key: 'Authorization', value: `Bearer ${token}` }],
  payload: defaultPayloadTemplate,
  couponMapping: defaultCouponMapping,
});

beforeAll(async () => {
  const reference = start(['serve', '--port', '0', '--ephemeral', '--token', token]);
  await reference.waitFor(/"msg":"listening"/);
  referenceUrl = /"url":"([^"]+)"/.exec(reference.output())![1]!;
  ({ process: recorder, url: recorderUrl } = await startRecorder(cassette));
  const mock = start(['mock', '--port', '0', '--log-level', 'silent', '--cassette', mockCassette]);
  await mock.waitFor(/gb-coupon mock listening on (\S+)\n/);
  mockUrl = /listening on (\S+)/.exec(mock.output())![1]!;
  // Gameball is pointed at the recorder, as a merchant would point it at a tunnel to it.
  await gameball('PUT', '/api/v4.0/integrations/configurations/coupon', pushed());
});

afterAll(async () => {
  await Promise.all(running.map((child) => child.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

describe('gb-coupon record', () => {
  it('records a redemption, a campaign award and Test Connection; no credential reaches the file', async () => {
    await gameball('POST', '/api/v4.0/integrations/coupons/predefined', { customerId: 'CUS_ADAM', ruleId: 1021 });
    await gameball('POST', '/__gb/campaigns/award', { customerId: 'CUS_SARAH', couponType: 'fixed', value: 20 });
    await gameball('POST', '/__gb/test-connection');
    await recorder.waitFor(/#3 .* -> 200 .* accepted GBTEST-CONNECTION/);
    expect(recorder.stdout()).toMatch(/#1 \d\d:\d\d:\d\d POST \/\?api_key=<redacted> -> 200 [\d.]+ ms accepted GB10-/);

    const text = readFileSync(cassette, 'utf8');
    for (const secret of [token, querySecret]) expect(text).not.toContain(secret);
    const reading = await readCassette(cassette);
    expect(reading.problems).toEqual([]);
    expect(reading.exchanges.map((e) => [e.seq, e.verdict.kind, e.response?.from])).toEqual([
      [1, 'accepted', 'endpoint'],
      [2, 'accepted', 'endpoint'],
      [3, 'accepted', 'endpoint'],
    ]);
    const first = reading.exchanges[0]!;
    expect(first.request.headers.authorization).toBe('Bearer <redacted>');
    expect(first.redacted).toEqual(['authorization', '?api_key']);
    expect(first.endpoint).toBe(`${referenceUrl}/coupons?api_key=<redacted>`);
    expect(JSON.parse(first.request.body)).toMatchObject({
      playerUniqueId: 'CUS_ADAM',
      couponType: 'percentage_discount',
    });
  });

  it('config infer gives back the configuration that was pushed, and answers the open questions', async () => {
    const { code, stdout, stderr } = await gbCoupon(['config', 'infer', '--from', cassette]);
    expect(code, stderr).toBe(0);
    const inferred = JSON.parse(stdout);
    const { url: _pushedUrl, headers, queryParams, ...rest } = pushed();
    // The URL is the endpoint the recorder forwarded to: the one verify tests.
    expect(inferred).toEqual({
      ...rest,
      url: `${referenceUrl}/coupons`,
      headers: headers.map((h) => ({ key: h.key.toLowerCase(), value: 'Bearer <redacted>' })),
      queryParams: queryParams.map((q) => ({ ...q, value: '<redacted>' })),
    });
    expect(stderr).toContain('Is a code sent?     yes: /code carries it');
    expect(stderr).toContain('Signature headers:  none');
    expect(stderr).toContain('Retries:            none');
  });

  it('verify --replay passes against the reference server, and trigger and load replay too', async () => {
    const config = path.join(dir, 'replay-config.json');
    // The reference server checks the bearer token only: a query credential it ignores would (rightly) fail wrong-credentials.
    const { queryParams: _unchecked, ...replayed } = pushed();
    writeFileSync(config, JSON.stringify({ ...replayed, url: `${referenceUrl}/coupons` }));
    const verify = await gbCoupon(['verify', '--config', config, '--replay', cassette, '--no-color']);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain(
      `Replaying 3 recorded deliveries from ${cassette} (#1, #2, #3), each with a fresh code`,
    );
    expect(verify.stdout).toMatch(/✓ accepted/);

    const trigger = await gbCoupon(['trigger', '--config', config, '--replay', `${cassette}#2`, '--no-color']);
    expect(trigger.code, trigger.stdout + trigger.stderr).toBe(0);
    expect(trigger.stdout).toContain('> Recorded delivery #2');
    expect(trigger.stdout).toContain('"playerUniqueId": "CUS_SARAH"');
    expect(trigger.stdout).toContain('authorization: Bearer <redacted>');

    const load = await gbCoupon([
      'load',
      '--config',
      config,
      '--replay',
      cassette,
      '--rate',
      '20',
      '--duration',
      '1s',
      '--no-color',
    ]);
    expect(load.code, load.stdout + load.stderr).toBe(0);
    expect(load.stdout).toContain('mix replay-1=1,replay-2=1,replay-3=1');
  });

  it('verify --replay catches a merchant that answers with another code', async () => {
    const broken: Server = createServer((request, response) => {
      request.resume();
      request.on('end', () =>
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"couponCode":"ALWAYS-THE-SAME"}'),
      );
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const config = path.join(dir, 'broken-config.json');
      const { port } = broken.address() as AddressInfo;
      writeFileSync(config, JSON.stringify({ ...pushed(), url: `http://127.0.0.1:${port}/coupons` }));
      const { code, stdout } = await gbCoupon(['verify', '--config', config, '--replay', cassette, '--no-color']);
      expect(code).toBe(1);
      expect(stdout).toMatch(/✗ accepted .*\n.*Recorded delivery #1/);
    } finally {
      broken.closeAllConnections();
      broken.close();
    }
  });

  it("the stand-in's cassette compares equal to the recorder's; one of another shape does not", async () => {
    const same = await gbCoupon(['cassette', 'diff', mockCassette, cassette]);
    expect(same.code, same.stdout).toBe(0);
    expect(same.stdout).toContain('The same: methods, content types, headers, query keys, fields and placeholders.');
    const mockText = readFileSync(mockCassette, 'utf8');
    for (const secret of [token, querySecret]) expect(mockText).not.toContain(secret);

    const other = path.join(dir, 'other.jsonl');
    const lines = readFileSync(cassette, 'utf8').replaceAll('"couponType', '"discountType');
    writeFileSync(other, lines);
    const differs = await gbCoupon(['cassette', 'diff', cassette, other]);
    expect(differs.code).toBe(1);
    expect(differs.stdout).toContain('field /couponType: string in A, absent in B');
  });

  it('a recorder killed mid-recording (SIGKILL) leaves a cassette every command still reads', async () => {
    const crashFile = path.join(dir, 'crash.jsonl');
    const crashing = await startRecorder(crashFile);
    const body = readCassette(cassette).then((r) => r.exchanges[0]!.request.body);
    const deliver = async (i: number): Promise<void> => {
      const text = (await body).replace(/GB10-[A-Z0-9]+/, `GBCRASH-${String(i).padStart(6, '0')}`);
      await fetch(`${crashing.url}/coupons`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: text,
      }).then(
        (r) => r.arrayBuffer(),
        () => undefined,
      );
    };
    let sent = 0;
    const sending = (async () => {
      while (crashing.process.child.exitCode === null && crashing.process.child.signalCode === null && sent < 5000) {
        await Promise.all(Array.from({ length: 8 }, () => deliver(sent++)));
      }
    })();
    await crashing.process.waitFor(/#20 /);
    process.kill(crashing.process.child.pid!, 'SIGKILL');
    await crashing.process.exited;
    await sending;

    const reading = await readCassette(crashFile);
    expect(reading.closed).toBe(false);
    expect(reading.exchanges.length).toBeGreaterThanOrEqual(20);
    expect(reading.exchanges.map((e) => e.seq)).toEqual(reading.exchanges.map((_, i) => i + 1));
    expect(reading.problems.every((p) => /is incomplete .* and was skipped/.test(p))).toBe(true);
    const inferred = await gbCoupon(['config', 'infer', '--from', crashFile, '--json']);
    expect(inferred.code, inferred.stderr).toBe(0);
    expect(JSON.parse(inferred.stdout).findings.deliveries).toBe(reading.exchanges.length);
  });

  it('answers itself with --respond default when there is no endpoint', async () => {
    const file = path.join(dir, 'respond.jsonl');
    const answering = start(['record', '--respond', 'default', '--listen', '127.0.0.1:0', '--cassette', file]);
    await answering.waitFor(/listening on (\S+),/);
    const url = /listening on (\S+),/.exec(answering.output())![1]!;
    const response = await fetch(`${url}/coupons`, { method: 'POST', body: '{"customerId":"C1","code":"GB5-ABC"}' });
    expect(await response.json()).toEqual({ couponCode: 'GB5-ABC' });
    await answering.waitFor(/#1 .* -> 200 \(recorder\) .* accepted GB5-ABC/);
    expect(await answering.stop('SIGINT')).toBe(0);
    const reading = await readCassette(file);
    expect(reading.closed).toBe(true);
    expect(reading.exchanges[0]!.response!.from).toBe('recorder');
  });

  it('an endpoint that echoes the credentials gets them redacted by value in the cassette and on the console', async () => {
    const forwardKey = 'forward-key-1a2b3c4d';
    // A merchant whose refusal quotes what it was sent, in its body and in a header.
    const echo: Server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const quoted = `token ${request.headers.authorization} refused for ${request.url}`;
        response.writeHead(401, { 'content-type': 'application/json', 'x-echo': quoted });
        response.end(JSON.stringify({ error: quoted }));
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const file = path.join(dir, 'echo.jsonl');
      const forward = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/coupons?key=${forwardKey}`;
      const echoing = await recorderProcess(start, forward, file);
      const answer = await fetch(`${echoing.url}/?api_key=${querySecret}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"code":"GB10-ECHOECHO01"}',
      });
      // Gameball gets the answer as it came: only the record hides the secrets.
      expect(await answer.text()).toContain(token);
      await echoing.process.waitFor(/#1 /);
      expect(await echoing.process.stop('SIGINT')).toBe(0);
      const written = readFileSync(file, 'utf8');
      for (const secret of [token, querySecret, forwardKey]) {
        expect(written).not.toContain(secret);
        expect(echoing.process.output()).not.toContain(secret);
      }
      const [record] = (await readCassette(file)).exchanges;
      expect(JSON.parse(record!.response!.body)).toEqual({
        error: 'token Bearer <redacted> refused for /coupons?key=<redacted>&api_key=<redacted>',
      });
      expect(record!.verdict.detail).toContain('token Bearer <redacted> refused');
    } finally {
      echo.closeAllConnections();
      echo.close();
    }
  });

  it("sends the --forward URL's user-info as Basic auth when a delivery has no Authorization, and never shows it", async () => {
    const user = 'merchant-user-6h5g';
    const password = 'p@ss-9z8y7x';
    const keyAsUser = 'sk_live_9x8y7z6w5v';
    const basic = Buffer.from(`${user}:${password}`).toString('base64');
    const keyBasic = Buffer.from(`${keyAsUser}:`).toString('base64');
    // A merchant behind Basic auth whose refusal quotes the Authorization it was sent.
    const guarded: Server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const seen = request.headers.authorization ?? 'none';
        const valid = [`Basic ${basic}`, `Basic ${keyBasic}`].includes(seen);
        response.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
        response.end(JSON.stringify(valid ? { couponCode: 'GB10-BASICAUTH1' } : { error: seen }));
      });
    });
    await new Promise<void>((resolve) => guarded.listen(0, '127.0.0.1', resolve));
    try {
      const port = (guarded.address() as AddressInfo).port;
      const withPassword = await recordThrough(
        `http://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/coupons`,
        path.join(dir, 'basic.jsonl'),
        // Gameball's own Authorization goes on unchanged, even an empty one: the URL's is not put in its place.
        [{}, { authorization: `Bearer ${token}` }, { authorization: '' }],
      );
      expect(withPassword.statuses).toEqual([200, 401, 401]);
      const [first, second, third] = withPassword.exchanges;
      expect(first!.verdict.accepted).toBe(true);
      expect(first!.request.headers).not.toHaveProperty('authorization');
      expect(JSON.parse(second!.response!.body)).toEqual({ error: 'Bearer <redacted>' });
      expect(JSON.parse(third!.response!.body)).toEqual({ error: '' });
      // A key given as the user name alone, the usual form for an API key in a URL.
      const keyOnly = await recordThrough(
        `http://${keyAsUser}@127.0.0.1:${port}/coupons`,
        path.join(dir, 'key.jsonl'),
        [{}],
      );
      expect(keyOnly.statuses).toEqual([200]);
      for (const secret of [user, password, encodeURIComponent(password), basic, token, keyAsUser, keyBasic]) {
        for (const shown of [withPassword.written, withPassword.console, keyOnly.written, keyOnly.console]) {
          expect(shown).not.toContain(secret);
        }
      }
      expect(keyOnly.console).toContain(`forwarding to http://<redacted>@127.0.0.1:${port}/coupons`);
      expect(keyOnly.written).toContain(`"forward":"http://<redacted>@127.0.0.1:${port}/coupons"`);
    } finally {
      guarded.closeAllConnections();
      guarded.close();
    }
  });

  it('keeps a body exactly as received, refuses one over 1 MiB (413), and answers 502 for a dead endpoint', async () => {
    const file = path.join(dir, 'edges.jsonl');
    const dead = await freePort();
    const edges = start([
      'record',
      '--forward',
      `http://127.0.0.1:${dead}/coupons`,
      '--listen',
      '127.0.0.1:0',
      '--cassette',
      file,
    ]);
    await edges.waitFor(/listening on (\S+),/);
    const url = /listening on (\S+),/.exec(edges.output())![1]!;
    const notUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const unreachable = await fetch(`${url}/`, { method: 'POST', body: notUtf8 });
    expect(unreachable.status).toBe(502);
    expect(await unreachable.json()).toMatchObject({ code: 'endpoint-unreachable' });
    const large = await fetch(`${url}/`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(large.status).toBe(413);
    await edges.waitFor(/#2 /);
    // A caller still sending when the 413 comes reads it, and its connection takes the next delivery.
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    let closed = false;
    const both = /^HTTP\/1\.1 413 [\s\S]*HTTP\/1\.1 502 /;
    // Settles when both answers are in, or when the connection closes (a reset: the bug).
    const answered = new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        if (both.test(received)) resolve();
      });
      socket.on('error', () => undefined);
      socket.once('close', () => {
        closed = true;
        resolve();
      });
    });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`);
    for (let sent = 0; sent < 2 * 1024 * 1024; sent += chunk.length) {
      await new Promise((resolve) => socket.write(chunk, resolve));
    }
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
    await answered;
    expect(closed).toBe(false);
    expect(received).toMatch(both);
    socket.destroy();
    await edges.waitFor(/#4 /);
    // One that goes on sending past the bound (1 MiB kept, 4 MiB more dropped) is cut off.
    const endless = connect(Number(port), '127.0.0.1');
    let cut = '';
    endless.on('data', (chunk: Buffer) => (cut += chunk.toString('latin1')));
    endless.on('error', () => undefined);
    const ended = new Promise((resolve) => endless.once('close', resolve));
    endless.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`);
    for (let sent = 0; sent < 8 * 1024 * 1024 && !endless.destroyed; sent += chunk.length) {
      await new Promise((resolve) => endless.write(chunk, resolve));
    }
    await ended;
    expect(cut).toMatch(/^HTTP\/1\.1 413 /);
    expect(await edges.stop('SIGTERM')).toBe(0);
    const [first, second] = (await readCassette(file)).exchanges;
    expect(first!.error).toBe('connection refused: nothing is listening at that address');
    expect(first!.request.bodyEncoding).toBe('base64');
    expect(Buffer.from(first!.request.body, 'base64').equals(notUtf8)).toBe(true);
    expect(first!.verdict.kind).toBe('no-answer');
    expect(second!.response).toMatchObject({ status: 413, from: 'recorder' });
    expect(second!.request.truncated).toBe(true);
    expect(second!.request.bodyBytes).toBeGreaterThan(1024 * 1024);
  });

  it('Ctrl-C closes the cassette cleanly; usage mistakes exit 2 with one paragraph', async () => {
    expect(await recorder.stop('SIGINT')).toBe(0);
    expect(recorder.stdout()).toContain(`Recorded 3 deliveries to ${cassette}.`);
    expect((await readCassette(cassette)).closed).toBe(true);

    const neither = await gbCoupon(['record']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/^gb-coupon: record needs either --forward URL .*\n$/);
    const notHttp = await gbCoupon(['record', '--forward', 'ftp://merchant-user:pw-5t4r3e2w@127.0.0.1/coupons']);
    expect(notHttp.code).toBe(2);
    expect(notHttp.stderr).toBe(
      'gb-coupon: --forward takes an http or https URL; got "ftp://<redacted>@127.0.0.1/coupons".\n',
    );
    const badListen = await gbCoupon(['record', '--respond', 'default', '--listen', 'nowhere']);
    expect(badListen.code).toBe(2);
    expect(badListen.stderr).toContain('--listen takes HOST:PORT');
    const taken = await gbCoupon(['record', '--respond', 'default', '--listen', new URL(referenceUrl).host]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(
      /^gb-coupon: Port \d+ on 127\.0\.0\.1 is in use .*; choose another with --listen, e\.g\. 127\.0\.0\.1:0 .*\n$/,
    );
    const unfilled = path.join(dir, 'unfilled.json');
    writeFileSync(unfilled, (await gbCoupon(['config', 'infer', '--from', cassette])).stdout);
    const replay = await gbCoupon(['verify', '--config', unfilled, '--replay', cassette]);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toMatch(
      /^gb-coupon: The configuration still says <redacted> where a credential goes \(header authorization, query parameter api_key\): .*\n$/,
    );
    const notCassette = await gbCoupon(['config', 'infer', '--from', path.join(dir, 'missing.jsonl')]);
    expect(notCassette.code).toBe(2);
    expect(notCassette.stderr).toContain('it does not exist');
  });
});
