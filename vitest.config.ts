import { defineConfig } from 'vitest/config';

// `import ... from 'gameball-coupon-kit'` in a test resolves to the sources through this export
// condition (package.json exports); the built dist/ is what the package test installs.
const sourceCondition = 'gb-coupon-source';

export default defineConfig({
  // Tests run in Node, so Vite resolves their imports with its server-side (ssr) conditions.
  ssr: { resolve: { conditions: [sourceCondition, 'module', 'node', 'development|production'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
