// Typed errors of the kit's libraries and the CLI. They carry a message meant for a person; the CLI edge
// prints it as one paragraph and exits 2. Anything else that escapes is a bug in the tool.
import type { FieldProblem } from '../openapi/contract.ts';

/** The user's input is wrong: a missing or unreadable file, invalid JSON, an invalid configuration, a bad option. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The coupon configuration cannot be used. */
export class ConfigError extends UsageError {
  constructor(
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
