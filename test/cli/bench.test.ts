import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { benchCommand, type BenchReport } from '../../src/cli/commands/bench';
import type { DelaysRatioReport } from '../../src/cli/commands/benchDelays';
import { PYTHON, referenceMissing } from '../services/sessions/referencePython';

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
    expect(r.data).toMatchObject({ source: 'generated', train_samples: 40, test_samples: 24, channels: 700 });
    expect(r.data.files).toBeUndefined();
    expect(r.data.spikes_per_sample).toBeGreaterThan(5000);
    expect(r.data.nonzero_bins).toBeGreaterThan(0.01);
    expect(r.data.nonzero_bins).toBeLessThan(0.5);
    expect(r.config).toEqual({
      network: 'lif 700-16r-20',
      neuron: 'lif',
      layers: [{ size: 16, recurrent: true, dropout: 0 }],
      pool: 1,
      readout: 'max',
      learnTau: false,
      nbSteps: 20,
      batchSize: 16,
    });
    expect(r.engine).toEqual({ loop: 'fused', workers: 1 });
    expect(r.reference).toBeUndefined();
    // No validation split: every training sample is trained on (samples/s below counts all 40).
    expect(r.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of r.epochs) {
      expect(e.train_s).toBeGreaterThan(0);
      expect(e.samples_per_s).toBeCloseTo(40 / e.train_s, 6);
      expect(e.eval_s).toBeGreaterThan(0);
    }
    expect(r.median_train_s).toBeCloseTo((r.epochs[0].train_s + r.epochs[1].train_s) / 2, 9);
    expect(Object.keys(r.batch_cpu_ms)).toContain('backward');
    for (const v of Object.values(r.batch_cpu_ms)) expect(v).toBeGreaterThanOrEqual(0);
    expect(r.peak_rss_mb).toBeGreaterThan(50);
  });

  it('splits batches over worker threads with --workers 2 (the process still exits)', async () => {
    const { code, stdout } = await bench([...small, '--epochs', '1', '--json', '--workers', '2']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as BenchReport;
    expect(r.engine).toEqual({ loop: 'fused', workers: 2 });
    expect(r.epochs[0].test_acc).toBeGreaterThanOrEqual(0);
    // Phase times are the main thread's, which waits for the workers.
    expect(r.batch_cpu_ms).toEqual({});
  });

  it('prints a table without --json, and honours --loop', async () => {
    const { code, stdout } = await bench([...small, '--epochs', '1', '--loop', 'tensor']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^backend\s+wasm/m);
    expect(stdout).toMatch(/^network\s+lif 700-16r-20, T=20 B=16, max readout; tensor loop, 1 worker$/m);
    expect(stdout).toMatch(/^train s\/epoch\s+\d+\.\d\d \(median of 1;/m);
    expect(stdout).toMatch(/^peak RSS\s+\d+ MB$/m);
  });

  it('times SHD-layout files with --train/--test (a 2-layer adLIF network with pooling)', async () => {
    const FIX = 'test/fixtures/sessions';
    const model = ['--neuron', 'adlif', '--layers', '2', '--hidden', '12', '--pool', '5', '--readout', 'softmax-sum', '--learn-tau', '--nb-steps', '20'];
    const { code, stdout } = await bench(['--train', `${FIX}/adlif2_train.h5`, '--test', `${FIX}/adlif2_test.h5`, ...model, '--batch', '32', '--epochs', '1', '--json', '--backend', 'wasm']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as BenchReport;
    expect(r.data).toMatchObject({ source: 'files', train_samples: 240, test_samples: 400, channels: 100 });
    expect(r.data.files).toMatchObject({ temporary: false });
    expect(r.data.files!.train).toMatch(/adlif2_train\.h5$/);
    expect(r.config).toMatchObject({ network: 'adlif 100/5=20-12r-12r-5', neuron: 'adlif', pool: 5, readout: 'softmax-sum', learnTau: true });
    expect(r.epochs[0].train_s).toBeGreaterThan(0);
  });

  const missing = referenceMissing();
  it.skipIf(missing !== null)('--reference times snn_reference.py on the same (temporary SHD-layout) files and reports the ratio', async () => {
    // The python3 the tests found (its PATH's first with torch and h5py), not bench's default /usr/bin/python3.
    process.env.SNN_REFERENCE_PYTHON ??= PYTHON;
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('sw-bench-'));
    const { code, stdout } = await bench(['--train-samples', '64', '--test-samples', '32', '--hidden', '16', '--nb-steps', '20', '--batch', '16', '--epochs', '1', '--backend', 'wasm', '--reference', '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as BenchReport;
    expect(r.data).toMatchObject({ source: 'files', train_samples: 64, test_samples: 32, channels: 700 });
    expect(r.data.files!.temporary).toBe(true);
    const ref = r.reference!;
    expect(ref.script).toMatch(/shared\/reference\/snn_reference\.py$/);
    expect(ref.python).toBe(process.env.SNN_REFERENCE_PYTHON || PYTHON);
    // The reference got our model (referenceArgs), the same files and its own epoch count.
    expect(ref.args).toEqual(expect.arrayContaining(['--format', '2', '--hidden', '16', '--nb-steps', '20', '--batch', '16', '--train', r.data.files!.train, '--test', r.data.files!.test]));
    expect(ref.args.filter((a) => a === '--epochs')).toHaveLength(1);
    expect(ref.epochs).toHaveLength(1);
    expect(ref.epochs[0]).toMatchObject({ epoch: 1, batches: 4 });
    expect(ref.epochs[0].train_s).toBeGreaterThan(0);
    expect(ref.median_train_s).toBe(ref.epochs[0].train_s);
    expect(r.ratio_to_reference).toBeCloseTo(r.median_train_s / ref.median_train_s, 9);
    expect(r.ratio_to_reference).toBeGreaterThan(0);
    // The temporary files are gone.
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('sw-bench-'))).toEqual(before);
  });
  if (missing) it.skip(`--reference needs ${PYTHON} with torch and h5py and the reference script: ${missing}`, () => {});

  it('--delays-ratio: the network without recurrent delays and with them at σ = 0, 1, 10, epoch by epoch, as JSON', async () => {
    const { code, stdout } = await bench([...small, '--layers', '2', '--epochs', '2', '--json', '--workers', '1', '--delays-ratio']);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as DelaysRatioReport;
    expect(r.config).toMatchObject({ network: 'lif 700-16r-16r-20', nbSteps: 20, batchSize: 16, recDelayInit: { lo: 0, hi: 5 }, delaySigmaDecay: 1, epochs: 2, workers: 1 });
    expect(r.data).toMatchObject({ source: 'generated', train_samples: 40, test_samples: 24, channels: 700 });
    expect([r.without, ...r.with].map((s) => [s.label, s.sigma, s.rec_delay_max])).toEqual([
      ['without', null, 0],
      ['σ=0', 0, 25],
      ['σ=1', 1, 25],
      ['σ=10', 10, 25],
    ]);
    expect(r.without.ratio).toBeUndefined();
    for (const s of [r.without, ...r.with]) {
      expect(s.epochs_train_s).toHaveLength(2);
      // Epoch 1 (JIT warm-up) is left out: the median of one epoch is that epoch.
      expect(s.median_train_s).toBe(s.epochs_train_s[1]);
      expect(s.layers.map((l) => l.layer)).toEqual([0, 1]);
      for (const l of s.layers) {
        expect(l.spikes_per_neuron_step).toBeCloseTo(l.spikes_per_sample / (16 * 20), 9);
        expect(l.spikes_per_neuron_step).toBeGreaterThanOrEqual(0);
        expect(l.spikes_per_neuron_step).toBeLessThanOrEqual(1);
      }
      expect(s.test_acc).toBeGreaterThanOrEqual(0);
      expect(Object.keys(s.batch_cpu_ms)).toContain('backward');
    }
    for (const s of r.with) {
      expect(s.ratio).toBeCloseTo(s.median_train_s / r.without.median_train_s, 9);
      expect(s.cpu_ratio).toBeCloseTo(s.median_train_cpu_s / r.without.median_train_cpu_s, 9);
    }
    for (const s of [r.without, ...r.with]) {
      expect(s.epochs_train_cpu_s).toHaveLength(2);
      expect(s.median_train_cpu_s).toBe(s.epochs_train_cpu_s[1]);
      expect(s.median_train_cpu_s).toBeGreaterThan(0);
    }
  });

  it('--delays-ratio with --delay-sigma and --rec-delay-max times that spread and D_max alone, as a table', async () => {
    const { code, stdout } = await bench([...small, '--epochs', '1', '--workers', '1', '--delays-ratio', '--delay-sigma', '2', '--rec-delay-max', '7']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^network\s+lif 700-16r-20, T=20 B=16; recurrent delays initially 0–5 steps, σ decay 1; 1 worker$/m);
    expect(stdout).toMatch(/^without\s+0\s+\d+\.\d\d\s+1\s+\d+\.\d\d\s+1\s+\d\.\d{4}\s+\d+\.\d\d \(\d+\.\d\d\)$/m);
    expect(stdout).toMatch(/^σ=2\s+7\s+\d+\.\d\d\s+\d+\.\d{3}\s+\d+\.\d\d\s+\d+\.\d{3}\s+\d\.\d{4}\s+\d+\.\d\d \(\d+\.\d\d\)$/m);
    expect(stdout).not.toMatch(/^σ=0 /m);
  });

  it('refuses bad flags with a usage error', async () => {
    await expect(bench(['--loop', 'turbo'])).rejects.toThrow(/--loop must be one of fused, tensor \(got "turbo"\)/);
    await expect(bench(['--train-samples', '0'])).rejects.toThrow(/--train-samples must be a positive integer/);
    await expect(bench(['--backend', 'tpu'])).rejects.toThrow(/--backend must be one of auto, webgpu, gpu, native, wasm, cpu/);
    await expect(bench(['--train', 'a.h5'])).rejects.toThrow(/give --train and --test together/);
    await expect(bench(['--train', 'a.h5', '--test', 'b.h5', '--train-samples', '9'])).rejects.toThrow(/--train-samples and --test-samples are for generated data/);
    await expect(bench(['--reference-epochs', '2'])).rejects.toThrow(/--reference-epochs goes with --reference/);
    await expect(bench(['--reference', '/nonexistent/snn_reference.py'])).rejects.toThrow(/--reference: \/nonexistent\/snn_reference\.py not found/);
    await expect(bench(['--reference', '--reference-epochs', '0'])).rejects.toThrow(/--reference-epochs must be a positive integer/);
    await expect(bench(['--delays-ratio', '--reference'])).rejects.toThrow(/^--delays-ratio times this engine alone; it cannot go with --reference$/);
    await expect(bench([...small, '--delays-ratio', '--no-recurrent'])).rejects.toThrow(/^--delays-ratio: recurrent delays need a recurrent layer \(the network has none\)$/);
    // It times training on the whole file, as the reference trains.
    await expect(bench(['--validation-fraction', '0.1'])).rejects.toThrow(
      /^--validation-fraction: bench trains on the whole training file, as the reference does \(give 0 or leave it out\)$/,
    );
  });

  it.skipIf(missing !== null)('--reference refuses, before any work, the protocol options the reference cannot reproduce', async () => {
    await expect(bench([...small, '--reference', '--weight-decay', '0.1', '--aug-delete', '0.2'])).rejects.toThrow(
      /^the reference cannot reproduce --weight-decay 0\.1, --aug-delete 0\.2: snn_reference\.py has no /,
    );
  });
});
