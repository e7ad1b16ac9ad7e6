/**
 * Reads the reference's golden files into the engine's types: the input as a sparse batch, the parameters as
 * a NetworkParams, the config, and the reference's records, loss and gradients by parameter name.
 * - format 1 (`--golden`, make_golden.sh; make_golden_variants.py): the seed model, w1/v1/w2, scalar decays;
 * - format 2 (`--golden-v2`, golden_v2/make_golden_v2.sh): `params/…`, `grads/…`, `records/…`, config JSON.
 */
import h5wasm from 'h5wasm/node';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloneConfig, DEFAULT_CONFIG, parseSpan, upgradeConfig, validateTrainConfig, type Span, type TrainConfig } from '../../../src/shared/config';
import type { BinnedBatch } from '../../../src/services/data/binning';
import { emptyParams, networkShape, tensor, type NetworkParams } from '../../../src/services/engine/model/modelState';

export interface GoldenCase {
  name: string;
  batch: BinnedBatch;
  params: NetworkParams;
  config: TrainConfig;
  /** The reference's layout: spk, mem [B, T, H_l] per layer; out [B, T+1, K]. */
  records: { layers: { spk: Float32Array; mem: Float32Array }[]; out: Float32Array };
  /** score [B, K] (format 2 only). */
  score: Float32Array | null;
  loss: number;
  /** ∂loss by parameter name (names of modelState.ts). */
  grads: Map<string, Float32Array>;
  dims: { B: number; T: number; K: number };
  /** The delays' kernel spread the case ran with (`delay_sigma_now`; 0 without delays). */
  delaySigma: number;
}

/** The reference's --golden files (make_golden.sh) and the variants file (make_golden_variants.py). */
export const GOLDEN_FILES = ['golden_seed0.h5', 'golden_seed1.h5', 'golden_seed2_custom.h5', 'golden_variant_mean_ff.h5'];
/**
 * Every case of --golden-v2 but the delay cases (GOLDEN_DELAY_FILES), and the csilif oracle's cases
 * (test/fixtures/csilif_reference.py, same format), seeds 0 and 1.
 */
/** The --golden-v2 cases with learnable delays, seeds 0 and 1 (the fused CPU loop runs delays). */
export const GOLDEN_DELAY_FILES = ['lif2_delays', 'adlif_recdelay'].flatMap((c) => [0, 1].map((s) => `golden_v2/${c}_seed${s}.h5`));

export const GOLDEN_V2_FILES = ['lif2_pool', 'adlif_softmax', 'adlif2_ff_mean', 'brf_softmax', 'brf2_ff_max', 'csilif_softmax', 'csilif2_ff_max'].flatMap((c) =>
  [0, 1].map((s) => `golden_v2/${c}_seed${s}.h5`),
);

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

type H5File = InstanceType<typeof h5wasm.File>;

function reader(f: H5File) {
  const ds = (key: string) => {
    const d = f.get(key) as InstanceType<typeof h5wasm.Dataset>;
    return { value: d.value, shape: d.shape as number[] };
  };
  return { ds, f32: (key: string) => Float32Array.from(ds(key).value as Float32Array), has: (key: string) => f.get(key) !== null };
}

function readFormat1(f: H5File, name: string): GoldenCase {
  const { ds, f32 } = reader(f);
  const attr = (key: string) => Number(f.attrs[key].value);
  const hasAttr = (key: string) => key in f.attrs;
  const [B, T, C] = ds('x').shape;
  const [, H] = ds('w1').shape;
  const [, K] = ds('w2').shape;
  const labels = Int32Array.from(ds('y').value as Int32Array);
  // The reference's own files have one `reg` for both terms; the variants file has them apart.
  const recurrent = hasAttr('recurrent') ? attr('recurrent') !== 0 : true;
  const config = validateTrainConfig(
    upgradeConfig({
      ...Object.fromEntries(Object.entries(cloneConfig(DEFAULT_CONFIG)).filter(([k]) => !['layers', 'tauSynS', 'tauMemS', 'neuron'].includes(k))),
      hidden: H,
      recurrent,
      nbSteps: T,
      tauSynS: attr('tau_syn'),
      tauMemS: attr('tau_mem'),
      dtS: attr('dt'),
      surrogateScale: attr('surrogate_scale'),
      regL1: hasAttr('reg_l1') ? attr('reg_l1') : attr('reg'),
      regL2: hasAttr('reg_l2') ? attr('reg_l2') : attr('reg'),
      readout: hasAttr('readout') ? String(f.attrs.readout.value) : 'max',
    }),
  );
  const params = emptyParams(networkShape(config, C, K));
  const set = (n: string, v: Float32Array) => tensor(params, params.flat, n).set(v);
  set('layer0/w_in', f32('w1'));
  if (recurrent) set('layer0/w_rec', f32('v1'));
  for (const [n, v] of [['layer0/alpha', attr('alpha')], ['layer0/beta', attr('beta')], ['readout/alpha', attr('alpha')], ['readout/beta', attr('beta')]] as const) {
    tensor(params, params.flat, n).fill(v);
  }
  set('readout/w', f32('w2'));
  const grads = new Map<string, Float32Array>([['layer0/w_in', f32('grad_w1')], ['readout/w', f32('grad_w2')]]);
  if (recurrent) grads.set('layer0/w_rec', f32('grad_v1'));
  return {
    name,
    batch: batchFromDense(f32('x'), B, T, C, labels),
    params,
    config,
    records: { layers: [{ spk: f32('spk'), mem: f32('mem') }], out: f32('out') },
    score: null,
    loss: Number(ds('loss').value),
    grads,
    dims: { B, T, K },
    delaySigma: 0,
  };
}

