import { defineConfig } from 'vitest/config';

// `npm test` runs every project in one vitest process so the real services start once.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tools/*/vitest.config.ts'],
    reporters: ['default', './tools/scripts/summary-reporter.ts'],
  },
});
