/**
 * The webgpu backend beyond the golden files (golden.test.ts runs those on it): dropout masks hashed on the GPU,
 * layers wider than one workgroup, pooled inputs and partial batches against the fused CPU loop; a training
 * run and its evaluation against wasm's; the backend choice (auto never takes a CPU emulation) and its report.
 * Needs an adapter: a real GPU, or chromium's SwiftShader (test/globalSetup.ts adds it); skipped with the reason without one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig, type TrainConfig } from '../../../../src/shared/config';
import { describeAdapter, isSoftwareAdapter } from '../../../../src/shared/adapterText';
import type { BackendReport } from '../../../../src/shared/events';
import type { BinnedBatch } from '../../../../src/services/data/binning';
import { describeBackend, selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { binDataset, batchOf } from '../../../../src/services/engine/run/binnedDataset';
import { binSpec } from '../../../../src/services/data/binning';
import { evaluate, probe } from '../../../../src/services/engine/training/evaluate';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { networkShape } from '../../../../src/services/engine/model/modelState';
import { runBatch, type BatchResult } from '../../../../src/services/engine/run/network';
import { maxRelativeError } from '../../../../src/services/engine/tfjs/relativeError';
import { GpuNetwork, inputLists } from '../../../../src/services/engine/webgpu/gpuNetwork';
import { batchOrder } from '../../../../src/services/data/batches';
import { constrain, createOptimizerState, learnedEntries, optimizerStep } from '../../../../src/services/engine/training/optimizer';
import { GpuRunner } from '../../../../src/services/engine/webgpu/gpuRunner';
import { adlif2, base, runTraining, testSet, trainSet } from '../smallProblem';
import { webgpuAvailable } from '../webgpuAvailable';
import { vulkanDriverMissing } from '../../../../src/services/engine/webgpu/gpuAdapter';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const gpu = await webgpuAvailable();

describe('adapter names', () => {
  it('tells CPU emulations from GPUs', () => {
    const swift = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', fallback: false, limits: {} };
    expect(isSoftwareAdapter(swift)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 15.0.6, 256 bits)', description: '' })).toBe(true);
    const nvidia = { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', description: 'NVIDIA: 575.57.08', fallback: false, limits: {} };
    expect(isSoftwareAdapter(nvidia)).toBe(false);
    expect(isSoftwareAdapter({ ...nvidia, fallback: true })).toBe(true);
    expect(describeAdapter(nvidia)).toBe('NVIDIA: 575.57.08 (hopper)');
    expect(describeAdapter({ ...swift, fallback: true })).toBe('SwiftShader driver 5.0.0 (google), a CPU emulation');
  });
});

describe('Vulkan driver check (Linux)', () => {
  it.skipIf(process.platform !== 'linux')('names a missing manifest instead of letting Dawn print its warnings', () => {
    expect(vulkanDriverMissing({ VK_ICD_FILENAMES: '/nonexistent/icd.json' })).toBe('VK_ICD_FILENAMES names no existing file (/nonexistent/icd.json)');
    const dir = mkdtempSync(join(tmpdir(), 'icd-'));
    const icd = join(dir, 'x.json');
    writeFileSync(icd, '{}');
    expect(vulkanDriverMissing({ VK_ICD_FILENAMES: icd })).toBeNull();
    rmSync(dir, { recursive: true });
  });
});

describe('input lists', () => {
  it('sort the bins by row and by column, each keeping the list order', () => {
    // 2 samples, 2 steps, 4 channels pooled by 2: sample 0 has (t0,c1) (t0,c0) (t1,c3); sample 1 has (t0,c2).
    const batch: BinnedBatch = { size: 2, nbSteps: 2, channels: 4, indices: Int32Array.from([0, 1]), labels: Int32Array.from([0, 0]), flat: Int32Array.from([1, 0, 7, 10]), counts: Float32Array.from([1, 2, 3, 4]), dropped: 0 };
    const l = inputLists(batch, 2, 2, true);
    // Rows t·B + b: (0,0) → 0, (0,1) → 1, (1,0) → 2.
    expect(Array.from(l.rowPtr)).toEqual([0, 2, 3, 4, 4]);
    expect(Array.from(l.col)).toEqual([0, 0, 1, 1]);
    expect(Array.from(l.val)).toEqual([1, 2, 4, 3]);
    expect(Array.from(l.colPtr!)).toEqual([0, 2, 4]);
    expect(Array.from(l.row!)).toEqual([0, 0, 2, 1]);
    expect(Array.from(l.colVal!)).toEqual([1, 2, 3, 4]);
  });
});

function closeTo(got: BatchResult, want: BatchResult, tol = 1e-4): void {
  expect(Math.abs(got.loss - want.loss) / Math.abs(want.loss)).toBeLessThan(tol);
  expect(got.spikesPerLayer).toEqual(want.spikesPerLayer);
  expect(Array.from(got.predictions)).toEqual(Array.from(want.predictions));
  if (want.grads) expect(maxRelativeError(got.grads!, want.grads)).toBeLessThan(tol);
}

function problem(config: TrainConfig, samples: number[]) {
  const params = initNetwork(networkShape(config, trainSet.channels, trainSet.classNames.length), config);
  const bins = binDataset(trainSet, binSpec(config));
  return { params, batch: batchOf(bins, Int32Array.from(samples)) };
}

describe.skipIf(gpu.ctx === null)(`webgpu kernels against the fused loop${gpu.reason ? ` (skipped: ${gpu.reason})` : ''}`, () => {
  let net: GpuNetwork;
  beforeAll(async () => {
    await selectBackend('wasm');
    net = new GpuNetwork(gpu.ctx!);
  });
  afterAll(() => net.destroy());

  it('draws the dropout mask of dropout.ts and trains through it', async () => {
    const { params, batch } = problem(adlif2, [3, 1, 4, 1, 5, 9, 2, 6]);
    const dropout = { seed: 5, epoch: 2 };
    const cpu = runBatch(params, adlif2, batch, { gradients: true, dropout, loop: 'fused' });
    const before = net.readBacks;
    const got = await net.run(params, adlif2, batch, { gradients: true, dropout });
    // Forward, loss and backward in one submission: one read-back for the whole training batch.
    expect(net.readBacks - before).toBe(1);
    closeTo(got, cpu);
    // Without the mask the numbers differ: the mask is really applied.
    const plain = await net.run(params, adlif2, batch, { gradients: true });
    expect(maxRelativeError(plain.grads!, cpu.grads!)).toBeGreaterThan(1e-3);
  });

  it('runs layers wider than a workgroup, pooled inputs and odd batch sizes', async () => {
    const config = makeConfig({ ...base, pool: 3, layers: [{ size: 300, recurrent: true, dropout: 0 }, { size: 20, recurrent: true, dropout: 0 }], weightScale: 2 });
    const { params, batch } = problem(config, [0, 7, 11]);
    const cpu = runBatch(params, config, batch, { gradients: true, records: true, loop: 'fused' });
    const got = await net.run(params, config, batch, { gradients: true, records: true });
    closeTo(got, cpu);
    expect(got.spikesPerLayer[0]).toBeGreaterThan(100);
    expect(Array.from(got.records!.layers[0].spikes)).toEqual(Array.from(cpu.records!.layers[0].spikes));
    expect(maxRelativeError(got.records!.layers[1].mem, cpu.records!.layers[1].mem)).toBeLessThan(1e-4);
  });

  it('refuses a layer wider than the workgroup memory holds, naming the limit', async () => {
    // A device with 1 KiB of workgroup memory (the spec's minimum is 16 KiB: 4096 neurons, the config's maximum).
    const small = new GpuNetwork({ ...gpu.ctx!, limits: { ...gpu.ctx!.limits, maxComputeWorkgroupStorageSize: 1024 } });
    const config = makeConfig({ ...base, layers: [{ size: 300, recurrent: true, dropout: 0 }] });
    const { params, batch } = problem(config, [0]);
    try {
      await expect(small.run(params, config, batch, { gradients: false })).rejects.toThrow('webgpu: a layer of 300 neurons needs 1200 bytes of workgroup memory, this GPU has 1024');
    } finally {
      small.destroy();
    }
  });
});

describe.skipIf(gpu.ctx === null)(`webgpu backend in training${gpu.reason ? ` (skipped: ${gpu.reason})` : ''}`, () => {
  let report: BackendReport;
  beforeAll(async () => {
    report = await selectBackend('webgpu');
  });

  it('is chosen by name and reports its adapter', () => {
    expect(report.name).toBe('webgpu');
    expect(report.tfBackend).toBe('wgsl');
    expect(report.adapter!.description.length).toBeGreaterThan(0);
    expect(report.adapter!.limits.maxBufferSize).toBeGreaterThan(0);
    expect(describeBackend(report)).toContain(describeAdapter(report.adapter!));
  });

  it('auto skips a CPU emulation, saying so, and a GPU it takes', async () => {
    const auto = await selectBackend('auto');
    if (gpu.ctx!.adapter.fallback) {
      expect(auto.name).not.toBe('webgpu');
      const skip = auto.skipped.find((s) => s.name === 'webgpu')!;
      expect(skip.reason).toMatch(/CPU emulation.*choose --backend webgpu/);
      expect(skip.adapter!.fallback).toBe(true);
    } else {
      expect(auto.name).toBe('webgpu');
    }
  });

  it('computes the gradients the fused loop does at every step of a training run (dropout, partial batches, learned τ)', async () => {
    await selectBackend('wasm');
    const config = { ...adlif2, epochs: 2 };
    const bins = binDataset(trainSet, binSpec(config));
    const params = initNetwork(networkShape(config, trainSet.channels, trainSet.classNames.length), config);
    const optimizer = createOptimizerState(config.optimizer, params);
    const learned = learnedEntries(params, config.learnTau);
    const net = new GpuNetwork(gpu.ctx!);
    let steps = 0;
    try {
      for (let epoch = 1; epoch <= 2; epoch++) {
        for (const indices of batchOrder(bins.samples, { batchSize: config.batchSize, shuffle: true, seed: config.seed, epoch })) {
          const batch = batchOf(bins, indices);
          const dropout = { seed: config.seed, epoch };
          // Both on the CPU run's weights: the kernels are compared, not two diverging trajectories.
          const cpu = runBatch(params, config, batch, { gradients: true, dropout, loop: 'fused' });
          closeTo(await net.run(params, config, batch, { gradients: true, dropout }), cpu, 1e-3);
          optimizerStep(optimizer, params, cpu.grads!, config.learningRate, learned, { weightDecay: 0 });
          constrain(params, config);
          steps++;
        }
      }
    } finally {
      net.destroy();
    }
    expect(steps).toBe(10);
  });

  it('trains the small problem as wasm does, and its evaluation agrees with wasm on the test set', async () => {
    const config = { ...adlif2, epochs: 2 };
    const gpuRun = await runTraining(await selectBackend('webgpu'), { config });
    const wasmBackend = await selectBackend('wasm');
    const cpuRun = await runTraining(wasmBackend, { config });
    const g = gpuRun.checkpoint.history;
    const c = cpuRun.checkpoint.history;
    expect(g).toHaveLength(2);
    // The first epoch agrees to float rounding; after that the two float32 trajectories part (a spike that
    // flips near threshold changes what follows), so the second is only held to the same ballpark.
    expect(Math.abs(g[0].train_loss - c[0].train_loss) / c[0].train_loss).toBeLessThan(1e-4);
    expect(Math.abs(g[1].train_loss - c[1].train_loss) / c[1].train_loss).toBeLessThan(0.1);
    expect(g[1].train_loss).toBeLessThan(g[0].train_loss);
    const probeEvent = gpuRun.events.find((e) => e.type === 'probe');
    expect(probeEvent).toBeDefined();
    // The GPU-trained weights evaluated on both backends: the same predictions on ≥ 99 % of the test set.
    const params = gpuRun.checkpoint.params;
    const onWasm = await evaluate(params, config, testSet);
    await selectBackend('webgpu');
    const onGpu = await evaluate(params, config, testSet, { backend: 'webgpu' });
    let same = 0;
    for (let i = 0; i < testSet.samples; i++) if (onWasm.predictions[i] === onGpu.predictions[i]) same++;
    expect(same / testSet.samples).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs(onGpu.loss - onWasm.loss) / onWasm.loss).toBeLessThan(1e-4);
  });

  it('probes a sample with the GPU records', async () => {
    const config = { ...adlif2 };
    const params = initNetwork(networkShape(config, testSet.channels, testSet.classNames.length), config);
    const runner = await GpuRunner.start();
    try {
      const onGpu = await probe(params, config, testSet, 2, 1, undefined, runner);
      const onCpu = await probe(params, config, testSet, 2, 1);
      expect(onGpu.layers.map((l) => l.spikes.t.length)).toEqual(onCpu.layers.map((l) => l.spikes.t.length));
      expect(onGpu.prediction).toBe(onCpu.prediction);
      expect(maxRelativeError(Float32Array.from(onGpu.layers[0].adapt!), Float32Array.from(onCpu.layers[0].adapt!))).toBeLessThan(1e-4);
    } finally {
      await runner.close();
    }
  });
});
