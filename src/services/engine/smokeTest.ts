/**
 * One training step of a tiny network on the active backend: what backendSelect.ts runs before trusting a
 * backend. A backend whose kernels load but compute garbage (or throw on an op the engine needs) fails here,
 * with a message, instead of in the middle of a training run.
 */
import { makeConfig } from '../../shared/config';
import type { BinnedBatch } from '../data/binning';
import { SeededRandom } from '../random/seededRandom';
import { initWeights } from './init';
import { runBatch } from './network';

export async function smokeTest(): Promise<void> {
  const B = 3;
  const T = 12;
  const C = 8;
  const K = 3;
  const config = makeConfig({ hidden: 6, nbSteps: T, weightScale: 4, seed: 1 });
  const weights = initWeights(C, config.hidden, K, config);
  const rng = new SeededRandom(7);
  const flat: number[] = [];
  for (let i = 0; i < B * T * C; i++) if (rng.next() < 0.3) flat.push(i);
  const batch: BinnedBatch = {
    size: B,
    nbSteps: T,
    channels: C,
    indices: Int32Array.from([0, 1, 2]),
    labels: Int32Array.from([0, 1, 2]),
    flat: Int32Array.from(flat),
    counts: new Float32Array(flat.length).fill(1),
    dropped: 0,
  };
  const r = runBatch(weights, config, batch, { gradients: true });
  if (!Number.isFinite(r.loss)) throw new Error(`loss is ${r.loss}`);
  for (const [name, g] of Object.entries(r.grads ?? {})) {
    if (!g.every(Number.isFinite)) throw new Error(`gradient of ${name} is not finite`);
  }
  if (!r.grads || !r.grads.w2.some((x) => x !== 0)) throw new Error('readout gradient is all zeros');
}
