import { afterEach, describe, expect, it, vi } from 'vitest';
import { benchCommand, type BenchReport } from '../../src/cli/commands/bench';

/** Runs the command in this process and returns what it printed on stdout. */
async function bench(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await benchCommand.run(argv);
  vi.restoreAllMocks();
  return { code, stdout };
}

afterEach(() => vi.restoreAllMocks());

describe('bench', () => {
  const small = ['--train-samples', '40', '--test-samples', '24', '--hidden', '16', '--nb-steps', '20', '--batch', '16', '--backend', 'wasm'];

  it('times epochs and evaluation on generated data and reports them as JSON', async () => {
    const { code, stdout } = await bench([...small, '--epochs', '2', '--json', '--workers', '1']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as BenchReport;
    expect(r.backend.name).toBe('wasm');
    expect(r.wasmSimd).toBe(true);
    expect(r.data).toMatchObject({ train_samples: 40, test_samples: 24, channels: 700 });
    expect(r.data.spikes_per_sample).toBeGreaterThan(5000);
    expect(r.data.nonzero_bins).toBeGreaterThan(0.01);
    expect(r.data.nonzero_bins).toBeLessThan(0.5);
    expect(r.config).toEqual({ hidden: 16, nbSteps: 20, batchSize: 16, recurrent: true });
    expect(r.engine).toEqual({ loop: 'fused', input: 'sparse', workers: 1 });
    expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of r.epochs) {
      expect(e.train_s).toBeGreaterThan(0);
      expect(e.samples_per_s).toBeCloseTo(40 / e.train_s, 6);
      expect(e.eval_s).toBeGreaterThan(0);
    }
    expect(r.median_train_s).toBeCloseTo((r.epochs[0].train_s + r.epochs[1].train_s) / 2, 9);
    expect(Object.keys(r.batch_cpu_ms).sort()).toEqual(['backward', 'forward', 'input', 'readout', 'weightGrads']);
    expect(r.peak_rss_mb).toBeGreaterThan(50);
  });

  it('splits batches over worker threads with --workers 2 (the process still exits)', async () => {
    const { code, stdout } = await bench([...small, '--epochs', '1', '--json', '--workers', '2']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as BenchReport;
    expect(r.engine).toEqual({ loop: 'fused', input: 'sparse', workers: 2 });
    expect(r.epochs[0].test_acc).toBeGreaterThanOrEqual(0);
    // Phase times are the main thread's, which waits for the workers.
    expect(r.batch_cpu_ms).toEqual({});
  });

  it('prints a table without --json, and honours --loop', async () => {
    const { code, stdout } = await bench([...small, '--epochs', '1', '--loop', 'tensor']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^backend\s+wasm/m);
    expect(stdout).toMatch(/tensor loop, sparse input, 1 worker$/m);
    expect(stdout).toMatch(/^train s\/epoch\s+\d+\.\d\d \(median of 1;/m);
    expect(stdout).toMatch(/^peak RSS\s+\d+ MB$/m);
  });

  it('refuses bad flags with a usage error', async () => {
    await expect(bench(['--loop', 'turbo'])).rejects.toThrow(/--loop must be one of fused, tensor \(got "turbo"\)/);
    await expect(bench(['--train-samples', '0'])).rejects.toThrow(/--train-samples must be a positive integer/);
    await expect(bench(['--backend', 'tpu'])).rejects.toThrow(/--backend must be one of auto, gpu, native, wasm, cpu/);
  });
});
