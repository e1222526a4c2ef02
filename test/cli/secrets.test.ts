// No secret planted in a configuration appears in any output of any command (issue 18). Distinct
// secrets go in every place one can be held: each header (names that do not look secret
// included), each query parameter (configured and in the URL), the URL's user and password, the
// signing secret, the lookup URL's credentials, Gameball's keys, a literal the payload template gives
// a member named like a credential. A merchant that echoes every request it gets (headers, URL,
// body) into its answers puts them into every answer too. Then every command that prints or writes
// runs, and every byte it printed or wrote is searched for each secret as it is, percent-encoded,
// form-encoded and base64-encoded.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock } from '../../mock/index.ts';
import { exitWithin, sourceCli, startProcess } from '../support/processes.ts';

const secrets = {
  bearer: 'TOKEN-b3arer-A1b2C3d4',
  shopCredential: 'shopcred+Q9/x-7f1e',
  clientPass: 'clientpass-77-zq',
  queryParam: 'qparam secret&1-k9',
  inlineQuery: 'inlinesig-9999-w2',
  urlUser: 'urluser-42-pm',
  urlPassword: 'urlp@ss:W0rd-x8',
  signingSecret: 'signsecret-555-hh',
  lookupUser: 'lookupuser-31-rr',
  lookupPassword: 'lookuppass-99-tt',
  lookupKey: 'lookupkey-777-yy',
  apiKey: 'apikey-88888-gb',
  secretKey: 'secretkey-9999-gb',
  bodyKey: 'bodykey-4242-pl',
};

/** Each secret in every form it can be written in. */
function forms(): [string, string][] {
  const all: [string, string][] = [];
  const base64 = (text: string): string => Buffer.from(text).toString('base64');
  for (const [name, value] of Object.entries(secrets)) {
    all.push([name, value], [`${name} (percent-encoded)`, encodeURIComponent(value)]);
    all.push([`${name} (form-encoded)`, new URLSearchParams([['', value]]).toString().slice(1)]);
    all.push([`${name} (base64)`, base64(value)]);
  }
  all.push(['URL user-info as Basic', base64(`${secrets.urlUser}:${secrets.urlPassword}`)]);
  all.push(['lookup user-info as Basic', base64(`${secrets.lookupUser}:${secrets.lookupPassword}`)]);
  return all;
}

/** Every planted secret found in the text, by name; [] when none is. */
function leaks(text: string): string[] {
  return forms()
    .filter(([, form]) => text.includes(form))
    .map(([name]) => name);
}

/** Every file under a folder, read. */
function filesIn(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((file) => ({
    file,
    text: readFileSync(path.join(dir, file), 'utf8'),
  }));
}

/**
 * A merchant that takes the bearer token, answers a delivery 200 with its code (every `failEvery`th
 * one 502), and quotes the whole request back whenever it refuses: a 401, a 502, and every lookup
 * (500), so that the secrets are in the answers the reports show.
 */
async function startEchoingMerchant(failEvery = 0): Promise<{ url: string; server: Server }> {
  let deliveries = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const echo = `${req.method} ${req.url} ${Object.values(req.headers).join(' ')} ${body}`;
      const refuse = (status: number): void => void res.writeHead(status, { 'content-type': 'text/plain' }).end(echo);
      if (req.method !== 'POST') return refuse(500);
      if (req.headers.authorization !== `Bearer ${secrets.bearer}`) return refuse(401);
      deliveries++;
      if (failEvery > 0 && deliveries % failEvery === 0) return refuse(502);
      let code: unknown;
      try {
        code = (JSON.parse(body) as { code?: unknown }).code;
      } catch {
        return refuse(400);
      }
      if (typeof code !== 'string') return refuse(422);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ couponCode: code }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

