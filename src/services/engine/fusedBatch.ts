/**
 * One batch through the network on the backends that run on this CPU (wasm, cpu), with the recurrent layer
 * as fused per-step kernels instead of tfjs ops. Same equations, update order and float32 rounding as
 * lifLayer.ts (where they are written out), checked against the same golden files.
 *
 * Why: on wasm and cpu every tfjs op costs tens of microseconds of bookkeeping whatever its size, and a step
 * of the layer is a dozen element-wise ops on only B·H numbers. Here a step is one SIMD pass over B·H
 * numbers (engineKernels.ts, or its JS twin), the recurrent input S_{t−1}·V1 is a sum of the V1 rows of the
 * neurons that spiked (a few percent), and tfjs is used only where it is best: the dense per-step product
 * ∂I_{t+2}·V1ᵀ of the backward pass (XNNPACK on wasm) and the dense readout product ∂h2·W2ᵀ.
 *
 * All per-batch arrays live in one arena in the kernels' memory, so kernels run on them without copies.
 * Layout is time-major: row t·B + b, and a step's n = B·H numbers are contiguous.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../shared/config';
import type { BinnedBatch } from '../data/binning';
import { Arena, createKernelRuntime, type KernelRuntime } from './engineKernels';
import type { LifParams } from './lifLayer';
import { classLoss, spikeRegulariser } from './loss';
import type { NetworkWeights } from './modelState';
import type { BatchResult, BatchRunOptions, InputPath, Phase } from './network';
import { readoutBackward, readoutForward, readoutScores } from './readout';

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

let shared: { runtime: KernelRuntime; arena: Arena } | null = null;

function arena(): { runtime: KernelRuntime; arena: Arena } {
  if (!shared) {
    const runtime = createKernelRuntime(true);
    shared = { runtime, arena: new Arena(runtime.memory) };
  }
  return shared;
}

export interface FusedContext {
  weights: NetworkWeights;
  config: TrainConfig;
  batch: BinnedBatch;
  opts: BatchRunOptions;
  path: InputPath;
  lif: LifParams;
  lap: (phase: Phase) => void;
}

export function runFusedBatch(ctx: FusedContext): BatchResult {
  const { weights, config, batch, opts, path, lif, lap } = ctx;
  const { runtime, arena: mem } = arena();
  const k = runtime.kernels;
  const T = batch.nbSteps;
  const B = batch.size;
  const C = weights.inputs;
  const H = weights.hidden;
  const K = weights.classes;
  const n = B * H;
  const TN = T * n;
  const nnz = batch.flat.length;
  const step = runtime.stepKernels(n);
  const grads = opts.gradients;
  const records = opts.records === true;

  // Every array of the batch, reserved at once (growing the memory would invalidate the views).
  const sizes = [
    nnz, nnz, nnz, C * H, H * H, H * K, // rows, cols, counts, w1, v1, w2
    TN, n, n, n, TN, TN, TN, TN, T * B * K, // xw, syn, mem, rec, spk, list, spikeRows, spikeCols, h2
    ...(grads ? [TN, T * B * K, H * K, TN, TN, n, n, C * H, H * H, TN] : []), // den, dh2, gw2, dIn, g, gMem, gSyn, gw1, gv1, next
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
    denseX = new Float32Array(T * B * C);
    for (let i = 0; i < nnz; i++) denseX[rows.view[i] * C + cols.view[i]] = counts.view[i];
    const x = denseX;
    xw.view.set(values(() => tf.matMul(tf.tensor2d(x, [T * B, C]), tf.tensor2d(weights.w1, [C, H]))));
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
  const out = readoutForward(h2.view, shape, lif.alpha, lif.beta);
  const sc = readoutScores(out, shape, config.readout);
  const cls = classLoss(sc.scores, batch.labels, B, K);
  const reg = spikeRegulariser(perNeuron, config.regL1, config.regL2);
  const result: BatchResult = {
    loss: cls.nll + reg.loss,
    nll: cls.nll,
    reg: reg.loss,
    scores: sc.scores,
    predictions: cls.predictions,
    correct: cls.correct,
    hiddenSpikes: total,
  };
  if (records) result.records = { spikes: spk.view.slice(), mem: memRec!.view.slice(), out };
  lap('readout');
  if (!grads) return result;

  // ∂L/∂S_t from readout and regulariser: [∂h2 | 1]·[W2ᵀ ; reg], one dense product for all steps.
  const dh2 = mem.f32(T * B * K, false);
  dh2.view.set(readoutBackward(cls.dScores, sc, shape, lif.alpha, lif.beta));
  const gw2 = mem.f32(H * K);
  k.rowAxpy(gw2.ptr, spikeCols.ptr, dh2.ptr, spikeRows.ptr, 0, total, K);
  const dIn = mem.f32(TN, false);
  const dh2Aug = new Float32Array(T * B * (K + 1));
  for (let r = 0; r < T * B; r++) {
    dh2Aug.set(dh2.view.subarray(r * K, (r + 1) * K), r * (K + 1));
    dh2Aug[r * (K + 1) + K] = 1;
  }
  dIn.view.set(
    values(() => {
      const w2TAug = tf.concat([tf.transpose(tf.tensor2d(weights.w2, [H, K])), tf.tensor2d(reg.dSpike, [1, H])]);
      return tf.matMul(tf.tensor2d(dh2Aug, [T * B, K + 1]), w2TAug);
    }),
  );

  // Back through time.
  const g = mem.f32(TN, false);
  const gMem = mem.f32(n);
  const gSyn = mem.f32(n);
  const v1T = config.recurrent ? tf.tidy(() => tf.transpose(tf.tensor2d(weights.v1, [H, H]))) : null;
  try {
    for (let t = T - 1; t >= 0; t--) {
      let recPtr = 0;
      if (v1T && t + 1 < T) {
        // ∂I_{t+2}·V1ᵀ with ∂I_{t+2} = G_{t+1}, written by the previous iteration.
        const gNext = g.view.subarray((t + 1) * n, (t + 2) * n);
        const x = tf.tensor2d(gNext, [B, H]);
        const prod = tf.matMul(x, v1T);
        rec.view.set(prod.dataSync() as Float32Array);
        x.dispose();
        prod.dispose();
        recPtr = rec.ptr;
      }
      const off = t * n * 4;
      step.lifBackwardStep(n, g.ptr + off, dIn.ptr + off, recPtr, spk.ptr + off, den!.ptr + off, gMem.ptr, gSyn.ptr, lif.alpha, lif.beta);
    }
  } finally {
    v1T?.dispose();
  }
  lap('backward');

  // ∂W1 = Σ_t x_tᵀ·G_t over the non-zero bins; ∂V1 = Σ_t S_{t−1}ᵀ·G_t: a spike at row r pairs with G row r + B.
  const gw1 = mem.f32(C * H);
  if (denseX) {
    const x = denseX;
    gw1.view.set(values(() => tf.matMul(tf.tensor2d(x, [T * B, C]), tf.tensor2d(g.view, [T * B, H]), true, false)));
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
  result.grads = { w1: gw1.view.slice(), v1: gv1.view.slice(), w2: gw2.view.slice() };
  lap('weightGrads');
  return result;
}
