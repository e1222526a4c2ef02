// Parsing of option values shared by the subcommands: a wrong value is a UsageError naming the
// option, never a NaN that travels on.

import { Option } from 'commander';
import { commaList } from '../core/comma-list.ts';
import { UsageError } from '../core/errors.ts';
import { instanceAddress } from '../core/http/instances.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../core/http/send-request.ts';

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

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2 };

/** A size such as `1048576`, `64KiB` or `2MiB` (binary units; `k` and `m` for short), in bytes. */
export function byteSize(option: string, min: number, max: number): (text: string) => number {
  return (text) => {
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
    const unit = match ? BYTE_UNITS[match[2]!.toLowerCase()] : undefined;
    const value = match && unit !== undefined ? Math.round(Number(match[1]) * unit) : Number.NaN;
    if (!(value >= min && value <= max)) {
      throw new UsageError(
        `${option} takes a size from ${min / 1024} KiB to ${max / 1024 ** 2} MiB, in bytes or with KiB or MiB (e.g. 512KiB, 2MiB); got "${text}".`,
      );
    }
    return value;
  };
}

/** `--max-body`, shared by verify and trigger: how much of each answer is kept. */
export function maxBodyOption(): Option {
  return new Option(
    '--max-body <size>',
    'keep at most this much of each answer body (e.g. 512KiB, 4MiB); the rest is counted, not kept',
  )
    .argParser(byteSize('--max-body', 1024, 256 * 1024 ** 2))
    .default(DEFAULT_MAX_BODY_BYTES, '1MiB');
}

/**
 * `--template default|merchant-code|extended`, shared by verify, trigger and load: the template the
 * built-in reference server is called with when no --config is given.
 */
export function templateOption(): Option {
  return new Option(
    '--template <name>',
    "without --config: the template to call the built-in reference server with: default (Gameball's documented placeholders, {{code}} included), merchant-code (no {{code}}: the server generates the codes) or extended (the kit's own fields too)",
  ).choices(['default', 'merchant-code', 'extended']);
}

export function jsonPointer(text: string): string {
  if (text !== '' && !text.startsWith('/')) {
    throw new UsageError(`--code-pointer takes a JSON pointer such as /data/code (it starts with "/"); got "${text}".`);
  }
  return text;
}

/** `--only accepted, bad-input`: the ids, trimmed. */
export const idList = commaList;

export function useColor(stream: NodeJS.WriteStream, flag: boolean): boolean {
  return flag && Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

/**
 * `--target`, shared by verify and load: more instances of the endpoint, each an address such as
 * http://10.0.0.2:3000; repeated or comma-separated, checked as given (a bad one exits 2 before
 * anything starts).
 */
export function targetOption(): Option {
  return new Option(
    '--target <urls>',
    "another instance of the endpoint, by address only (e.g. http://10.0.0.2:3000; the path comes from the configuration's url); repeat it or separate with commas",
  )
    .argParser((text: string, previous: string[] = []) => {
      const targets = commaList(text);
      if (targets.length === 0) instanceAddress(text);
      for (const target of targets) instanceAddress(target);
      return [...previous, ...targets];
    })
    .default([]);
}

/** --target addresses more instances of the endpoint --config points at: nothing to add to the built-in server. */
export function targetsNeedConfig(targets: readonly string[], config: string | undefined): void {
  if (targets.length > 0 && config === undefined) {
    throw new UsageError(
      '--target names more instances of the endpoint your --config points at (they share its credentials and path); without --config the built-in reference server runs alone. Add --config.',
    );
  }
}

/**
 * A secret flag that may come from an environment variable instead: kept out of `ps` and the shell's
 * history that way, so the variable is the way the help points to.
 */
export function secretOption(flags: string, description: string, variable: string): Option {
  return new Option(flags, description).env(variable);
}
