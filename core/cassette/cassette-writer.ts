// Appends records to a cassette as they happen, never holding more than the lines waiting for the
// disk. Each record is written whole, as one line, and synced (fdatasync) before its append
// resolves; the records that arrive within a few milliseconds, or while a sync is under way, are
// written and synced together (group commit), so the disk sets the pace, not one sync per delivery. Appending to an
// existing cassette continues its numbering; a torn last line left by a crash is cut off first.
import { type FileHandle, open, stat, truncate } from 'node:fs/promises';
import { UsageError } from '../errors.ts';
import { tool } from '../tool.ts';
import {
  type CassetteHeader,
  cassetteFormat,
  cassetteVersion,
  type EndRecord,
  type ExchangeRecord,
  type SessionRecord,
} from './cassette-format.ts';
import { cassetteLines } from './cassette-reader.ts';

export type NewExchange = Omit<ExchangeRecord, 'type' | 'seq'>;

/** How long the first record of a group waits for others before the group is written and synced. */
const gatherMs = 4;

export interface CassetteWriter {
  readonly path: string;
  /** Exchanges appended in this session so far. */
  readonly recorded: number;
  /** Appends one exchange; resolves with its seq once it is on disk, rejects when it cannot be written. */
  append(exchange: NewExchange): Promise<number>;
  /** Waits for what is pending, writes the `end` line, syncs and closes. Idempotent. */
  close(): Promise<void>;
}

export interface OpenedCassette {
  writer: CassetteWriter;
  /** What happened to an existing file: appended to, a torn line cut off. */
  notes: string[];
}

export async function openCassette(
  path: string,
  session: Omit<SessionRecord, 'type' | 'startedAt'>,
): Promise<OpenedCassette> {
  const existing = await existingCassette(path);
  let handle: FileHandle;
  try {
    handle = await open(path, 'a');
  } catch (error) {
    throw new UsageError(`Cannot write the cassette ${path}: ${(error as Error).message}.`);
  }
  const lines: string[] = [];
  if (existing.lastSeq === undefined) {
    const header: CassetteHeader = {
      type: 'cassette',
      format: cassetteFormat,
      version: cassetteVersion,
      createdAt: new Date().toISOString(),
      tool,
    };
    lines.push(JSON.stringify(header));
  }
  lines.push(JSON.stringify({ type: 'session', startedAt: new Date().toISOString(), ...session }));
  await writeAll(handle, Buffer.from(`${lines.join('\n')}\n`));
  await handle.datasync();
  return { writer: cassetteWriter(path, handle, existing.lastSeq ?? 0), notes: existing.notes };
}

/** The seq to continue from (undefined: a new file), after cutting off a torn last line. */
async function existingCassette(path: string): Promise<{ lastSeq?: number; notes: string[] }> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0) return { notes: [] };
  let lastSeq = 0;
  let count = 0;
  const notes: string[] = [];
  for await (const entry of cassetteLines(path)) {
    if (entry.kind === 'torn') {
      await truncate(path, size - entry.bytes);
      notes.push(
        `The cassette's last line was incomplete (a recorder stopped mid-write); its ${entry.bytes} bytes were cut off before appending.`,
      );
    } else if (entry.kind === 'record' && entry.record.type === 'exchange') {
      lastSeq = Math.max(lastSeq, entry.record.seq);
      count += 1;
    }
  }
  notes.unshift(`Appending to ${path}, which holds ${count} exchange${count === 1 ? '' : 's'} already.`);
  return { lastSeq, notes };
}

function cassetteWriter(path: string, handle: FileHandle, lastSeq: number): CassetteWriter {
  let seq = lastSeq;
  let recorded = 0;
  let queue: string[] = [];
  let waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  let flushing = false;
  let failure: unknown;
  let closing: Promise<void> | undefined;

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const lines = queue;
      const waiters = waiting;
      queue = [];
      waiting = [];
      try {
        if (failure) throw failure;
        await writeAll(handle, Buffer.from(lines.join('')));
        await handle.datasync();
        for (const waiter of waiters) waiter.resolve();
      } catch (error) {
        failure ??= error;
        for (const waiter of waiters) waiter.reject(error);
      }
    }
    flushing = false;
  };
  const write = (line: string): Promise<void> => {
    const written = new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }));
    queue.push(line);
    if (!flushing) {
      flushing = true;
      // A few milliseconds to gather the records arriving meanwhile: one write and one sync for all.
      setTimeout(() => void flush(), gatherMs);
    }
    return written;
  };
  return {
    path,
    get recorded() {
      return recorded;
    },
    async append(exchange) {
      if (closing) throw new Error(`the cassette ${path} is closed`);
      seq += 1;
      recorded += 1;
      const mine = seq;
      await write(`${JSON.stringify({ type: 'exchange', seq: mine, ...exchange })}\n`);
      return mine;
    },
    close() {
      closing ??= (async () => {
        const end: EndRecord = { type: 'end', at: new Date().toISOString(), exchanges: recorded };
        await write(`${JSON.stringify(end)}\n`).catch(() => undefined);
        await handle.close();
      })();
      return closing;
    },
  };
}

/** Every byte, in as many writes as it takes (the file is open for appending: each lands at the end). */
async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  for (let offset = 0; offset < data.length; ) offset += (await handle.write(data, offset)).bytesWritten;
}
