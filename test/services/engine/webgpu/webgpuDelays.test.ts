/**
 * Learnable delays on the webgpu backend beyond the golden files (golden.test.ts runs lif2_delays and
 * adlif_recdelay on it): a random two-layer network with recurrent and feed-forward delays on both layers against
 * the fused CPU loop, in training (σ > 0, dropout) and in evaluation (delays rounded to whole steps, σ = 0), every
 * gradient by name; and the trainer running a delayed network on webgpu.
 * Needs an adapter: a real GPU, or chromium's SwiftShader (test/globalSetup.ts adds it); skipped with the reason without one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../../../../src/shared/config';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { binDataset, batchOf } from '../../../../src/services/engine/run/binnedDataset';
import { binSpec } from '../../../../src/services/data/binning';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { networkShape, tensor, type NetworkParams } from '../../../../src/services/engine/model/modelState';
import { runBatch, type BatchResult } from '../../../../src/services/engine/run/network';
import { maxRelativeError } from '../../../../src/services/engine/tfjs/relativeError';
import { GpuNetwork } from '../../../../src/services/engine/webgpu/gpuNetwork';
import { evaluate } from '../../../../src/services/engine/training/evaluate';
import { base, runTraining, testSet, trainSet } from '../smallProblem';
import { webgpuAvailable } from '../webgpuAvailable';

const gpu = await webgpuAvailable();
const TOL = 1e-4;

/** Two recurrent LIF layers, both with recurrent and feed-forward delays, dropout on both. */
const config = makeConfig({
  ...base,
  layers: [
    { size: 20, recurrent: true, dropout: 0.2 },
    { size: 14, recurrent: true, dropout: 0.1 },
  ],
  recDelayMax: 5,
  recDelayInit: { lo: 0, hi: 5 },
  ffDelayMax: 4,
  ffDelayInit: { lo: 0, hi: 4 },
  delaySigma: 1.5,
  weightScale: 3,
});

function problem(): { params: NetworkParams; batch: ReturnType<typeof batchOf> } {
  const params = initNetwork(networkShape(config, trainSet.channels, trainSet.classNames.length), config);
  const bins = binDataset(trainSet, binSpec(config));
  return { params, batch: batchOf(bins, Int32Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5])) };
}

/** Loss, spikes and predictions; every gradient tensor by name within TOL of its largest entry. */
function expectSame(params: NetworkParams, got: BatchResult, want: BatchResult): void {
  expect(got.spikesPerLayer).toEqual(want.spikesPerLayer);
  expect(Array.from(got.predictions)).toEqual(Array.from(want.predictions));
  expect(Math.abs(got.loss - want.loss) / want.loss, 'loss').toBeLessThan(TOL);
  expect(maxRelativeError(got.scores, want.scores), 'scores').toBeLessThan(TOL);
  if (!want.grads) return;
  for (const { name } of params.layout) {
    const w = tensor(params, want.grads, name);
    expect(w.some((x) => x !== 0), `${name} has a gradient`).toBe(true);
    expect(maxRelativeError(tensor(params, got.grads!, name), w), `grad ${name}`).toBeLessThan(TOL);
  }
}

