/**
 * One batch through the network on the backends that run on this CPU (wasm, cpu), with the recurrent layer
 * as fused per-step kernels instead of tfjs ops. Same equations, update order and float32 rounding as
 * lifLayer.ts (where they are written out), checked against the same golden files.
 *
 * Why: on wasm and cpu every tfjs op costs tens of microseconds of bookkeeping whatever its size, and a step
 * of the layer is a dozen element-wise ops on only B·H numbers. Here a step is one SIMD pass over B·H
 * numbers (engineKernels.ts, or its JS twin), the recurrent input S_{t−1}·V1 is a sum of the V1 rows of the
 * neurons that spiked (a few percent), and the dense products of the backward pass (∂I_{t+2}·V1ᵀ per step,
 * ∂h2·W2ᵀ once) are a register-tiled SIMD matmul, as fast as tfjs' XNNPACK here without its per-call
 * overhead. tfjs is used only for the dense input path (`inputPath: 'dense'`).
 *
 * All per-batch arrays live in one arena in the kernels' memory, so kernels run on them without copies.
 * Layout is time-major: row t·B + b, and a step's n = B·H numbers are contiguous.
 *
 * The batch runs in two stages, forward (to the class loss and the spikes per neuron) and backward, because
 * the spike regulariser's gradient depends on the spikes per neuron summed over the WHOLE batch: when a batch
 * is split over worker threads (workerPool.ts), each runs the forward stage on its share, the totals are
 * summed, and each runs the backward stage with the regulariser's gradient of the whole batch.
 * This module imports no tfjs (the worker threads load only the kernels); the dense input path's two
 * matmuls come in as `dense` from network.ts.
 */
import type { TrainConfig } from '../../shared/config';
import type { BinnedBatch } from '../data/binning';
import { Arena, createKernelRuntime, type KernelRuntime } from './engineKernels';
import type { LifParams } from './lifLayer';
import { batchLoss } from './batchLoss';
import { spikeRegulariser } from './loss';
import type { NetworkWeights } from './modelState';
import type { BatchGradients, BatchResult, BatchRunOptions, InputPath, Phase } from './network';
import { readoutBackward } from './readout';

const shared = new Map<boolean, { runtime: KernelRuntime; arena: Arena }>();

/**
 * The kernels and their arena: WebAssembly SIMD unless the pure-JS cpu backend was chosen, where the JS
 * twins run (same numbers, so the choice of backend is honoured without changing results).
 */
function arena(simd: boolean): { runtime: KernelRuntime; arena: Arena } {
  let a = shared.get(simd);
  if (!a) {
    const runtime = createKernelRuntime(simd);
    a = { runtime, arena: new Arena(runtime.memory) };
    shared.set(simd, a);
  }
  return a;
}

/** The dense input path's products (tfjs matmuls, supplied by network.ts). */
export interface DenseProducts {
  /** X·W1: [rows, C]·[C, H]. */
  xw(x: Float32Array, rows: number, w1: Float32Array): Float32Array;
  /** Xᵀ·G: [rows, C]ᵀ·[rows, H]. */
  xtg(x: Float32Array, rows: number, g: Float32Array): Float32Array;
}

export interface FusedContext {
  weights: NetworkWeights;
  config: TrainConfig;
  batch: BinnedBatch;
  opts: BatchRunOptions;
  path: InputPath;
  lif: LifParams;
  lap: (phase: Phase) => void;
  /** WebAssembly SIMD kernels (wasm backend) or their JS twins (cpu backend). */
  simd: boolean;
  /** Required when path is 'dense'. */
  dense?: DenseProducts;
  /**
   * The size of the whole batch when this is a share of it: the mean NLL and its gradient are divided by it,
   * so the shares' nll values and gradients add up to the whole batch's. Default: this batch's size.
   */
  lossDivisor?: number;
}

/** The forward stage's result; `backward` (training only) must run before the arena is used again. */
export interface FusedForward {
  /** nll and the class-loss fields; loss and reg include this batch's own regulariser. */
  result: BatchResult;
  /** Spikes per hidden neuron, Σ_{b,t} S. */
  perNeuron: Float64Array;
  /** ∂W1, ∂V1, ∂W2 given ∂L/∂S from the regulariser ([H], the same for every b and t). */
  backward?: (dSpike: Float32Array) => BatchGradients;
}