/** The configuration with a secret in every place one can be held; `userInfo` puts the URL's user and password in. */
function configuration(base: string, userInfo: boolean): Record<string, unknown> {
  const url = new URL(`${base}/coupons?sig=${encodeURIComponent(secrets.inlineQuery)}`);
  if (userInfo) {
    url.username = encodeURIComponent(secrets.urlUser);
    url.password = encodeURIComponent(secrets.urlPassword);
  }
  return {
    url: url.toString(),
    method: 'POST',
    headers: [
      { key: 'Authorization', value: `Bearer ${secrets.bearer}` },
      { key: 'X-Shop-Credential', value: secrets.shopCredential },
      { key: 'X-Client-Pass', value: secrets.clientPass },
    ],
    queryParams: [{ key: 'store', value: secrets.queryParam }],
    // A credential the template itself carries, as some merchants' endpoints want it in the body.
    payload: `{"playerUniqueId":"{{playerUniqueId}}","code":"{{code}}","value":{{value}},"couponType":"{{discount_type}}","merchantApiKey":"${secrets.bodyKey}"}`,
  };
}

const root = path.resolve(import.meta.dirname, '../..');
let dir: string;
let merchant: { url: string; server: Server };
let failing: { url: string; server: Server };
let refusing: { url: string; server: Server };
/** With the URL's user-info: fetch refuses it, so verify and trigger fail quoting the URL. */
let withUserInfo: string;
/** Without it: the deliveries reach the merchant, which echoes them. */
let withoutUserInfo: string;
/** --lookup with the user-info (fetch refuses it, quoting it) and a key in its query. */
let lookup: string;
/** The same with the key alone: the merchant gets it, and echoes it. */
let lookupByKey: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gb-secrets-'));
  merchant = await startEchoingMerchant();
  failing = await startEchoingMerchant(3);
  refusing = await startEchoingMerchant(1);
  withUserInfo = path.join(dir, 'with-user-info.json');
  withoutUserInfo = path.join(dir, 'without-user-info.json');
  writeFileSync(withUserInfo, JSON.stringify(configuration(merchant.url, true)));
  writeFileSync(withoutUserInfo, JSON.stringify(configuration(merchant.url, false)));
  const lookupUrl = new URL(`${merchant.url}/coupons/CODE?lookupkey=${secrets.lookupKey}`);
  lookupUrl.username = secrets.lookupUser;
  lookupUrl.password = secrets.lookupPassword;
  lookup = lookupUrl.toString().replace('CODE', '{code}');
  lookupByKey = `${merchant.url}/coupons/{code}?lookupkey=${secrets.lookupKey}`;
});

