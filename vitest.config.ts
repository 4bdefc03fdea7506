import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores here: run files in parallel but not more than the machine has.
    maxWorkers: 2,
    // `npm test` prints the line coverage of the core and shared code (README states the figure).
    coverage: {
      provider: 'v8',
      include: ['main/core/**/*.ts', 'shared/**/*.ts'],
      reporter: ['text-summary'],
      reportsDirectory: '.tmp/coverage',
    },
  },
});