export function runFusedBatch(ctx: FusedContext): BatchResult {
  const fw = fusedForward(ctx);
  if (!fw.backward) return fw.result;
  const reg = spikeRegulariser(fw.perNeuron, ctx.config.regL1, ctx.config.regL2);
  fw.result.grads = fw.backward(reg.dSpike);
  return fw.result;
}

export function fusedForward(ctx: FusedContext): FusedForward {
  const { weights, config, batch, opts, path, lif, lap } = ctx;
  const { runtime, arena: mem } = arena(ctx.simd);
  const k = runtime.kernels;
  const T = batch.nbSteps;
  const B = batch.size;
  const C = weights.inputs;
  const H = weights.hidden;
  const K = weights.classes;
  const n = B * H;
  const TN = T * n;
  const nnz = batch.flat.length;
  const step = runtime.pick(n % 4 === 0);
  // Both dense products have B·(something) rows and H columns.
  const mm = runtime.pick(B % 4 === 0 && H % 8 === 0);
  const grads = opts.gradients;
  const records = opts.records === true;

  // Every array of the batch, reserved at once (growing the memory would invalidate the views).
  const sizes = [
    nnz, nnz, nnz, C * H, H * H, H * K, // rows, cols, counts, w1, v1, w2
    TN, n, n, n, TN, TN, TN, TN, T * B * K, // xw, syn, mem, rec, spk, list, spikeRows, spikeCols, h2
    ...(grads ? [TN, T * B * K, H * K, T * B * (K + 1), (K + 1) * H, TN, TN, n, n, H * H, C * H, H * H, TN] : []),
    // den, dh2, gw2, dh2Aug, w2TAug, dIn, g, gMem, gSyn, v1T, gw1, gv1, next
    ...(records ? [TN] : []), // memRec
  ];
  mem.reset(sizes.reduce((a, b) => a + b, 0) * 4, sizes.length);

  // Input: time-major coordinates of the non-zero bins.
  const rows = mem.i32(nnz);
  const cols = mem.i32(nnz);
  const counts = mem.f32(nnz, false);
  for (let i = 0; i < nnz; i++) {
    const fl = batch.flat[i];
    const bt = Math.floor(fl / C);
    const b = Math.floor(bt / T);
    rows.view[i] = (bt - b * T) * B + b;
    cols.view[i] = fl - bt * C;
  }
  counts.view.set(batch.counts);
  const w1 = mem.f32(C * H, false);
  w1.view.set(weights.w1);
  const v1 = mem.f32(H * H, false);
  v1.view.set(weights.v1);
  const w2 = mem.f32(H * K, false);
  w2.view.set(weights.w2);

  // x·W1 for every step.
  const xw = mem.f32(TN);
  let denseX: Float32Array | null = null;
  if (path === 'sparse') {
    k.rowAxpy(xw.ptr, rows.ptr, w1.ptr, cols.ptr, counts.ptr, nnz, H);
  } else {
    if (!ctx.dense) throw new Error('the dense input path needs the dense products');
    denseX = new Float32Array(T * B * C);
    for (let i = 0; i < nnz; i++) denseX[rows.view[i] * C + cols.view[i]] = counts.view[i];
    xw.view.set(ctx.dense.xw(denseX, T * B, weights.w1));
  }
  lap('input');

  // Forward through time; `list` collects the step-local index b·H + h of every spike, step after step.
  const syn = mem.f32(n);
  const memb = mem.f32(n);
  const rec = mem.f32(n, false);
  const spk = mem.f32(TN, false);
  const den = grads ? mem.f32(TN, false) : null;
  const memRec = records ? mem.f32(TN, false) : null;
  const list = mem.i32(TN);
  const stepStart = new Int32Array(T + 1);
  let total = 0;
  for (let t = 0; t < T; t++) {
    let recPtr = 0;
    const prev = t > 0 ? stepStart[t] - stepStart[t - 1] : 0;
    if (config.recurrent && prev > 0) {
      rec.view.fill(0);
      k.spikeRowsAdd(rec.ptr, v1.ptr, list.ptr + stepStart[t - 1] * 4, prev, H);
      recPtr = rec.ptr;
    }
    const off = t * n * 4;
    total += step.lifForwardStep(
      n, xw.ptr + off, recPtr, syn.ptr, memb.ptr, spk.ptr + off, den ? den.ptr + off : 0, memRec ? memRec.ptr + off : 0, list.ptr + total * 4,
      lif.alpha, lif.beta, lif.threshold, lif.surrogateScale,
    );
    stepStart[t + 1] = total;
  }
  // The spikes as (row t·B + b, neuron h), in row order, and the count per neuron.
  const spikeRows = mem.i32(TN);
  const spikeCols = mem.i32(TN);
  const perNeuron = new Float64Array(H);
  for (let t = 0; t < T; t++) {
    for (let s = stepStart[t]; s < stepStart[t + 1]; s++) {
      const i = list.view[s];
      const b = Math.floor(i / H);
      const h = i - b * H;
      spikeRows.view[s] = t * B + b;
      spikeCols.view[s] = h;
      perNeuron[h]++;
    }
  }
  lap('forward');

  // Readout, scores, loss.
  const h2 = mem.f32(T * B * K);
  k.rowAxpy(h2.ptr, spikeRows.ptr, w2.ptr, spikeCols.ptr, 0, total, K);
  const shape = { steps: T, batch: B, classes: K };
  const { result, out, scores: sc, cls } = batchLoss(h2.view, shape, lif, config, batch.labels, perNeuron, total, ctx.lossDivisor ?? B);
  if (records) result.records = { spikes: spk.view.slice(), mem: memRec!.view.slice(), out };
  lap('readout');
  if (!grads) return { result, perNeuron };
  const backward = (dSpike: Float32Array): BatchGradients => {
    // ∂L/∂S_t from readout and regulariser: [∂h2 | 1]·[W2ᵀ ; reg], one dense product for all steps.
    const dh2 = mem.f32(T * B * K, false);
    dh2.view.set(readoutBackward(cls.dScores, sc, shape, lif.alpha, lif.beta));
    const gw2 = mem.f32(H * K);
    k.rowAxpy(gw2.ptr, spikeCols.ptr, dh2.ptr, spikeRows.ptr, 0, total, K);
    const dh2Aug = mem.f32(T * B * (K + 1), false);
    for (let r = 0; r < T * B; r++) {
      dh2Aug.view.set(dh2.view.subarray(r * K, (r + 1) * K), r * (K + 1));
      dh2Aug.view[r * (K + 1) + K] = 1;
    }
    const w2TAug = mem.f32((K + 1) * H, false);
    for (let h = 0; h < H; h++) for (let c = 0; c < K; c++) w2TAug.view[c * H + h] = weights.w2[h * K + c];
    w2TAug.view.set(dSpike, K * H);
    const dIn = mem.f32(TN, false);
    mm.matmul(dIn.ptr, dh2Aug.ptr, w2TAug.ptr, T * B, K + 1, H);

    // Back through time.
    const g = mem.f32(TN, false);
    const gMem = mem.f32(n);
    const gSyn = mem.f32(n);
    const v1T = mem.f32(H * H, false);
    for (let j = 0; j < H; j++) for (let h = 0; h < H; h++) v1T.view[h * H + j] = weights.v1[j * H + h];
    for (let t = T - 1; t >= 0; t--) {
      let recPtr = 0;
      if (config.recurrent && t + 1 < T) {
        // ∂I_{t+2}·V1ᵀ with ∂I_{t+2} = G_{t+1}, written by the previous iteration.
        mm.matmul(rec.ptr, g.ptr + (t + 1) * n * 4, v1T.ptr, B, H, H);
        recPtr = rec.ptr;
      }
      const off = t * n * 4;
      step.lifBackwardStep(n, g.ptr + off, dIn.ptr + off, recPtr, spk.ptr + off, den!.ptr + off, gMem.ptr, gSyn.ptr, lif.alpha, lif.beta);
    }
    lap('backward');

    // ∂W1 = Σ_t x_tᵀ·G_t over the non-zero bins; ∂V1 = Σ_t S_{t−1}ᵀ·G_t: a spike at row r pairs with G row r + B.
    const gw1 = mem.f32(C * H);
    if (denseX) {
      gw1.view.set(ctx.dense!.xtg(denseX, T * B, g.view));
    } else {
      k.rowAxpy(gw1.ptr, cols.ptr, g.ptr, rows.ptr, counts.ptr, nnz, H);
    }
    const gv1 = mem.f32(H * H);
    if (config.recurrent) {
      const paired = stepStart[T - 1];
      const next = mem.i32(TN);
      for (let s = 0; s < paired; s++) next.view[s] = spikeRows.view[s] + B;
      k.rowAxpy(gv1.ptr, spikeCols.ptr, g.ptr, next.ptr, 0, paired, H);
    }
    const out = { w1: gw1.view.slice(), v1: gv1.view.slice(), w2: gw2.view.slice() };
    lap('weightGrads');
    return out;
  };
  return { result, perNeuron, backward };
}
