// One process owns a state file. SQLite's exclusive locking mode is the lock itself (the operating
// system drops it when the process ends, even on kill -9, so a crash never leaves a stale lock);
// beside the file, FILE.owner names the process, so that a second stand-in refused the file can say
// which process holds it.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { SqliteDatabase } from './sqlite-database.ts';

interface Owner {
  pid: number;
  startedAt: string;
}

const ownerFile = (file: string): string => `${file}.owner`;

/** Takes the lock for this connection and keeps it until the connection closes; throws SQLITE_BUSY if held. */
export function lockStateFile(db: SqliteDatabase): void {
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.exec('BEGIN EXCLUSIVE; COMMIT');
}

export function recordOwner(file: string): void {
  const owner: Owner = { pid: process.pid, startedAt: new Date().toISOString() };
  try {
    writeFileSync(ownerFile(file), `${JSON.stringify(owner)}\n`);
  } catch {
    // Only the message of a refused second process needs it.
  }
}

export function forgetOwner(file: string): void {
  try {
    const owner = JSON.parse(readFileSync(ownerFile(file), 'utf8')) as Owner;
    if (owner.pid === process.pid) rmSync(ownerFile(file), { force: true });
  } catch {
    // Nothing to forget.
  }
}

/** Why a second process cannot have the file, in a sentence a person can act on. */
export function fileInUse(file: string): string {
  let holder = 'another process';
  try {
    const owner = JSON.parse(readFileSync(ownerFile(file), 'utf8')) as Owner;
    holder = `process ${owner.pid} (a gb-coupon mock started at ${owner.startedAt})`;
  } catch {
    // The owner has not written its name yet, or the file was removed: say what we know.
  }
  return `The state file ${file} is in use by ${holder}: one stand-in owns a state file, or two would each keep their own holds and issue the same codes. Stop that process, or give this one another --state file.`;
}
