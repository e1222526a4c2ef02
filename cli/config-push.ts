// gb-coupon config push FILE: PUT the configuration to Gameball (or a stand-in), GET it back and
// compare. Exit 0 when Gameball holds what was pushed, 1 when it refused it or holds something
// else, 2 for a usage or configuration mistake. The keys are used, never printed.
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { CouponConfiguration } from '../core/config/coupon-configuration.ts';
import { loadConfigurationFile } from '../core/config-file/load-configuration.ts';
import { replaceControlCharacters } from '../core/report/untrusted-text.ts';
import { checkAnswer, type GameballFlags, gameballUrl, withGameball } from './gameball-connection.ts';
import { useColor } from './options.ts';
import { hideInOutput, redacted } from './redacted-output.ts';

interface PushFlags extends GameballFlags {
  color: boolean;
}

const path = '/api/v4.0/integrations/configurations/coupon' as const;

export function registerPush(config: Command): void {
  config
    .command('push')
    .description(
      "PUT a coupon configuration to Gameball's /configurations/coupon, GET it back and compare. Without --gameball, " +
        'a stand-in (gb-coupon mock) is started for the command. Exit 0 when Gameball holds what was pushed, 1 when ' +
        'not, 2 for a usage or configuration error.',
    )
    .argument('<file>', 'the coupon configuration JSON')
    .option('--gameball <url>', 'Gameball base URL, e.g. https://api.gameball.co (default: a stand-in started here)')
    .option('--api-key <key>', 'the account API key (default: GAMEBALL_API_KEY)')
    .option('--secret-key <key>', 'the account secret key (default: GAMEBALL_SECRET_KEY)')
    .option('--no-color', 'plain output')
    .action(async (file: string, flags: PushFlags) => {
      if (flags.gameball) gameballUrl(flags.gameball); // a bad URL is a usage error before anything is read
      const { config, notes } = await loadConfigurationFile(file);
      hideInOutput({ config });
      const c = pc.createColors(useColor(process.stdout, flags.color));
      const print = (line: string): void => void process.stdout.write(redacted(`${line}\n`));
      // Gameball's error messages are its text, not ours: shown, never obeyed by the terminal.
      const said = (text: string | undefined): string => replaceControlCharacters(text ?? '');
      process.exitCode = await withGameball(flags, async ({ client, url, started }) => {
        print(`Gameball  ${url}${started ? c.dim('  (a gb-coupon mock started for this command)') : ''}`);
        for (const note of notes) print(c.dim(`  note: ${note}`));

        const began = performance.now();
        const put = await client.PUT(path, { body: config });
        const putAnswer = checkAnswer('put', path, put.response, put.error);
        const ms = (since: number): string => c.dim(`${Math.round(performance.now() - since)} ms`);
        if (putAnswer.status !== 200) {
          print(
            `${c.red('✗')} PUT /configurations/coupon  ${putAnswer.status}: ${said(putAnswer.error)}  ${ms(began)}`,
          );
          return 1;
        }
        print(`${c.green('✓')} PUT /configurations/coupon  200  ${ms(began)}`);

        const readAt = performance.now();
        const get = await client.GET(path);
        const getAnswer = checkAnswer('get', path, get.response, get.data ?? get.error);
        if (getAnswer.status !== 200 || !get.data) {
          print(
            `${c.red('✗')} GET /configurations/coupon  ${getAnswer.status}: ${said(getAnswer.error)}  ${ms(readAt)}`,
          );
          return 1;
        }
        const differences = [
          ...getAnswer.problems.map((p) => `the answer does not match Gameball's document: ${p}`),
          ...compare(config, get.data),
        ];
        if (differences.length > 0) {
          print(`${c.red('✗')} GET /configurations/coupon  200, but not what was pushed  ${ms(readAt)}`);
          for (const difference of differences) print(`    ${said(difference)}`);
          return 1;
        }
        print(`${c.green('✓')} GET /configurations/coupon  200, the same configuration back  ${ms(readAt)}`);
        return 0;
      });
    });
}

/** Each pushed field that came back different (Gameball may add fields with defaults; those are fine). */
export function compare(pushed: CouponConfiguration, stored: CouponConfiguration): string[] {
  const differences: string[] = [];
  for (const [key, value] of Object.entries(pushed)) {
    const back = (stored as Record<string, unknown>)[key];
    if (!isDeepStrictEqual(value, back)) {
      differences.push(
        back === undefined
          ? `${key} was pushed but is missing from what Gameball answers`
          : `${key} differs: pushed ${describe(key, value)}, Gameball holds ${describe(key, back)}`,
      );
    }
  }
  return differences;
}

/** Header and query values may be credentials: say that they differ, never what they are. */
function describe(key: string, value: unknown): string {
  if (key === 'headers' || key === 'queryParams') {
    const entries = Array.isArray(value) ? (value as { key?: unknown }[]) : [];
    return `[${entries.map((e) => String(e.key)).join(', ')}] (values not shown)`;
  }
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
