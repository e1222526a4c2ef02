// A replay never sends a code the recording already used, whatever the seed: the stand-in and the
// harness draw codes from the same seeded generator, so a cassette of a seeded run replayed under
// the same seed would otherwise send the very codes it recorded. Every part is real: the reference
// server, a recorder in front of it for the recording, a second recorder in front of it that
// catches every code trigger, verify and load send while replaying.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCassette } from '../../core/cassette/cassette-reader.ts';
import { defaultConfiguration } from '../../core/config/default-configuration.ts';
import { renderDelivery } from '../../core/render/render-delivery.ts';
import { codeGenerator, findScenario, scenarioValues, seededRandom } from '../../core/scenarios/scenarios.ts';
import { deliverySource } from '../../loadtest/runner/deliveries.ts';
import { exitWithin, type RunningProcess, sourceCli, startProcess } from '../support/processes.ts';
import { recorderProcess } from '../support/recorder-process.ts';

const token = 'replay-token-5c1d9e2a7b';
const seed = 42;
const dir = mkdtempSync(path.join(tmpdir(), 'gb-replay-codes-'));
const running: RunningProcess[] = [];
let referenceUrl: string;

function start(args: string[]): RunningProcess {
  const child = startProcess(process.execPath, [...sourceCli, ...args]);
  running.push(child);
  return child;
}

function recorderFor(file: string): ReturnType<typeof recorderProcess> {
  return recorderProcess(start, `${referenceUrl}/coupons`, file);
}

beforeAll(async () => {
  const reference = start(['serve', '--port', '0', '--ephemeral', '--token', token]);
  await reference.waitFor(/"msg":"listening"/);
  referenceUrl = /"url":"([^"]+)"/.exec(reference.output())![1]!;
});

afterAll(async () => {
  await Promise.all(running.map((child) => child.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

describe('replay codes', () => {
  it('trigger, verify and load under the recording seed send none of the recorded codes', async () => {
    const config = defaultConfiguration(`${referenceUrl}/coupons`, token);
    const redeem = findScenario('redeem');
    // The first code verify and trigger draw under the seed, and the first the load runner draws.
    const harnessFirst = codeGenerator(seededRandom(seed))(redeem.codePrefix);
    const loadFirst = deliverySource(config, [{ scenario: redeem, weight: 1 }], seed)().code;
    const recorded = [harnessFirst, loadFirst];

    const cassette = path.join(dir, 'seeded.jsonl');
    const recording = await recorderFor(cassette);
    for (const code of recorded) {
      const request = renderDelivery(
        { ...config, url: `${recording.url}/` },
        { ...scenarioValues(redeem, code), value: 10 + recorded.indexOf(code) },
      );
      const answer = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body! });
      expect(answer.status).toBe(200);
    }
    await recording.process.waitFor(/#2 /);
    expect(await recording.process.stop('SIGINT')).toBe(0);

    const replayed = path.join(dir, 'replayed.jsonl');
    const catcher = await recorderFor(replayed);
    const configFile = path.join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...config, url: `${catcher.url}/` }));
    const common = ['--config', configFile, '--replay', cassette, '--seed', String(seed), '--no-color'];
    const trigger = await exitWithin(start(['trigger', ...common]), 60_000, 'trigger');
    expect(trigger.code, trigger.stdout + trigger.stderr).toBe(0);
    const verify = await exitWithin(start(['verify', ...common]), 60_000, 'verify');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const load = await exitWithin(start(['load', ...common, '--rate', '5', '--duration', '1s']), 60_000, 'load');
    expect(load.code, load.stdout + load.stderr).toBe(0);
    expect(await catcher.process.stop('SIGINT')).toBe(0);

    const sent = (await readCassette(replayed)).exchanges.flatMap((e) => e.verdict.sentCode ?? []);
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.filter((code) => recorded.includes(code))).toEqual([]);
  });
});
