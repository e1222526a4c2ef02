// A `gb-coupon record` process in front of `forward`, on a free port, once it says where it listens.
import type { RunningProcess } from './processes.ts';

export async function recorderProcess(
  start: (args: string[]) => RunningProcess,
  forward: string,
  cassette: string,
): Promise<{ process: RunningProcess; url: string }> {
  const child = start(['record', '--forward', forward, '--listen', '127.0.0.1:0', '--cassette', cassette]);
  await child.waitFor(/gb-coupon record listening on (\S+),/);
  return { process: child, url: /listening on (\S+),/.exec(child.output())![1]! };
}
