// Everything gb-coupon prints or writes passes through here: each command tells it the secrets it
// learns (the configuration's, --signing-secret, --lookup, Gameball's keys) as soon as it learns
// them, and from then on none of them reaches the terminal, a report file or an error message
// (core/redact/redactor.ts), unless --show-secrets. One process runs one command, so the secrets
// it knows are the process's.
import { createRedactor, showingSecrets } from '../core/redact/redactor.ts';
import { type SecretSources, secretValues } from '../core/redact/secret-values.ts';

const known = new Set<string>();
let redactor = createRedactor([]);
let showing = false;

/** From now on, these secrets are replaced in all the command prints and writes. */
export function hideInOutput(sources: SecretSources): void {
  for (const value of secretValues(sources)) known.add(value);
  redactor = createRedactor(known);
}

/** `--show-secrets`: the command prints what it has, as it is. */
export function showSecretsInOutput(): void {
  showing = true;
}

/** The text as the command may print it. */
export function redacted(text: string): string {
  return (showing ? showingSecrets : redactor).text(text);
}

/** A report (any JSON-like value) as the command may write it. */
export function redactedDeep<T>(value: T): T {
  return (showing ? showingSecrets : redactor).deep(value);
}
