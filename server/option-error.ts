// The error for a start-up the caller must fix: a wrong option, a database that cannot be reached
// or used. Its message is one paragraph the caller can act on (the CLI prints it and exits 2).
export class ServerOptionError extends Error {
  override readonly name = 'ServerOptionError';
}