afterAll(async () => {
  for (const { server } of [merchant, failing, refusing]) await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `gb-coupon ...args` to its end: what it printed, and its exit code. */
async function gbCoupon(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = startProcess(process.execPath, [...sourceCli, ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', GAMEBALL_API_KEY: '', GAMEBALL_SECRET_KEY: '' },
  });
  const result = await exitWithin(child, 90_000, `gb-coupon ${args.join(' ')}`);
  return { code: result.code, output: `${result.stdout}\n${result.stderr}` };
}

/** Runs a command and expects no secret in what it printed nor in any file it wrote. */
async function expectNoLeak(args: string[], out?: string): Promise<string> {
  const { output } = await gbCoupon(args);
  expect(leaks(output), output).toEqual([]);
  for (const { file, text } of out ? filesIn(out) : []) expect(leaks(text), `${file}: ${text}`).toEqual([]);
  return output;
}

const signing = ['--signing-secret', secrets.signingSecret];
const keys = ['--api-key', secrets.apiKey, '--secret-key', secrets.secretKey];

describe('no planted secret leaves gb-coupon', () => {
  it('verify, with every report, when fetch refuses the URL and quotes it', async () => {
    const out = path.join(dir, 'verify-user-info');
    const args = ['verify', '-c', withUserInfo, ...signing, '--lookup', `GET ${lookup}`];
    const output = await expectNoLeak([...args, '--report', 'json,junit,html', '--out', out], out);
    expect(output).toContain('Request cannot be constructed from a URL that includes credentials');
    expect(output).toContain('<redacted>');
  }, 120_000);

  it('verify, with every report, when the merchant echoes every request into its answers', async () => {
    const out = path.join(dir, 'verify-echo');
    const args = ['verify', '-c', withoutUserInfo, ...signing, '--lookup', `GET ${lookupByKey}`];
    const output = await expectNoLeak([...args, '--report', 'json,junit,html', '--out', out], out);
    // The lookups were answered 500 with the echo: the reports carry them, redacted.
    expect(output).toMatch(/HTTP 500 · text\/plain · GET \/coupons\/\S+\?lookupkey=<redacted>/);
  }, 120_000);

  it('trigger, both ways', async () => {
    const refused = await expectNoLeak(['trigger', 'redeem', '-c', withUserInfo, ...signing]);
    expect(refused).toContain('(secrets redacted; --show-secrets prints them)');
    // A merchant that refuses quoting the whole request: headers, URL and body.
    const echoed = path.join(dir, 'refusing.json');
    writeFileSync(echoed, JSON.stringify(configuration(refusing.url, false)));
    const output = await expectNoLeak(['trigger', 'redeem', '-c', echoed, ...signing]);
    expect(output).toMatch(/^< 502/m);
    expect(output).toContain('x-client-pass: <redacted>');
    // Asked for, they are shown.
    const shown = await gbCoupon(['trigger', 'redeem', '-c', withoutUserInfo, '--show-secrets']);
    expect(shown.output).toContain(secrets.shopCredential);
  }, 120_000);

  it('config check, as text and as JSON', async () => {
    await expectNoLeak(['config', 'check', withUserInfo]);
    await expectNoLeak(['config', 'check', withUserInfo, '--json']);
  }, 60_000);

  it('config push against the stand-in', async () => {
    const output = await expectNoLeak(['config', 'push', withUserInfo, ...keys]);
    expect(output).toContain('GET /configurations/coupon  200, the same configuration back');
  }, 60_000);

  it('load with every report, the target failing some deliveries and every lookup', async () => {
    const config = path.join(dir, 'load.json');
    const target = configuration(failing.url, true);
    writeFileSync(config, JSON.stringify(target));
    const out = path.join(dir, 'load');
    const reconcile = ['--reconcile', '--lookup', lookup.replace(merchant.url, failing.url)];
    const args = ['load', '-c', config, '--rate', '30', '--duration', '1s', ...signing, ...reconcile];
    const output = await expectNoLeak([...args, '--report', 'json,junit,html', '--out', out], out);
    expect(output).toContain('FIRST OF EACH FAILURE');
    expect(output).toMatch(/lookups failed/);
  }, 120_000);

  it('flow with every report, against its own stand-in', async () => {
    const out = path.join(dir, 'flow');
    await expectNoLeak(['flow', '-c', withUserInfo, ...keys, '--report', 'json,junit,html', '--out', out], out);
  }, 120_000);

  it("the stand-in's test-connection answer, delivery log and log lines", async () => {
    const logged: string[] = [];
    const mock = await startMock({
      logLevel: 'info',
      log: (line) => logged.push(line),
      preloadPrism: false,
      apiKey: secrets.apiKey,
      secretKey: secrets.secretKey,
      signingSecret: secrets.signingSecret,
    });
    try {
      const gameball = `${mock.url}/api/v4.0/integrations/configurations/coupon`;
      // The merchant refuses every delivery quoting it, with and without the URL's user-info (which
      // the stand-in's client sends as Basic auth).
      for (const userInfo of [false, true]) {
        const put = await fetch(gameball, {
          method: 'PUT',
          headers: { apikey: secrets.apiKey, secretkey: secrets.secretKey, 'content-type': 'application/json' },
          body: JSON.stringify(configuration(refusing.url, userInfo)),
        });
        expect(put.status).toBe(200);
        const tested = await fetch(`${mock.url}/__gb/test-connection`, { method: 'POST' });
        expect(leaks(await tested.text())).toEqual([]);
      }
      const deliveries = await (await fetch(`${mock.url}/__gb/deliveries`)).text();
      expect(deliveries).toContain('<redacted>');
      expect(leaks(deliveries)).toEqual([]);
      expect(leaks(logged.join('\n'))).toEqual([]);
    } finally {
      await mock.stop();
    }
  }, 60_000);
});