describe.skipIf(gpu.ctx === null)(`webgpu delays against the fused loop${gpu.reason ? ` (skipped: ${gpu.reason})` : ''}`, () => {
  let net: GpuNetwork;
  beforeAll(async () => {
    await selectBackend('wasm');
    net = new GpuNetwork(gpu.ctx!);
  });
  afterAll(() => net.destroy());

  it('the network has both kinds of delays on both layers, fractional', () => {
    const { params } = problem();
    for (const l of [0, 1]) {
      for (const leaf of ['rec_delay', 'ff_delay']) {
        const d = tensor(params, params.flat, `layer${l}/${leaf}`);
        expect(d.some((x) => x !== Math.round(x)), `layer${l}/${leaf}`).toBe(true);
      }
    }
  });

  it('trains as the fused loop does (σ = 1.5, dropout): loss and every gradient, the delays\' included', async () => {
    const { params, batch } = problem();
    const opts = { gradients: true, allGradients: true, dropout: { seed: 7, epoch: 3 }, delaySigma: 1.5 };
    const cpu = runBatch(params, config, batch, { ...opts, loop: 'fused' });
    expectSame(params, await net.run(params, config, batch, opts), cpu);
    expect(cpu.spikesPerLayer.every((n) => n > 20)).toBe(true);
  });

  it('trains as the fused loop does with σ = 0 and without dropout, records included', async () => {
    const { params, batch } = problem();
    const opts = { gradients: true, allGradients: true, records: true, delaySigma: 0 };
    const cpu = runBatch(params, config, batch, { ...opts, loop: 'fused' });
    const got = await net.run(params, config, batch, opts);
    expectSame(params, got, cpu);
    for (const l of [0, 1]) {
      expect(Array.from(got.records!.layers[l].spikes), `layer ${l} spikes`).toEqual(Array.from(cpu.records!.layers[l].spikes));
      expect(maxRelativeError(got.records!.layers[l].mem, cpu.records!.layers[l].mem), `layer ${l} mem`).toBeLessThan(TOL);
    }
  });

  it('evaluates with the delays rounded to whole steps, as the fused loop does', async () => {
    const { params, batch } = problem();
    const cpu = runBatch(params, config, batch, { gradients: false, loop: 'fused' });
    const got = await net.run(params, config, batch, { gradients: false });
    expectSame(params, got, cpu);
    // Rounding matters here: the same delays unrounded (a training run, σ = 0) give another loss.
    const unrounded = await net.run(params, config, batch, { gradients: true, delaySigma: 0 });
    expect(Math.abs(unrounded.loss - got.loss) / got.loss).toBeGreaterThan(1e-3);
  });

  it('the last layer\'s feed-forward delays\' gradient is the slope of the loss (central differences)', async () => {
    const { params, batch } = problem();
    // Only these delays reach the loss without passing a spike (whose true derivative is 0, not the surrogate's):
    // the readout reads their spread directly, and with σ > 0 the loss is piecewise linear in them between the
    // taps' edges, so a small step stays on one piece.
    const opts = { gradients: true, delaySigma: 1.5 };
    const g = (await net.run(params, config, batch, opts)).grads!;
    {
      const name = 'layer1/ff_delay';
      const d = tensor(params, params.flat, name);
      const grad = tensor(params, g, name);
      let h = 0;
      for (let i = 1; i < d.length; i++) if (Math.abs(grad[i]) > Math.abs(grad[h])) h = i;
      const eps = 1e-2;
      const at = (delta: number) => {
        const p = { ...params, flat: params.flat.slice() };
        tensor(p, p.flat, name)[h] = d[h] + delta;
        return net.run(p, config, batch, opts);
      };
      const slope = ((await at(eps)).loss - (await at(-eps)).loss) / (2 * eps);
      expect(Math.abs(slope - grad[h]) / Math.abs(grad[h]), `${name}[${h}]`).toBeLessThan(0.05);
    }
  });
});

describe.skipIf(gpu.ctx === null)(`webgpu trainer with delays${gpu.reason ? ` (skipped: ${gpu.reason})` : ''}`, () => {
  it('trains a recurrently delayed network for an epoch (--backend webgpu --rec-delay-max 5), and evaluates as wasm does', async () => {
    const delayed = makeConfig({ ...base, epochs: 1, recDelayMax: 5, delaySigma: 1, delayLearningRate: 0.05 });
    const run = await runTraining(await selectBackend('webgpu'), { config: delayed });
    const history = run.checkpoint.history;
    expect(history).toHaveLength(1);
    expect(Number.isFinite(history[0].train_loss)).toBe(true);
    const params = run.checkpoint.params;
    // The delays moved (the run's initial network is the seed's) and stayed in [0, D].
    const initial = initNetwork(networkShape(delayed, trainSet.channels, trainSet.classNames.length), delayed);
    const d = tensor(params, params.flat, 'layer0/rec_delay');
    expect(d.every((x) => x >= 0 && x <= 5)).toBe(true);
    expect(maxRelativeError(d, tensor(initial, initial.flat, 'layer0/rec_delay'))).toBeGreaterThan(1e-3);
    // The delays trained on the GPU evaluated on both backends: the same predictions on ≥ 99 % of the test set.
    const onWasm = await evaluate(params, delayed, testSet, { backend: 'wasm' });
    await selectBackend('webgpu');
    const onGpu = await evaluate(params, delayed, testSet, { backend: 'webgpu' });
    let same = 0;
    for (let i = 0; i < testSet.samples; i++) if (onWasm.predictions[i] === onGpu.predictions[i]) same++;
    expect(same / testSet.samples).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs(onGpu.loss - onWasm.loss) / onWasm.loss).toBeLessThan(1e-4);
  });
});
