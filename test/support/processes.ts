// Helpers for tests that run real processes and servers: free ports on loopback, and child
// processes that are always stopped by PID.
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Node's arguments for the gb-coupon command run from the sources (tsx's loader, cli/main.ts):
 * `spawn(process.execPath, [...sourceCli, 'verify'])`. The published bin, dist/cli/main.js, is what
 * the package test runs.
 */
export const sourceCli: readonly string[] = [
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
  fileURLToPath(new URL('../../cli/main.ts', import.meta.url)),
];

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningProcess {
  child: ChildProcess;
  /** Standard output and error as they came, interleaved. */
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  /**
   * Resolves once the output matches (a pattern, or a test of the whole output), rejects when the
   * process exits first or the time is up.
   */
  waitFor: (pattern: RegExp | ((output: string) => boolean), timeoutMs?: number) => Promise<void>;
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export function startProcess(command: string, args: string[], options: SpawnOptions = {}): RunningProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  const streams = { stdout: '', stderr: '' };
  const listeners = new Set<() => void>();
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    streams[stream] += text;
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    stdout: () => streams.stdout,
    stderr: () => streams.stderr,
    exited,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (typeof pattern === 'function' ? pattern(output) : pattern.test(output)) {
            cleanup();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        void exited.then((code) => {
          if (listeners.has(check)) {
            cleanup();
            reject(new Error(`process exited with ${code} before ${pattern}; output:\n${output}`));
          }
        });
        listeners.add(check);
        check();
      }),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(child.pid, signal);
      return exited;
    },
  };
}

/**
 * Waits for a process to exit on its own, at most `timeoutMs` (then it fails, naming `what` and
 * showing the output), and stops it by PID either way.
 */
export async function exitWithin(
  running: RunningProcess,
  timeoutMs: number,
  what: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await Promise.race([
      running.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${what} did not exit within ${timeoutMs} ms; output:\n${running.output()}`)),
          timeoutMs,
        );
      }),
    ]);
    return { code, stdout: running.stdout(), stderr: running.stderr() };
  } finally {
    clearTimeout(timer);
    await running.stop('SIGKILL');
  }
}
