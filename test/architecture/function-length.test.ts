// Functions stay under 60 lines (the developers' guide): every function, method and arrow function in
// hand-written source, counted from its first line to its last, nested functions included. Tests
// (whose describe blocks group cases), generated code and node_modules are not counted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { longFunctions, sourceFiles } from './function-length.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const maxLines = 60;

/** The folders of hand-written source. */
const sourceFolders = ['openapi', 'core', 'harness', 'mock', 'loadtest', 'server', 'cli', 'bench', 'scripts'];
const notSource = ['openapi/generated/', 'node_modules/'];

describe('function length', () => {
  it(`no function in hand-written source is over ${maxLines} lines`, () => {
    const files = sourceFolders.flatMap((folder) => sourceFiles(root, folder, notSource));
    expect(files.length).toBeGreaterThan(100);
    const long = files.flatMap((file) => longFunctions(file, readFileSync(path.join(root, file), 'utf8'), maxLines));
    expect(long.map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`)).toEqual([]);
  });

  it('finds a long function, a long method and a long callback (so the test above can fail)', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = [
      `export function long() {\n${body(60)}\n}`,
      `function short() {\n${body(58)}\n}`,
      `class A {\n  method() {\n${body(59)}\n  }\n}`,
      `program.action(async () => {\n${body(70)}\n});`,
    ].join('\n');
    expect(longFunctions('planted.ts', text, maxLines).map((f) => [f.name, f.lines])).toEqual([
      ['long', 62],
      ['method', 61],
      ['(callback of program.action)', 72],
    ]);
  });
});
