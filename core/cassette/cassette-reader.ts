// Reads a cassette line by line, as a stream: a cassette of a morning's traffic (or of a 200,000
// delivery benchmark) is never held whole for reading. The first line must say it is a cassette of
// a version this reader knows; after it, a line that is not a record is skipped and named, and a
// last line without its newline (the writer was killed mid-write) is skipped and said to be torn.
import { createReadStream } from 'node:fs';
import { UsageError } from '../errors.ts';
import { whyUnreadable } from '../file-error.ts';
import {
  type CassetteHeader,
  type CassetteRecord,
  cassetteFormat,
  cassetteVersion,
  type ExchangeRecord,
} from './cassette-format.ts';
import { recordProblem } from './record-shape.ts';

export type CassetteLine =
  | { kind: 'record'; record: CassetteRecord; line: number }
  | { kind: 'skipped'; line: number; why: string }
  | { kind: 'torn'; line: number; bytes: number };

/** Every line of the cassette in order; throws UsageError when the file cannot be read or is no cassette. */
export async function* cassetteLines(path: string): AsyncGenerator<CassetteLine> {
  let pending = Buffer.alloc(0);
  let line = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      let data = pending.length > 0 ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
      for (let end = data.indexOf(0x0a); end !== -1; end = data.indexOf(0x0a)) {
        line += 1;
        yield parseLine(path, data.subarray(0, end).toString('utf8'), line);
        data = data.subarray(end + 1);
      }
      pending = Buffer.from(data);
    }
  } catch (error) {
    throw unreadable(path, error);
  }
  if (line === 0 && pending.length === 0) throw notACassette(path, 'it is empty');
  if (pending.length > 0) {
    if (line === 0) throw notACassette(path, 'its first line is incomplete');
    yield { kind: 'torn', line: line + 1, bytes: pending.length };
  }
}

export interface CassetteReading {
  header: CassetteHeader;
  sessions: number;
  /** Every exchange of the cassette, in order (a cassette to read whole: infer, replay, diff). */
  exchanges: ExchangeRecord[];
  /** What was skipped and why, in words: a torn last line, a line that is not a record. */
  problems: string[];
  /** Whether the last session ended with its `end` line (false after a crash or while recording). */
  closed: boolean;
}

/** The whole cassette, its exchanges in memory, and what had to be skipped. */
export async function readCassette(path: string): Promise<CassetteReading> {
  const reading: Omit<CassetteReading, 'header'> & { header?: CassetteHeader } = {
    sessions: 0,
    exchanges: [],
    problems: [],
    closed: false,
  };
  for await (const entry of cassetteLines(path)) {
    if (entry.kind === 'torn') {
      reading.problems.push(
        `line ${entry.line} is incomplete (${entry.bytes} bytes without their newline: the recorder stopped mid-write, e.g. killed) and was skipped`,
      );
      continue;
    }
    if (entry.kind === 'skipped') {
      reading.problems.push(`line ${entry.line} was skipped: ${entry.why}`);
      continue;
    }
    const { record } = entry;
    if (record.type === 'cassette') reading.header = record;
    else if (record.type === 'session') {
      reading.sessions += 1;
      reading.closed = false;
    } else if (record.type === 'exchange') reading.exchanges.push(record);
    else reading.closed = true;
  }
  return reading as CassetteReading;
}

function parseLine(path: string, text: string, line: number): CassetteLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (line === 1) throw notACassette(path, 'its first line is not JSON');
    return { kind: 'skipped', line, why: 'it is not JSON' };
  }
  if (line === 1) return { kind: 'record', record: header(path, value), line };
  const problem = recordProblem(value);
  if (problem) return { kind: 'skipped', line, why: problem };
  const record = value as CassetteRecord;
  if (record.type === 'cassette') return { kind: 'skipped', line, why: 'a second cassette line' };
  return { kind: 'record', record, line };
}

function header(path: string, value: unknown): CassetteHeader {
  const candidate = value as Partial<CassetteHeader> | null;
  if (candidate?.type !== 'cassette' || candidate.format !== cassetteFormat) {
    throw notACassette(path, `its first line is not {"type":"cassette","format":"${cassetteFormat}",…}`);
  }
  if (typeof candidate.version !== 'number' || candidate.version > cassetteVersion) {
    throw new UsageError(
      `The cassette ${path} is of version ${String(candidate.version)}, newer than this gb-coupon reads (${cassetteVersion}); update gb-coupon.`,
    );
  }
  return candidate as CassetteHeader;
}

function notACassette(path: string, why: string): UsageError {
  return new UsageError(
    `${path} is not a gb-coupon cassette: ${why}. Record one with gb-coupon record (or gb-coupon mock --cassette).`,
  );
}

function unreadable(path: string, error: unknown): unknown {
  if (error instanceof UsageError) return error;
  return new UsageError(`Cannot read the cassette ${path}: ${whyUnreadable(error)}.`);
}
