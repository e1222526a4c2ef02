// Why a file could not be read, in the words a user acts on: the same for a configuration file and
// a cassette.

/** `it does not exist`, `it is a directory`, `permission denied`, or the error's own message. */
export function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}
