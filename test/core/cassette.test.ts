// The cassette format: what the writer appends is what the reader gives back, every line holds to
// the published schema (core/cassette/cassette.schema.json), a body that is not UTF-8 survives byte
// for byte, a torn last line (a crash mid-write) is skipped and named, and appending continues the
// numbering after cutting the torn line off.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { bodyBytes } from '../../core/cassette/cassette-format.ts';
import { readCassette } from '../../core/cassette/cassette-reader.ts';
import { type NewExchange, openCassette } from '../../core/cassette/cassette-writer.ts';
import { UsageError } from '../../core/errors.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const schema = JSON.parse(readFileSync(new URL('../../core/cassette/cassette.schema.json', import.meta.url), 'utf8'));
const validateLine = addFormats(new Ajv2020({ allErrors: true })).compile(schema);

const dir = mkdtempSync(path.join(tmpdir(), 'gb-cassette-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const newFile = (): string => path.join(dir, `c${++files}.jsonl`);

function exchange(body: string | Buffer, code = 'GB10-AAAAAAAAAA'): NewExchange {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const utf8 = typeof body === 'string';
  return {
    time: new Date().toISOString(),
    request: {
      method: 'POST',
      url: '/coupons',
      headers: { Authorization: 'Bearer <redacted>', 'content-type': 'application/json' },
      body: utf8 ? body : bytes.toString('base64'),
      bodyEncoding: utf8 ? 'utf8' : 'base64',
      bodyBytes: bytes.length,
    },
    endpoint: 'http://127.0.0.1:3000/coupons',
    response: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ couponCode: code }),
      bodyEncoding: 'utf8',
      bodyBytes: 30,
      from: 'endpoint',
    },
    latencyMs: 1.5,
    verdict: { accepted: true, kind: 'accepted', detail: 'ok', sentCode: code, code },
  };
}

describe('the cassette writer and reader', () => {
  it('gives back what was appended, in order, every line valid against the schema', async () => {
    const file = newFile();
    const { writer, notes } = await openCassette(file, { source: 'record', listen: 'http://127.0.0.1:1', redact: [] });
    expect(notes).toEqual([]);
    // Appended all at once: they are written together, and numbered in the order of the calls.
    const seqs = await Promise.all(Array.from({ length: 50 }, (_, i) => writer.append(exchange(`{"n":${i}}`))));
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await writer.close();
    await writer.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(53);
    for (const line of lines) expect(validateLine(JSON.parse(line)), JSON.stringify(validateLine.errors)).toBe(true);
    const reading = await readCassette(file);
    expect(reading.problems).toEqual([]);
    expect(reading.closed).toBe(true);
    expect(reading.header).toMatchObject({ format: 'gb-coupon-cassette', version: 1 });
    expect(reading.exchanges.map((e) => e.request.body)).toEqual(Array.from({ length: 50 }, (_, i) => `{"n":${i}}`));
  });

  it('keeps a body that is not UTF-8 as base64, byte for byte', async () => {
    const file = newFile();
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    const { writer } = await openCassette(file, { source: 'record', redact: [] });
    await writer.append(exchange(bytes));
    await writer.close();
    const [recorded] = (await readCassette(file)).exchanges;
    expect(recorded!.request.bodyEncoding).toBe('base64');
    expect(bodyBytes(recorded!.request).equals(bytes)).toBe(true);
  });

  it('skips a torn last line and says so; appending cuts it off and continues the numbering', async () => {
    const file = newFile();
    const first = await openCassette(file, { source: 'record', redact: [] });
    await first.writer.append(exchange('{"n":1}'));
    await first.writer.append(exchange('{"n":2}'));
    // A crash: no end line, and half a record without its newline.
    appendFileSync(file, '{"type":"exchange","seq":3,"time":"2026-');
    const torn = await readCassette(file);
    expect(torn.exchanges).toHaveLength(2);
    expect(torn.closed).toBe(false);
    expect(torn.problems).toEqual([expect.stringMatching(/^line 5 is incomplete \(\d+ bytes without their newline/)]);

    const second = await openCassette(file, { source: 'record', redact: [] });
    expect(second.notes).toEqual([
      expect.stringContaining('which holds 2 exchanges already'),
      expect.stringContaining('last line was incomplete'),
    ]);
    expect(await second.writer.append(exchange('{"n":3}'))).toBe(3);
    await second.writer.close();
    const again = await readCassette(file);
    expect(again.problems).toEqual([]);
    expect(again.sessions).toBe(2);
    expect(again.exchanges.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('skips a line that is not a record and names it', async () => {
    const file = newFile();
    const { writer } = await openCassette(file, { source: 'record', redact: [] });
    await writer.close();
    appendFileSync(file, 'not json\n{"type":"exchange","seq":"x"}\n');
    const reading = await readCassette(file);
    expect(reading.problems).toEqual([
      'line 4 was skipped: it is not JSON',
      'line 5 was skipped: an exchange record needs seq, time and latencyMs',
    ]);
  });

  it('refuses what is not a cassette, or one of a newer version, as a usage error', async () => {
    const missing = path.join(dir, 'missing.jsonl');
    await expect(readCassette(missing)).rejects.toThrow(`Cannot read the cassette ${missing}: it does not exist.`);
    const notOne = newFile();
    writeFileSync(notOne, '{"hello":1}\n');
    await expect(readCassette(notOne)).rejects.toThrow(UsageError);
    await expect(openCassette(notOne, { source: 'record', redact: [] })).rejects.toThrow(/is not a gb-coupon cassette/);
    const newer = newFile();
    writeFileSync(newer, `${JSON.stringify({ type: 'cassette', format: 'gb-coupon-cassette', version: 99 })}\n`);
    await expect(readCassette(newer)).rejects.toThrow(/version 99, newer than this gb-coupon reads/);
  });
});
