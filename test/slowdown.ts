/**
 * How much slower this machine runs now than the one the tests' time limits were set on (a 2-core VM, idle),
 * measured once when the test run starts (vitest.config.ts) and scaling every deadline the tests set: vitest's
 * per-test limits, the waits for events and the fuzz runs' no-hang limit. A slow or busy machine makes slow tests,
 * not red ones; a real hang still ends, later. SPIKING_WORKBENCH_TEST_SLOWDOWN=F sets the factor by hand.
 */

/** The calibration workload's median time on the reference machine (2-core VM, idle), in ms. */
const REFERENCE_MS = 40;

/** A fixed CPU-bound workload (xorshift), ~40 ms on the reference machine. */
function work(): number {
  let x = 1;
  for (let i = 0; i < 20_000_000; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x;
}

/** Times the workload 7 times; the median over the reference, at least 1 (at most 20: a sanity bound). */
export function measureSlowdown(): number {
  const times: number[] = [];
  let sink = 0;
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    sink ^= work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return sink === 0.5 ? 1 : Math.min(20, Math.max(1, times[3] / REFERENCE_MS));
}

/** The factor of this run (set by vitest.config.ts for every test process). */
export function slowdown(): number {
  const f = Number(process.env.SPIKING_WORKBENCH_TEST_SLOWDOWN);
  return Number.isFinite(f) && f >= 1 ? f : 1;
}

/** A deadline of `ms` on the reference machine, on this one now. */
export function scaled(ms: number): number {
  return Math.ceil(ms * slowdown());
}
