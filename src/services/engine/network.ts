/**
 * One batch through the whole network: input projection → recurrent LIF layer → leaky readout (readout.ts)
 * → loss (loss.ts), and, for training, the backward pass to ∂W1, ∂V1, ∂W2.
 *
 * Two ways to run the recurrent layer, with the same numbers (both are checked against the reference's
 * golden files):
 * - `tensor`: per step a small matmul and a handful of element-wise tfjs ops (lifLayer.ts), so it runs on
 *   whichever backend is active; the default on the native backends (tensorflow), where ops are cheap.
 * - `fused`: per step one pass of a WebAssembly SIMD kernel (fusedBatch.ts); tfjs only for the dense
 *   products. The default on wasm and cpu, where each tfjs op costs tens of microseconds.
 * Everything that touches sparse data runs on lists of non-zero entries with the row kernel (rowAxpy.ts):
 * x·W1 and xᵀ·G over the non-zero input bins, S·W2, Sᵀ·∂h2 and S_{t−1}ᵀ·G over the hidden spikes. On the
 * native backends the input projection is done as dense matmuls instead (`inputPath`).
 * Arrays are time-major: row t·B + b holds sample b at step t.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../shared/config';
import { decayFactors } from '../../shared/config';
import type { BinnedBatch } from '../data/binning';
import { runFusedBatch, type DenseProducts } from './fusedBatch';
import { lifBackward, lifForward, type LifParams } from './lifLayer';
import { batchLoss } from './batchLoss';
import type { NetworkWeights } from './modelState';
import { readoutBackward } from './readout';
import { rowAxpy } from './rowAxpy';

export type InputPath = 'sparse' | 'dense';
/** How the recurrent loop runs: tfjs ops per step (lifLayer.ts) or fused per-step kernels (fusedBatch.ts). */
export type LoopKind = 'tensor' | 'fused';

export interface BatchRunOptions {
  /** Compute ∂W1, ∂V1, ∂W2 (training); otherwise forward only. */
  gradients: boolean;
  /** Return the hidden spikes and membranes and the readout (tests, probes). */
  records?: boolean;
  /** Default: dense on the tensorflow backends, sparse elsewhere. */
  inputPath?: InputPath;
  /** Default: tensor on the tensorflow backends, fused elsewhere. */
  loop?: LoopKind;
  /** When given, CPU milliseconds spent per phase are added to it (the benchmark's breakdown). */
  timing?: PhaseTiming;
}

export type Phase = 'input' | 'forward' | 'readout' | 'backward' | 'weightGrads';
export type PhaseTiming = Partial<Record<Phase, number>>;

export interface BatchGradients {
  w1: Float32Array;
  v1: Float32Array;
  w2: Float32Array;
}

/** Time-major records: spikes and mem [T, B, H] (U_t for t = 0…T−1), out [T+1, B, K]. */
export interface BatchRecords {
  spikes: Float32Array;
  mem: Float32Array;
  out: Float32Array;
}

export interface BatchResult {
  /** nll + reg, the quantity that is differentiated. */
  loss: number;
  nll: number;
  reg: number;
  /** Class scores [B, K]. */
  scores: Float32Array;
  predictions: Int32Array;
  correct: number;
  /** Hidden spikes in the batch. */
  hiddenSpikes: number;
  grads?: BatchGradients;
  records?: BatchRecords;
}

/** The binned input as time-major coordinates: row t·B + b, column = channel, value = spike count. */
export interface TimeMajorInput {
  rows: Int32Array;
  cols: Int32Array;
  counts: Float32Array;
}

export function timeMajorInput(batch: BinnedBatch): TimeMajorInput {
  const n = batch.flat.length;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  const { size: B, nbSteps: T, channels: C } = batch;
  for (let i = 0; i < n; i++) {
    const f = batch.flat[i];
    const bt = Math.floor(f / C);
    const b = Math.floor(bt / T);
    rows[i] = (bt - b * T) * B + b;
    cols[i] = f - bt * C;
  }
  return { rows, cols, counts: batch.counts };
}

export function defaultLoop(): LoopKind {
  return tf.getBackend() === 'tensorflow' ? 'tensor' : 'fused';
}

/** The fused loop's kernels: WebAssembly SIMD, or their JS twins on the pure-JS cpu backend. */
export function fusedKernelsSimd(): boolean {
  return tf.getBackend() !== 'cpu';
}

