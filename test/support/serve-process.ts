// `gb-coupon serve` as its own process, for tests of several instances: started from the sources on
// a free port, and handed back once its /readyz answers 200 (polled, with a bound). The caller stops
// it by PID (`process.stop`).
import { type RunningProcess, sourceCli, startProcess } from './processes.ts';

export interface ServeInstance {
  process: RunningProcess;
  /** e.g. http://127.0.0.1:38121 */
  url: string;
}

/** `gb-coupon serve --db <db> --token <token>` (and `args`) on a free port, once ready. `started` collects it for the file's afterAll. */
export async function startServe(
  db: string,
  token: string,
  started: RunningProcess[],
  args: readonly string[] = ['--pool-size', '4'],
): Promise<ServeInstance> {
  const running = startProcess(process.execPath, [
    ...sourceCli,
    'serve',
    '--port',
    '0',
    '--db',
    db,
    '--token',
    token,
    ...(db.startsWith('postgres://') ? args : []),
  ]);
  started.push(running);
  await running.waitFor(/"msg":"listening"/, 60_000);
  const line = running
    .stdout()
    .split('\n')
    .find((text) => text.includes('"msg":"listening"'))!;
  const url = (JSON.parse(line) as { url: string }).url;
  await untilReady(url, 30_000);
  return { process: running, url };
}

async function untilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${url}/readyz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url}/readyz did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
