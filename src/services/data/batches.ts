/**
 * The order in which an epoch visits the samples, cut into batches. Only indices are made here; the
 * binned input of a batch is made from them when the trainer reaches it (see binning.ts).
 */
import { SeededRandom } from '../random/seededRandom';

export interface BatchOrderOptions {
  batchSize: number;
  shuffle: boolean;
  seed: number;
  epoch: number;
}

/**
 * One 32-bit stream seed per (seed, epoch): the same pair always gives the same order, and neighbouring
 * epochs (or seeds) land far apart instead of giving shifted copies of one stream.
 */
export function epochSeed(seed: number, epoch: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x3c6ef372, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h ^ (epoch >>> 0), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h ^ Math.floor(epoch / 2 ** 32), 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Sample indices 0…samples−1 in batches of `batchSize`, shuffled when asked (seeded by seed and epoch),
 * the last partial batch kept so training and evaluation both see every sample.
 */
export function batchOrder(samples: number, opts: BatchOrderOptions): Int32Array[] {
  const { batchSize, shuffle, seed, epoch } = opts;
  if (!Number.isInteger(samples) || samples < 0) throw new Error(`sample count must be a non-negative integer (got ${samples})`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer (got ${batchSize})`);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer (got ${seed})`);
  if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`epoch must be a non-negative integer (got ${epoch})`);
  let order: Int32Array;
  if (shuffle) {
    order = new SeededRandom(epochSeed(seed, epoch)).permutation(samples);
  } else {
    order = new Int32Array(samples);
    for (let i = 0; i < samples; i++) order[i] = i;
  }
  const batches: Int32Array[] = [];
  for (let start = 0; start < samples; start += batchSize) batches.push(order.slice(start, Math.min(samples, start + batchSize)));
  return batches;
}
