// Parsing of option values shared by the subcommands: a wrong value is a UsageError naming the
// option, never a NaN that travels on.
import { UsageError } from '../harness/errors.ts';

/** The largest delay Node's timers take (2^31 - 1 ms); every whole-number option here stays below it. */
const largestTimer = 2_147_483_647;

export function wholeNumber(option: string, min: number, max = largestTimer): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(`${option} takes a whole number from ${min} to ${max}; got "${text}".`);
    }
    return value;
  };
}

export function jsonPointer(text: string): string {
  if (text !== '' && !text.startsWith('/')) {
    throw new UsageError(`--code-pointer takes a JSON pointer such as /data/code (it starts with "/"); got "${text}".`);
  }
  return text;
}

export function idList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function useColor(stream: NodeJS.WriteStream, flag: boolean): boolean {
  return flag && Boolean(stream.isTTY) && !process.env.NO_COLOR;
}
