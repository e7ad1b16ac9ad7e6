import { defineConfig } from 'vitest/config';

// One runner for the whole project: unit tests, CLI tests, serve-mode browser tests (playwright library).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Two cores: run files in two forks so heavy engine tests do not starve each other.
    pool: 'forks',
    maxWorkers: 2,
  },
});
