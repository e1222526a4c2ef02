// Where verify and trigger send their deliveries: the configuration the user gave, or the embedded
// reference server. The embedded server's temporary folder is removed however the command ends,
// Ctrl-C included.
import { loadConfigurationFile } from '../harness/config/load-configuration.ts';
import { type NormalisedConfiguration, normaliseConfiguration } from '../harness/config/normalise-configuration.ts';

export interface Target {
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
  // The handlers go in before the server starts, so an interrupt during start-up cleans up too.
  const starting = startEmbeddedTarget(options.signingSecret ? { signingSecret: options.signingSecret } : {});
  const onSignal = (signal: NodeJS.Signals): void => {
    interruptedBy = signal;
    void starting
      .then((embedded) => embedded.close())
      .catch(() => undefined)
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const embedded = await starting;
    try {
      return await use({ configuration: normaliseConfiguration(embedded.configuration), embedded: true });
    } finally {
      await embedded.close();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
