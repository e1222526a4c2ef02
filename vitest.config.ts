import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The k6 scripts import k6's modules, which exist only inside k6: tests load small doubles instead.
const k6Double = (name: string): string =>
  fileURLToPath(new URL(`./test/loadtest/k6-doubles/${name}.ts`, import.meta.url));

// `import ... from 'gameball-coupon-kit'` in a test resolves to the sources through this export
// condition (package.json exports); the built dist/ is what the package test installs.
const sourceCondition = 'gb-coupon-source';

export default defineConfig({
  resolve: {
    alias: [
      { find: /^k6$/, replacement: k6Double('k6') },
      { find: /^k6\/http$/, replacement: k6Double('http') },
      { find: /^k6\/metrics$/, replacement: k6Double('metrics') },
    ],
  },
  // Tests run in Node, so Vite resolves their imports with its server-side (ssr) conditions.
  ssr: { resolve: { conditions: [sourceCondition, 'module', 'node', 'development|production'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
    projects: [
      { extends: true, test: { name: 'kit', include: ['test/**/*.test.ts'], exclude: ['test/package/**'] } },
      // Packing, installing and compiling a consumer project takes both CPUs for a minute: it runs
      // after everything else, so that it does not starve the tests that time child processes.
      {
        extends: true,
        test: { name: 'package', include: ['test/package/**/*.test.ts'], sequence: { groupOrder: 1 } },
      },
    ],
  },
});
