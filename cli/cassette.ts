// gb-coupon cassette diff A B: compare two cassettes by shape, values ignored (core/infer/diff-cassettes.ts).
// Exit 0 when they show the same kind of delivery, 1 when they differ, 2 for a usage error.
import type { Command } from 'commander';
import { readCassette } from '../core/cassette/cassette-reader.ts';
import { describeDifference, diffCassettes } from '../core/infer/diff-cassettes.ts';
import { replaceControlCharacters } from '../core/report/untrusted-text.ts';

export function registerCassette(program: Command): void {
  const cassette = program
    .command('cassette')
    .description('Work with cassettes written by gb-coupon record and gb-coupon mock --cassette.');
  cassette
    .command('diff')
    .description(
      "Compare two cassettes (e.g. the stand-in's against real Gameball's) by method, content type, header names, query keys, body field names and types, and placeholder usage; values are ignored. Exit 0 when they match, 1 when they differ.",
    )
    .argument('<a>', 'the first cassette')
    .argument('<b>', 'the second cassette')
    .option('--json', 'print {same, differences} as JSON')
    .action(async (a: string, b: string, flags: { json?: boolean }) => {
      const [left, right] = await Promise.all([readCassette(a), readCassette(b)]);
      const differences = diffCassettes(left.exchanges, right.exchanges);
      if (flags.json)
        process.stdout.write(`${JSON.stringify({ same: differences.length === 0, differences }, null, 2)}\n`);
      else {
        const lines = [`A: ${a} (${left.exchanges.length} exchanges)`, `B: ${b} (${right.exchanges.length} exchanges)`];
        for (const [name, reading] of [
          ['A', left],
          ['B', right],
        ] as const) {
          for (const problem of reading.problems) lines.push(`note: ${name}: ${problem}`);
        }
        if (differences.length === 0)
          lines.push('The same: methods, content types, headers, query keys, fields and placeholders.');
        else
          lines.push(
            `${differences.length} difference${differences.length === 1 ? '' : 's'}:`,
            ...differences.map((d) => `  ${describeDifference(d)}`),
          );
        process.stdout.write(`${replaceControlCharacters(lines.join('\n'))}\n`);
      }
      process.exitCode = differences.length === 0 ? 0 : 1;
    });
}
