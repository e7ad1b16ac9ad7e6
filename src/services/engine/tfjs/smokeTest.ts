/**
 * One training step of a tiny network on the active backend: what backendSelect.ts runs before trusting a
 * backend. The step is computed twice, with the per-step tfjs ops (which exercise the backend's kernels) and
 * with the engine's fused kernels (which do not depend on it); a backend whose kernels load but compute
 * garbage, or throw on an op the engine needs, fails here with a message instead of in the middle of a run.
 */
import { makeConfig } from '../../../shared/config';
import type { BinnedBatch } from '../../data/binning';
import { SeededRandom } from '../../random/seededRandom';
import { initNetwork } from '../model/init';
import { networkShape } from '../model/modelState';
import { runBatch, type BatchResult } from '../run/network';
import { maxRelativeError } from './relativeError';
import type { GpuContext } from '../webgpu/gpuAdapter';
import { GpuNetwork } from '../webgpu/gpuNetwork';

/** Two layers, adLIF with learned decays: every kind of parameter and both neuron paths get a gradient. */
function tinyProblem() {
  const B = 4;
  const T = 12;
  const C = 8;
  const K = 3;
  const config = makeConfig({ neuron: 'adlif', layers: [{ size: 8, recurrent: true, dropout: 0 }, { size: 8, recurrent: false, dropout: 0 }], learnTau: true, nbSteps: T, weightScale: 4, seed: 1, readout: 'softmax-sum', surrogateScale: 10 });
  const params = initNetwork(networkShape(config, C, K), config);
  const rng = new SeededRandom(7);
  const flat: number[] = [];
  for (let i = 0; i < B * T * C; i++) if (rng.next() < 0.3) flat.push(i);
  const batch: BinnedBatch = {
    size: B,
    nbSteps: T,
    channels: C,
    indices: Int32Array.from([0, 1, 2, 3]),
    labels: Int32Array.from([0, 1, 2, 0]),
    flat: Int32Array.from(flat),
    counts: new Float32Array(flat.length).fill(1),
    dropped: 0,
  };
  return { config, params, batch };
}

function check(r: BatchResult, what: string): void {
  if (!Number.isFinite(r.loss)) throw new Error(`${what}: loss is ${r.loss}`);
  if (!r.grads!.every(Number.isFinite)) throw new Error(`${what}: a gradient is not finite`);
}

function agree(got: BatchResult, want: BatchResult, what: string): void {
  if (!got.grads!.some((x) => x !== 0)) throw new Error('the gradient is all zeros');
  const lossDiff = Math.abs(got.loss - want.loss) / Math.abs(want.loss);
  const gradDiff = maxRelativeError(got.grads!, want.grads!);
  if (!(lossDiff < 1e-4 && gradDiff < 1e-3)) {
    throw new Error(`${what} disagree with the engine's kernels (loss ${got.loss} vs ${want.loss}, gradients differ by ${gradDiff.toExponential(1)} relative)`);
  }
}

export async function smokeTest(): Promise<void> {
  const { config, params, batch } = tinyProblem();
  const ops = runBatch(params, config, batch, { gradients: true, loop: 'tensor' });
  check(ops, 'tfjs ops');
  const fused = runBatch(params, config, batch, { gradients: true, loop: 'fused' });
  check(fused, 'fused kernels');
  agree(ops, fused, 'tfjs ops');
}

/** The same step on the GPU's kernels, against the fused CPU kernels. */
export async function gpuSmokeTest(ctx: GpuContext): Promise<void> {
  const { config, params, batch } = tinyProblem();
  const net = new GpuNetwork(ctx);
  try {
    const gpu = await net.run(params, config, batch, { gradients: true });
    check(gpu, 'webgpu kernels');
    agree(gpu, runBatch(params, config, batch, { gradients: true, loop: 'fused' }), 'the webgpu kernels');
  } finally {
    net.destroy();
  }
}
