// Where verify, trigger, flow and load send their deliveries: the configuration the user gave, or
// the embedded reference server. The embedded server's temporary folder is removed however the
// command ends, Ctrl-C included.

import type { ShippedTemplate } from '../core/config/default-configuration.ts';
import { loadConfigurationFile } from '../core/config-file/load-configuration.ts';
import { type NormalisedConfiguration, normaliseConfiguration } from '../core/config-file/normalise-configuration.ts';
import { UsageError } from '../core/errors.ts';
import type { EmbeddedTarget } from './embedded-target.ts';
import { hideInOutput } from './redacted-output.ts';

export interface Target {
  /** Normalised once, here; verify() and runLoadTest() take it as it is. */
  configuration: NormalisedConfiguration;
  embedded: boolean;
}

export interface TargetOptions {
  configFile?: string | undefined;
  signingSecret?: string | undefined;
  /** Without a configuration: which template the kit ships the embedded server is called with (`--template`). */
  template?: ShippedTemplate | undefined;
  /**
   * For a run that still reports what it did when stopped (load): the first Ctrl-C (or SIGTERM)
   * aborts this controller and the run winds down; a second one quits at once. Without it, the
   * first one quits at once.
   */
  interrupt?: AbortController | undefined;
}

let interruptedBy: NodeJS.Signals | undefined;

/** True once the process is quitting on Ctrl-C (or SIGTERM): from then on nothing more is printed or written. */
export const interrupted = (): boolean => interruptedBy !== undefined;

/** The configuration's secrets and the signing secret are hidden in all the command prints from then on. */
export async function withTarget<T>(options: TargetOptions, use: (target: Target) => Promise<T>): Promise<T> {
  hideInOutput({ signingSecret: options.signingSecret });
  if (options.configFile) {
    if (options.template) {
      throw new UsageError(
        '--template chooses the template for the built-in reference server; with --config, the payload of your configuration is the template.',
      );
    }
    const configuration = await loadConfigurationFile(options.configFile);
    hideInOutput({ config: configuration.config });
    if (options.interrupt) listenForInterrupts(options.interrupt, Promise.resolve(undefined));
    return use({ configuration, embedded: false });
  }
  const { startEmbeddedTarget } = await import('./embedded-target.ts');
  // The handlers go in before the server starts, so an interrupt during start-up cleans up too.
  const starting = startEmbeddedTarget({
    ...(options.signingSecret ? { signingSecret: options.signingSecret } : {}),
    ...(options.template ? { template: options.template } : {}),
  });
  listenForInterrupts(options.interrupt, starting);
  const embedded = await starting;
  hideInOutput({ config: embedded.configuration });
  try {
    return await use({ configuration: normaliseConfiguration(embedded.configuration), embedded: true });
  } finally {
    // After an interrupt the handler closes the server (once) and exits.
    if (!interruptedBy) await embedded.close();
  }
}

/**
 * Ctrl-C and SIGTERM: abort `graceful` the first time if given, else close the embedded server
 * and exit 130 (143). The handlers stay until the process exits: removed after the run, a Ctrl-C
 * arriving between the run's end and the exit would kill the process by the signal (no exit code,
 * no cleanup).
 */
function listenForInterrupts(
  graceful: AbortController | undefined,
  starting: Promise<EmbeddedTarget | undefined>,
): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    if (graceful && !graceful.signal.aborted) {
      graceful.abort();
      return;
    }
    if (interruptedBy) return;
    interruptedBy = signal;
    void starting
      .then((embedded) => embedded?.close())
      .catch(() => undefined)
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
