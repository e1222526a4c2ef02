// The database drivers are loaded when a store opens, not when the server's module is imported:
// importing the server (or the harness beside it) costs no native SQLite build and no PostgreSQL
// client, and a driver that is not installed is a sentence saying how to install it, not a stack.

/** Runs `load` (a dynamic import of the driver); a module that is not installed becomes `missing(cause)`. */
export async function loadDriver<T>(load: () => Promise<T>, missing: (cause: unknown) => Error): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw missing(error);
    throw error;
  }
}
