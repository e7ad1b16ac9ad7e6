/**
 * The conformance suite over every neuron kind × every backend, for kinds with golden files and without: a small
 * two-layer network (recurrent, then feed-forward) of each kind, run by each backend's generated kernels — the
 * fused loop's JS twins (cpu) and WebAssembly SIMD (wasm), the tfjs-op loop with tfjs' autograd, and the webgpu
 * backend's WGSL where an adapter exists — against the same network evaluated in float64 from the kind's
 * definition (conformance/f64Network.ts; its derived backward is itself checked by finite differences,
 * finiteDifference.test.ts). Spikes must agree exactly; the loss and the gradient of every parameter (weights, every
 * per-neuron parameter of the kind, the readout's) to 1e-4 relative, the golden files' tolerance. Each kind runs
 * twice: plain, and with learnable delays (recurrent on the first layer, feed-forward on both; fractional, a
 * training batch's σ > 0), whose float64 equations f64Network.ts writes out independently of every backend's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cloneConfig, DEFAULT_CONFIG, type NeuronKind, type TrainConfig } from '../../../../src/shared/config';
import type { BinnedBatch } from '../../../../src/services/data/binning';
import { f64Batch } from '../../../../src/services/engine/conformance/f64Network';
import { NEURON_DEFINITIONS } from '../../../../src/services/engine/definitions';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { hasParam, networkShape, tensor, type NetworkParams } from '../../../../src/services/engine/model/modelState';
import { runBatch, type BatchResult } from '../../../../src/services/engine/run/network';
import { selectBackend } from '../../../../src/services/engine/tfjs/backendSelect';
import { GpuNetwork } from '../../../../src/services/engine/webgpu/gpuNetwork';
import { SeededRandom } from '../../../../src/services/random/seededRandom';
import { webgpuAvailable } from '../webgpuAvailable';

const TOL = 1e-4;
const [B, T, C, K] = [4, 40, 24, 3];

interface Problem {
  params: NetworkParams;
  config: TrainConfig;
  batch: BinnedBatch;
  /** The delays' kernel spread of the run (0 without delays). */
  delaySigma: number;
}

/** The delays' spread in the delayed variant: wide enough that every delay reaches three or four steps. */
const SIGMA = 0.7;
const problems = new Map<string, Problem>();

/**
 * A network of the kind that fires in every layer but not all the time: the smallest weight scale of a ladder
 * at which every layer's rate (in the float64 run) lies between 1 % and 50 % of the steps.
 */
function problem(kind: NeuronKind, delayed = false): Problem {
  const key = `${kind}${delayed ? ' delayed' : ''}`;
  const hit = problems.get(key);
  if (hit) return hit;
  for (const weightScale of [1, 2.5, 5, 10, 20, 40, 80]) {
    const p = draw(kind, weightScale, delayed);
    const rates = f64Batch(p.params, p.config, p.batch, p.delaySigma).layers.map((l) => l.spikes.reduce((a, b) => a + b, 0) / l.spikes.length);
    if (rates.every((r) => r > 0.01 && r < 0.5)) {
      problems.set(key, p);
      return p;
    }
  }
  throw new Error(`${key}: no weight scale makes every layer fire at 1–50 %`);
}

function draw(kind: NeuronKind, weightScale: number, delayed: boolean): Problem {
  const config = cloneConfig(DEFAULT_CONFIG);
  Object.assign(config, {
    neuron: kind, nbSteps: T, pool: 1, learnTau: true, weightScale, seed: 3, readout: 'softmax-sum', readoutSkip: 0, regL1: 1e-3, regL2: 1e-3,
    layers: [{ size: 8, recurrent: true, dropout: 0 }, { size: 8, recurrent: false, dropout: 0 }],
    ...(delayed ? { recDelayMax: 4, recDelayInit: { lo: 0, hi: 4 }, ffDelayMax: 3, ffDelayInit: { lo: 0, hi: 3 }, delaySigma: SIGMA } : {}),
  });
  const params = initNetwork(networkShape(config, C, K), config);
  const rng = new SeededRandom(5);
  const flat: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < B * T * C; i++) {
    if (rng.next() < 0.12) {
      flat.push(i);
      counts.push(1 + rng.int(2));
    }
  }
  const batch: BinnedBatch = {
    size: B, nbSteps: T, channels: C, indices: Int32Array.from({ length: B }, (_, i) => i), labels: Int32Array.from({ length: B }, (_, i) => i % K),
    flat: Int32Array.from(flat), counts: Float32Array.from(counts), dropped: 0,
  };
  return { params, config, batch, delaySigma: delayed ? SIGMA : 0 };
}

