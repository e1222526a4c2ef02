// Reads a configuration file and normalises it; every way this can go wrong is a ConfigError
// whose message tells the user what to fix.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.ts';
import { whyUnreadable } from '../file-error.ts';
import { type NormalisedConfiguration, normaliseConfiguration } from './normalise-configuration.ts';

export async function loadConfigurationFile(path: string): Promise<NormalisedConfiguration> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const why = whyUnreadable(error);
    throw new ConfigError(
      `Cannot read the configuration file ${path}: ${why}. Pass the JSON you PUT to Gameball's /configurations/coupon with --config FILE.`,
    );
  }
  let raw: unknown;
  try {
    // Some editors save a byte-order mark; JSON.parse would call it an unexpected token.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // V8 quotes a piece of the text ("{"value": "Bearer sk_li"...): it may be part of a secret.
    const reason = (error as Error).message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    throw new ConfigError(`The configuration file ${path} is not valid JSON: ${reason}.`);
  }
  return normaliseConfiguration(raw, `The configuration in ${path}`);
}
