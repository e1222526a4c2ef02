// The PostgreSQL database a URL names, said without its password, and what can go wrong when the
// store starts, said so that the person starting it can act (a ServerOptionError: exit 2 in the CLI).
import { ServerOptionError } from '../option-error.ts';

/** `postgres://` or `postgresql://`: the database URLs the server takes for its PostgreSQL store. */
export const isPostgresUrl = (db: string): boolean => /^postgres(?:ql)?:\/\//i.test(db);

/** The URL with its password (in the user part or a `password` parameter) replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z]+:\/\/[^:/@?#]*:)[^@/?#]*@/i, '$1[redacted]@')
    .replace(/([?&]password=)[^&#]*/gi, '$1[redacted]');
}

/** A ServerOptionError when the URL cannot name a database (checked before anything connects). */
export function checkPostgresUrl(url: string): void {
  let reason: string | undefined;
  try {
    const parsed = new URL(url);
    if (parsed.hash) reason = 'it has a #fragment';
  } catch (error) {
    reason = (error as Error).message;
  }
  if (reason === undefined) return;
  throw new ServerOptionError(
    `The database URL ${redactUrl(url)} is not valid (${reason}); write it as postgres://user:password@host:5432/database (percent-encode special characters in the user and password).`,
  );
}

export interface PostgresTarget {
  user: string;
  /** e.g. `database coupons on 127.0.0.1:5432 as app` */
  text: string;
  server: string;
  database: string;
}

/** Who connects where, from the connection parameters the driver worked out (URL, then PG* variables). */
export function targetOf(parameters: {
  user?: string | undefined;
  host: string;
  port: number;
  database?: string | undefined;
}): PostgresTarget {
  const user = parameters.user ?? 'postgres';
  const server = parameters.host.startsWith('/')
    ? `the socket in ${parameters.host}`
    : `${parameters.host}:${parameters.port}`;
  const database = parameters.database ?? user;
  return { user, server, database, text: `database ${database} on ${server} as ${user}` };
}

/** The start-up failure as a sentence the person starting the server can act on, or the error as it was. */
export function startupProblem(error: unknown, target: PostgresTarget): unknown {
  if (error instanceof ServerOptionError) return error;
  const { code = '', message = String(error) } = error as { code?: string; message?: string };
  const reason = `${message.replace(/\.?$/, '')}`;
  const fail = (text: string): ServerOptionError => new ServerOptionError(text, { cause: error });
  // A system error (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ECONNRESET...) or the driver's own timeout.
  if (/^E[A-Z]+$/.test(code) || /timeout|terminated/i.test(message)) {
    return fail(
      `Cannot reach PostgreSQL at ${target.server} (${reason}). Start it, or correct the host and port in the database URL.`,
    );
  }
  if (code === '28P01' || code === '28000' || message.startsWith('SASL')) {
    return fail(
      `PostgreSQL at ${target.server} refused the user ${target.user} (${reason}). Correct the user and password in the database URL (or PGPASSWORD).`,
    );
  }
  if (code === '3D000') {
    return fail(
      `The database ${target.database} does not exist on ${target.server}. Create it (createdb ${target.database}, or CREATE DATABASE ${target.database}) or name another in the database URL.`,
    );
  }
  if (code === '42501') return fail(privilegeMessage(target, reason));
  return error;
}

function privilegeMessage(target: PostgresTarget, reason: string): string {
  const user = target.user;
  return (
    `The role ${user} lacks a privilege in ${target.text.replace(/ as .*$/, '')} (${reason}). ` +
    `The first start creates the coupon tables, which needs a role that may create tables in the schema ` +
    `(the database owner, or GRANT CREATE ON SCHEMA public TO ${user}); after that the server needs only ` +
    `GRANT SELECT ON coupon_schema_migrations TO ${user}; GRANT SELECT, INSERT ON coupons TO ${user}; ` +
    `GRANT SELECT, INSERT, UPDATE ON write_probe TO ${user}.`
  );
}
