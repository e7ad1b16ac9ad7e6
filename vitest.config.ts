import { defineConfig } from 'vitest/config';
import { measureSlowdown } from './test/slowdown';

// Deadlines scale with how fast this machine runs now (test/slowdown.ts), measured once here; the test processes
// inherit the factor.
const given = Number(process.env.SPIKING_WORKBENCH_TEST_SLOWDOWN);
const slowdown = Number.isFinite(given) && given >= 1 ? given : measureSlowdown();
process.env.SPIKING_WORKBENCH_TEST_SLOWDOWN = slowdown.toFixed(2);

// One runner for the whole project: unit tests, CLI tests, serve-mode browser tests (playwright library).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: Math.ceil(120_000 * slowdown),
    hookTimeout: Math.ceil(180_000 * slowdown),
    // expect.poll's own default is 1 s: a page that takes longer to render under load (another suite on the same two
    // cores; the factor is measured once, at the start) failed a browser test that was only slow. 10 s, scaled.
    expect: { poll: { timeout: Math.ceil(10_000 * slowdown) } },
    // Two cores: run files in two forks so heavy engine tests do not starve each other.
    pool: 'forks',
    maxWorkers: 2,
  },
});