export function defaultInputPath(): InputPath {
  return tf.getBackend() === 'tensorflow' ? 'dense' : 'sparse';
}

function checkBatch(w: NetworkWeights, config: TrainConfig, batch: BinnedBatch): void {
  if (batch.channels !== w.inputs) throw new Error(`batch has ${batch.channels} input channels, the network ${w.inputs}`);
  if (batch.nbSteps !== config.nbSteps) throw new Error(`batch has ${batch.nbSteps} time steps, the config ${config.nbSteps}`);
  if (w.hidden !== config.hidden) throw new Error(`weights have ${w.hidden} hidden neurons, the config ${config.hidden}`);
}

/** The hidden spikes as a list: row t·B + b and neuron h of each, in row order; and spikes per neuron. */
interface SpikeList {
  rows: Int32Array;
  cols: Int32Array;
  perNeuron: Float64Array;
}

function listSpikes(s: Float32Array | Int32Array | Uint8Array, hidden: number): SpikeList {
  let count = 0;
  for (let i = 0; i < s.length; i++) if (s[i] !== 0) count++;
  const rows = new Int32Array(count);
  const cols = new Int32Array(count);
  const perNeuron = new Float64Array(hidden);
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== 0) {
      const r = Math.floor(i / hidden);
      const h = i - r * hidden;
      rows[k] = r;
      cols[k] = h;
      perNeuron[h]++;
      k++;
    }
  }
  return { rows, cols, perNeuron };
}

/**
 * The values of a tensor made by `make`, every intermediate disposed. (Returning the typed array from
 * tf.tidy itself would make tidy walk all its elements looking for tensors: milliseconds per call.)
 */
function values(make: () => tf.Tensor): Float32Array {
  let out: Float32Array | null = null;
  tf.tidy(() => {
    out = make().dataSync() as Float32Array;
  });
  return out!;
}

/** The fused loop's dense input path, as tfjs matmuls on the active backend. */
const denseProducts: DenseProducts = {
  xw: (x, rows, w1) => values(() => tf.matMul(tf.tensor2d(x, [rows, x.length / rows]), tf.tensor2d(w1, [x.length / rows, w1.length / (x.length / rows)]))),
  xtg: (x, rows, g) => values(() => tf.matMul(tf.tensor2d(x, [rows, x.length / rows]), tf.tensor2d(g, [rows, g.length / rows]), true, false)),
};

/**
 * Runs one batch. All tensors are created and disposed inside; results are plain arrays, so callers need
 * no tensor bookkeeping.
 */