function expectClose(name: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length, name).toBe(want.length);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (err > TOL * Math.abs(want[i]) + 0.1 * TOL * scale) throw new Error(`${name}[${i}] = ${got[i]}, float64 ${want[i]} (scale ${scale})`);
  }
}

function check(kind: NeuronKind, p: Problem, r: BatchResult): void {
  const want = f64Batch(p.params, p.config, p.batch, p.delaySigma);
  const spikes = want.layers.map((l) => l.spikes.reduce((a, b) => a + b, 0));
  // The network must be doing something: spikes in every layer, not every neuron always.
  spikes.forEach((n, l) => expect(n, `${kind} layer ${l} spikes`).toBeGreaterThan(0));
  expect(r.spikesPerLayer).toEqual(spikes);
  want.layers.forEach((l, i) => expect(Array.from(r.records!.layers[i].spikes), `layer ${i} spikes`).toEqual(Array.from(l.spikes)));
  expect(Math.abs(r.loss - want.loss) / want.loss).toBeLessThan(1e-5);
  for (const e of p.params.layout) {
    const g = want.grads.subarray(e.offset, e.offset + e.length);
    if (!e.name.startsWith('readout/')) expect(g.some((x) => x !== 0), `${e.name} has a gradient`).toBe(true);
    expectClose(e.name, r.grads!.subarray(e.offset, e.offset + e.length), g);
  }
}

const VARIANTS = [false, true].map((delayed) => ({ delayed, name: delayed ? ', with delays' : '' }));

describe('every kind on the CPU backends, against its float64 definition', () => {
  for (const kind of Object.keys(NEURON_DEFINITIONS) as NeuronKind[]) {
    for (const { delayed, name } of VARIANTS) {
      for (const backend of ['cpu', 'wasm'] as const) {
        for (const loop of ['fused', 'tensor'] as const) {
          it(`${kind}${name}: ${backend}, ${loop === 'fused' ? 'generated fused kernels' : 'tfjs ops'}`, async () => {
            await selectBackend(backend);
            const p = problem(kind, delayed);
            check(kind, p, runBatch(p.params, p.config, p.batch, { gradients: true, allGradients: true, records: true, loop, delaySigma: p.delaySigma }));
          });
        }
      }
    }
  }

  it('the delayed variant has fractional delays of both kinds, and a spread that matters', () => {
    const p = problem('lif', true);
    for (const name of ['layer0/rec_delay', 'layer0/ff_delay', 'layer1/ff_delay']) {
      const d = tensor(p.params, p.params.flat, name);
      expect(d.some((x) => x !== Math.round(x)), name).toBe(true);
    }
    expect(hasParam(p.params, 'layer1/rec_delay')).toBe(false);
    const sharp = f64Batch(p.params, p.config, p.batch, 0);
    expect(Math.abs(sharp.loss - f64Batch(p.params, p.config, p.batch, SIGMA).loss)).toBeGreaterThan(1e-3);
  });
});

const gpu = await webgpuAvailable();

describe.skipIf(gpu.ctx === null)(`every kind on webgpu, against its float64 definition${gpu.reason ? ` (skipped: ${gpu.reason})` : ''}`, () => {
  let net: GpuNetwork;
  beforeAll(() => {
    net = new GpuNetwork(gpu.ctx!);
    return () => net.destroy();
  });
  for (const kind of Object.keys(NEURON_DEFINITIONS) as NeuronKind[]) {
    for (const { delayed, name } of VARIANTS) {
      it(`${kind}${name}: generated WGSL`, async () => {
        const p = problem(kind, delayed);
        check(kind, p, await net.run(p.params, p.config, p.batch, { gradients: true, allGradients: true, records: true, delaySigma: p.delaySigma }));
      });
    }
  }
});
