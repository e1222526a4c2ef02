import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The k6 scripts import k6's modules, which exist only inside k6: tests load small doubles instead.
const k6Double = (name: string): string =>
  fileURLToPath(new URL(`./test/loadtest/k6-doubles/${name}.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^k6$/, replacement: k6Double('k6') },
      { find: /^k6\/http$/, replacement: k6Double('http') },
      { find: /^k6\/metrics$/, replacement: k6Double('metrics') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