export function runBatch(weights: NetworkWeights, config: TrainConfig, batch: BinnedBatch, opts: BatchRunOptions): BatchResult {
  checkBatch(weights, config, batch);
  const T = batch.nbSteps;
  const B = batch.size;
  const C = weights.inputs;
  const H = weights.hidden;
  const K = weights.classes;
  const { alpha, beta } = decayFactors(config);
  const lif: LifParams = { alpha, beta, threshold: config.threshold, surrogateScale: config.surrogateScale };
  const path = opts.inputPath ?? defaultInputPath();
  const loop = opts.loop ?? defaultLoop();
  let result: BatchResult | undefined;
  let clock = cpuMs();
  const lap = (phase: Phase) => {
    if (!opts.timing) return;
    const now = cpuMs();
    opts.timing[phase] = (opts.timing[phase] ?? 0) + (now - clock);
    clock = now;
  };

  if (loop === 'fused') return runFusedBatch({ weights, config, batch, opts, path, lif, lap, simd: fusedKernelsSimd(), dense: denseProducts });

  // The tfjs-ops loop (lifLayer.ts): every per-step operation is a tensor op on the active backend.
  const input = timeMajorInput(batch);
  tf.tidy(() => {
    // x·W1 for every step: sparse kernel into an array, or a dense matmul.
    let denseX: tf.Tensor2D | null = null;
    let stepInput: (t: number) => tf.Tensor2D;
    if (path === 'sparse') {
      const xw = new Float32Array(T * B * H);
      rowAxpy({ dst: xw, dstRow: input.rows, src: weights.w1, srcRow: input.cols, coef: input.counts, n: input.rows.length, rowLen: H });
      // Uploading a subarray is a copy on wasm and costs far less than slicing a [T·B, H] tensor there.
      stepInput = (t) => tf.tensor2d(xw.subarray(t * B * H, (t + 1) * B * H), [B, H]);
    } else {
      const x = new Float32Array(T * B * C);
      for (let i = 0; i < input.rows.length; i++) x[input.rows[i] * C + input.cols[i]] = input.counts[i];
      denseX = tf.tensor2d(x, [T * B, C]);
      const xw: tf.Tensor2D = tf.matMul(denseX, tf.tensor2d(weights.w1, [C, H]));
      const steps = tf.unstack(xw.reshape([T, B, H])) as tf.Tensor2D[];
      stepInput = (t) => steps[t];
    }
    lap('input');

    const v1 = config.recurrent ? tf.tensor2d(weights.v1, [H, H]) : null;
    const keep = { backward: opts.gradients, mem: opts.records === true };
    const fw = lifForward(T, B, H, stepInput, v1, lif, keep);
    const spikeData = tf.concat(fw.spikes).dataSync() as Float32Array;
    const spikes = listSpikes(spikeData, H);
    lap('forward');

    const h2 = new Float32Array(T * B * K);
    rowAxpy({ dst: h2, dstRow: spikes.rows, src: weights.w2, srcRow: spikes.cols, coef: null, n: spikes.rows.length, rowLen: K });
    const shape = { steps: T, batch: B, classes: K };
    const { result: res, out, scores: sc, cls, reg } = batchLoss(h2, shape, { alpha, beta }, config, batch.labels, spikes.perNeuron, spikes.rows.length);
    result = res;
    if (keep.mem) res.records = { spikes: Float32Array.from(spikeData), mem: Float32Array.from(tf.concat(fw.mem).dataSync() as Float32Array), out };
    lap('readout');
    if (!opts.gradients) return;

    // ∂L/∂S_t from readout and regulariser, per step as one matmul: [∂h2_t | 1]·[W2ᵀ ; reg].
    const dh2 = readoutBackward(cls.dScores, sc, shape, alpha, beta);
    const gw2 = new Float32Array(H * K);
    rowAxpy({ dst: gw2, dstRow: spikes.cols, src: dh2, srcRow: spikes.rows, coef: null, n: spikes.rows.length, rowLen: K });
    const dh2Aug = new Float32Array(T * B * (K + 1));
    for (let r = 0; r < T * B; r++) {
      dh2Aug.set(dh2.subarray(r * K, (r + 1) * K), r * (K + 1));
      dh2Aug[r * (K + 1) + K] = 1;
    }
    const w2TAug = tf.concat([tf.transpose(tf.tensor2d(weights.w2, [H, K])), tf.tensor2d(reg.dSpike, [1, H])]);
    const spikeGrad = (t: number): tf.Tensor2D => {
      const dt = tf.tensor2d(dh2Aug.subarray(t * B * (K + 1), (t + 1) * B * (K + 1)), [B, K + 1]);
      const g: tf.Tensor2D = tf.matMul(dt, w2TAug);
      dt.dispose();
      return g;
    };
    const v1T = v1 ? tf.transpose(v1) : null;
    const g = lifBackward(fw, B, H, spikeGrad, v1T, lif);
    const gStack = tf.concat(g);
    const gData = gStack.dataSync() as Float32Array;
    lap('backward');

    let gw1: Float32Array;
    if (denseX) {
      gw1 = Float32Array.from(tf.matMul(denseX, gStack, true, false).dataSync() as Float32Array);
    } else {
      gw1 = new Float32Array(C * H);
      rowAxpy({ dst: gw1, dstRow: input.cols, src: gData, srcRow: input.rows, coef: input.counts, n: input.rows.length, rowLen: H });
    }
    // ∂V1 = Σ_t S_{t−1}ᵀ·G_t: a spike at row r = t·B + b pairs with G at row r + B; spikes at t = T−1 feed nothing.
    const gv1 = new Float32Array(H * H);
    if (config.recurrent) {
      let n = 0;
      while (n < spikes.rows.length && spikes.rows[n] < (T - 1) * B) n++;
      const next = new Int32Array(n);
      for (let i = 0; i < n; i++) next[i] = spikes.rows[i] + B;
      rowAxpy({ dst: gv1, dstRow: spikes.cols, src: gData, srcRow: next, coef: null, n, rowLen: H });
    }
    res.grads = { w1: gw1, v1: gv1, w2: gw2 };
    lap('weightGrads');
  });
  if (!result) throw new Error('runBatch produced no result');
  return result;
}
/** CPU time of this process: under a shared, loaded machine it shows the engine's own cost, not the wait. */
function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}
