// Where verify and trigger send their deliveries: the configuration the user gave, or the embedded
// reference server. The embedded server's temporary folder is removed however the command ends,
// Ctrl-C included.
import { loadConfigurationFile } from '../core/config-file/load-configuration.ts';
import { type NormalisedConfiguration, normaliseConfiguration } from '../core/config-file/normalise-configuration.ts';

interface Target {
  /** Normalised once, here; verify() takes it as it is. */
  configuration: NormalisedConfiguration;
  embedded: boolean;
}

let interruptedBy: NodeJS.Signals | undefined;

/** True once Ctrl-C (or SIGTERM) arrived: from then on nothing more is printed or written. */
export const interrupted = (): boolean => interruptedBy !== undefined;

export async function withTarget<T>(
  options: { configFile?: string | undefined; signingSecret?: string | undefined },
  use: (target: Target) => Promise<T>,
): Promise<T> {
  if (options.configFile) {
    return use({ configuration: await loadConfigurationFile(options.configFile), embedded: false });
  }
  const { startEmbeddedTarget } = await import('./embedded-target.ts');
  // The handlers go in before the server starts, so an interrupt during start-up cleans up too; and
  // they stay until the process exits: removed after the run, a Ctrl-C arriving between the run's
  // end and the exit would kill the process by the signal (no exit code, no cleanup message).
  const starting = startEmbeddedTarget(options.signingSecret ? { signingSecret: options.signingSecret } : {});
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interruptedBy) return;
    interruptedBy = signal;
    void starting
      .then((embedded) => embedded.close())
      .catch(() => undefined)
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const embedded = await starting;
  try {
    return await use({ configuration: normaliseConfiguration(embedded.configuration), embedded: true });
  } finally {
    // After an interrupt the handler closes the server (once) and exits.
    if (!interruptedBy) await embedded.close();
  }
}
