/**
 * Reads a golden file written by the reference's `--golden` mode (see test/fixtures/make_golden.sh) into
 * the engine's types: the input as a sparse batch, the weights in x·W layout, the config from its attributes.
 */
import h5wasm from 'h5wasm/node';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeConfig, type TrainConfig } from '../../../src/shared/config';
import type { BinnedBatch } from '../../../src/services/data/binning';
import type { NetworkWeights } from '../../../src/services/engine/modelState';

export interface GoldenCase {
  batch: BinnedBatch;
  weights: NetworkWeights;
  config: TrainConfig;
  /** [B, T+1, K], [B, T, H], [B, T, H] as the reference lays them out. */
  out: Float32Array;
  spk: Float32Array;
  mem: Float32Array;
  loss: number;
  grad: { w1: Float32Array; v1: Float32Array; w2: Float32Array };
  dims: { B: number; T: number; C: number; H: number; K: number };
}

/** The reference's --golden files (make_golden.sh) and the variants file (make_golden_variants.py). */
export const GOLDEN_FILES = ['golden_seed0.h5', 'golden_seed1.h5', 'golden_seed2_custom.h5', 'golden_variant_mean_ff.h5'];

export function fixturePath(name: string): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', name);
}

/** A dense [B, T, C] array as the sparse batch binBatch would make of it. */
export function batchFromDense(x: Float32Array, B: number, T: number, C: number, labels: Int32Array): BinnedBatch {
  const flat: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== 0) {
      flat.push(i);
      counts.push(x[i]);
    }
  }
  return {
    size: B,
    nbSteps: T,
    channels: C,
    indices: Int32Array.from({ length: B }, (_, i) => i),
    labels,
    flat: Int32Array.from(flat),
    counts: Float32Array.from(counts),
    dropped: 0,
  };
}

export async function readGolden(name: string): Promise<GoldenCase> {
  await h5wasm.ready;
  const f = new h5wasm.File(fixturePath(name), 'r');
  try {
    const ds = (key: string) => {
      const d = f.get(key) as InstanceType<typeof h5wasm.Dataset>;
      return { value: d.value, shape: d.shape as number[] };
    };
    const f32 = (key: string) => Float32Array.from(ds(key).value as Float32Array);
    const attr = (key: string) => Number(f.attrs[key].value);
    const [B, T, C] = ds('x').shape;
    const [, H] = ds('w1').shape;
    const [, K] = ds('w2').shape;
    const labels = Int32Array.from(ds('y').value as Int32Array);
    // The reference's own files have one `reg` for both terms; the variants file has them apart.
    const has = (key: string) => key in f.attrs;
    const config = makeConfig({
      hidden: H,
      nbSteps: T,
      tauSynS: attr('tau_syn'),
      tauMemS: attr('tau_mem'),
      dtS: attr('dt'),
      surrogateScale: attr('surrogate_scale'),
      regL1: has('reg_l1') ? attr('reg_l1') : attr('reg'),
      regL2: has('reg_l2') ? attr('reg_l2') : attr('reg'),
      recurrent: has('recurrent') ? attr('recurrent') !== 0 : true,
      readout: has('readout') ? (String(f.attrs.readout.value) as 'max' | 'mean') : 'max',
    });
    return {
      batch: batchFromDense(f32('x'), B, T, C, labels),
      weights: { inputs: C, hidden: H, classes: K, w1: f32('w1'), v1: f32('v1'), w2: f32('w2') },
      config,
      out: f32('out'),
      spk: f32('spk'),
      mem: f32('mem'),
      loss: Number(ds('loss').value),
      grad: { w1: f32('grad_w1'), v1: f32('grad_v1'), w2: f32('grad_w2') },
      dims: { B, T, C, H, K },
    };
  } finally {
    f.close();
  }
}

/** Time-major [T', B, N] → the reference's [B, T', N]. */
export function batchMajor(x: Float32Array, steps: number, batch: number, n: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let t = 0; t < steps; t++) for (let b = 0; b < batch; b++) y.set(x.subarray((t * batch + b) * n, (t * batch + b + 1) * n), (b * steps + t) * n);
  return y;
}