/** The golden file's options (command-line names) as a config of the contract. */
function configOfReference(o: Record<string, unknown>, T: number): TrainConfig {
  const span = (v: unknown): Span => {
    const s = parseSpan(String(v));
    if (!s) throw new Error(`golden config: bad span ${String(v)}`);
    return s;
  };
  // Files of kinds that do not read an option (the csilif oracle's) leave it out: the default stands.
  const spanOr = (v: unknown, d: Span): Span => (v === undefined ? { ...d } : span(v));
  const numberOr = (v: unknown, d: number): number => (v === undefined ? d : Number(v));
  const sizes = String(o.hidden).split(',').map(Number);
  const layers = (sizes.length === 1 ? Array.from({ length: Number(o.layers) }, () => sizes[0]) : sizes).map((size) => ({ size, recurrent: o.recurrent === true, dropout: 0 }));
  return validateTrainConfig({
    ...cloneConfig(DEFAULT_CONFIG),
    neuron: o.neuron,
    layers,
    tauSynS: spanOr(o.tau_syn, DEFAULT_CONFIG.tauSynS),
    tauMemS: spanOr(o.tau_mem, DEFAULT_CONFIG.tauMemS),
    tauAdaptS: spanOr(o.tau_adapt, DEFAULT_CONFIG.tauAdaptS),
    adaptA: spanOr(o.adapt_a, DEFAULT_CONFIG.adaptA),
    adaptB: spanOr(o.adapt_b, DEFAULT_CONFIG.adaptB),
    adaptQ: numberOr(o.adapt_q, DEFAULT_CONFIG.adaptQ),
    // Files written before the reference had brf lack its options.
    brfOmega: spanOr(o.brf_omega, DEFAULT_CONFIG.brfOmega),
    brfBOffset: spanOr(o.brf_b_offset, DEFAULT_CONFIG.brfBOffset),
    brfDt: numberOr(o.brf_dt, DEFAULT_CONFIG.brfDt),
    brfGamma: numberOr(o.brf_gamma, DEFAULT_CONFIG.brfGamma),
    // The csilif oracle's options (only its files have them).
    csilifLogLogAlpha: spanOr(o.csilif_log_log_alpha, DEFAULT_CONFIG.csilifLogLogAlpha),
    csilifLogDt: spanOr(o.csilif_log_dt, DEFAULT_CONFIG.csilifLogDt),
    csilifAlphaImg: spanOr(o.csilif_alpha_img, DEFAULT_CONFIG.csilifAlphaImg),
    csilifB: spanOr(o.csilif_b, DEFAULT_CONFIG.csilifB),
    csilifReset: numberOr(o.csilif_reset, DEFAULT_CONFIG.csilifReset),
    // The delays (files before them have none).
    recDelayMax: numberOr(o.rec_delay_max, 0),
    recDelayInit: spanOr(o.rec_delay_init, DEFAULT_CONFIG.recDelayInit),
    ffDelayMax: numberOr(o.ff_delay_max, 0),
    ffDelayInit: spanOr(o.ff_delay_init, DEFAULT_CONFIG.ffDelayInit),
    pool: Number(o.pool),
    readout: o.readout,
    readoutSkip: o.readout === 'softmax-sum' ? Number(o.readout_skip ?? 0) : 0,
    readoutTauSynS: Number(o.readout_tau_syn),
    readoutTauMemS: Number(o.readout_tau_mem),
    regL1: Number(o.reg_l1),
    regL2: Number(o.reg_l2),
    threshold: Number(o.threshold),
    surrogateScale: Number(o.surrogate_scale),
    dtS: Number(o.dt),
    nbSteps: T,
  });
}

function readFormat2(f: H5File, name: string): GoldenCase {
  const { ds, f32, has } = reader(f);
  const [B, T, C] = ds('x_raw').shape;
  const [, K] = ds('score').shape;
  const options = JSON.parse(String(f.attrs.config.value)) as Record<string, unknown>;
  const config = configOfReference(options, T);
  const params = emptyParams(networkShape(config, C, K));
  const grads = new Map<string, Float32Array>();
  for (const e of params.layout) {
    if (!has(`params/${e.name}`)) throw new Error(`${name}: no params/${e.name}`);
    tensor(params, params.flat, e.name).set(f32(`params/${e.name}`));
    grads.set(e.name, f32(`grads/${e.name}`));
  }
  const labels = Int32Array.from(ds('y').value as Int32Array);
  return {
    name,
    batch: batchFromDense(f32('x_raw'), B, T, C, labels),
    params,
    config,
    records: {
      layers: config.layers.map((_, l) => ({ spk: f32(`records/layer${l}/spk`), mem: f32(`records/layer${l}/mem`) })),
      out: f32('records/readout/out'),
    },
    score: f32('score'),
    loss: Number(ds('loss').value),
    grads,
    dims: { B, T, K },
    delaySigma: Number(options.delay_sigma_now ?? 0),
  };
}

export async function readGolden(name: string): Promise<GoldenCase> {
  await h5wasm.ready;
  const f = new h5wasm.File(fixturePath(name), 'r');
  try {
    return f.get('params') ? readFormat2(f, name) : readFormat1(f, name);
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
