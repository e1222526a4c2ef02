// `gb-coupon mock --state FILE` as processes: one process owns the file (a second one exits 2
// naming the process that holds it); killed with SIGKILL in the middle of redemptions and started
// again, every redemption answered 200 is still there and the ledger adds up, the points held by
// the redemptions cut short are released; and no code sent to the merchant is ever issued again,
// across the crash, the restart and the same --seed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProcess, sourceCli, startProcess } from '../support/processes.ts';
import { expectLedgerAddsUp } from './ledger-support.ts';
import { keys } from './support.ts';

interface Merchant {
  url: string;
  /** Every code it was sent, in order. */
  codes: string[];
  /** Called with each code as it arrives, before the answer. */
  onCode: (code: string) => void;
  close: () => Promise<void>;
}

/** A merchant that answers 200 with the code after a few milliseconds, and keeps every code it was sent. */
async function startMerchant(): Promise<Merchant> {
  const codes: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const code = /"code":"([^"]+)"/.exec(Buffer.concat(chunks).toString())?.[1] ?? 'none';
      codes.push(code);
      merchant.onCode(code);
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ couponCode: code }));
      }, 5);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const merchant: Merchant = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/coupons`,
    codes,
    onCode: () => undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return merchant;
}

const base = '/api/v4.0/integrations';
const customerId = 'CUS_CRASH';
let merchant: Merchant;
let dir: string;
let file: string;

beforeAll(async () => {
  merchant = await startMerchant();
  dir = mkdtempSync(path.join(tmpdir(), 'gb-mock-state-file-'));
  file = path.join(dir, 'state.db');
});
afterAll(async () => {
  await merchant.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startStandIn(): Promise<{ process: RunningProcess; url: string }> {
  const running = startProcess(process.execPath, [
    ...sourceCli,
    'mock',
    '--port',
    '0',
    '--state',
    file,
    '--seed',
    '7',
    '--starting-points',
    '1000000',
    '--log-level',
    'silent',
  ]);
  await running.waitFor(/listening on http:\/\/\S+\n/);
  return { process: running, url: /listening on (\S+)/.exec(running.output())![1]! };
}

async function post(
  url: string,
  route: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${route}`, {
    method: route.startsWith('/__gb/') ? 'POST' : route.endsWith('/coupon') ? 'PUT' : 'POST',
    headers: { ...keys, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

describe('a state file', () => {
  it('belongs to one process, survives kill -9 during redemptions, and never issues a code twice', async () => {
    let standIn = await startStandIn();
    try {
      expect(
        (await post(standIn.url, `${base}/configurations/coupon`, { url: merchant.url, method: 'POST' })).status,
      ).toBe(200);

      // A second stand-in on the same file is refused, naming the process that holds it.
      const second = spawnSync(process.execPath, [...sourceCli, 'mock', '--port', '0', '--state', file], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(second.status).toBe(2);
      expect(second.stderr).toContain(`in use by process ${standIn.process.child.pid}`);

      // Redemptions from eight clients at once; SIGKILL while the merchant is creating the 25th coupon.
      const answered = { coupons: [] as string[], redeemed: [] as string[] };
      let killed = false;
      let cutShort = '';
      merchant.onCode = (code) => {
        if (killed || merchant.codes.length < 25) return;
        killed = true;
        cutShort = code;
        standIn.process.child.kill('SIGKILL');
      };
      const client = async (worker: number): Promise<void> => {
        for (let i = 0; !killed; i++) {
          const transactionId = `TXN-${worker}-${i}`;
          const [coupon, redeem] = await Promise.allSettled([
            post(standIn.url, `${base}/coupons/predefined`, { customerId, ruleId: 1021 }),
            post(standIn.url, `${base}/transactions/redeem`, {
              customerId,
              transactionId,
              transactionTime: '2026-11-20T09:15:30Z',
              points: 10,
            }),
          ]);
          if (coupon.status === 'fulfilled' && coupon.value.status === 200)
            answered.coupons.push(coupon.value.body.code as string);
          if (redeem.status === 'fulfilled' && redeem.value.status === 200) answered.redeemed.push(transactionId);
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, worker) => client(worker)));
      await standIn.process.exited;

      standIn = await startStandIn();
      const ledger = await expectLedgerAddsUp(standIn.url, customerId);
      // Nothing is held any more: the redemptions cut short were released at start.
      expect(ledger.held).toBe(0);
      expect(ledger.entries.filter((e) => e.kind === 'release' && e.reason?.includes(cutShort))).toEqual([
        expect.objectContaining({ reason: expect.stringContaining('restarted') }),
      ]);
      const listed = (await (
        await fetch(`${standIn.url}${base}/customers/${customerId}/coupons`, { headers: keys })
      ).json()) as {
        coupons: { code: string }[];
      };
      const stored = listed.coupons.map((c) => c.code);
      expect(stored).toEqual(expect.arrayContaining(answered.coupons));
      expect(stored).not.toContain(cutShort);
      // Each stored coupon was paid for once, and each answered redemption is in the ledger.
      const spent = ledger.entries.filter((e) => e.kind === 'spend');
      expect(
        spent
          .filter((e) => e.couponCode !== undefined)
          .map((e) => e.couponCode)
          .sort(),
      ).toEqual([...stored].sort());
      expect(spent.map((e) => e.transactionId)).toEqual(expect.arrayContaining(answered.redeemed));

      // The same seed after the restart: new redemptions get codes never sent before.
      for (let i = 0; i < 5; i++) {
        expect((await post(standIn.url, `${base}/coupons/predefined`, { customerId, ruleId: 1021 })).status).toBe(200);
      }
      expect(new Set(merchant.codes).size).toBe(merchant.codes.length);
    } finally {
      await standIn.process.stop('SIGKILL');
    }
  }, 120_000);
});
