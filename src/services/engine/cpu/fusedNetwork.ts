/**
 * One batch through the layered network on the backends that run on this CPU (wasm, cpu), with every hidden
 * layer as fused per-step kernels instead of tfjs ops. Same equations, update order and float32 rounding as
 * the neuron files (neurons/*.ts, where they are written out), checked against the reference's golden files.
 *
 * Why: on wasm and cpu every tfjs op costs tens of microseconds whatever its size, and a step of a layer is a
 * dozen element-wise ops on only B·H numbers. Here a step is one pass over B·H numbers (the kind's kernel);
 * everything sparse runs on lists: the input projection x·W_in over the non-zero input bins (layer 0) or the
 * spikes of the layer below (after dropout), the recurrent input S_{t−1}·W_rec as a sum of the W_rec rows of
 * the neurons that spiked, S·W_out, and the weight gradients over the same lists. The dense products of the
 * backward pass (G_{t+1}·W_recᵀ per step, G·W_inᵀ down to the layer below, ∂h2·W_outᵀ) are a register-tiled
 * SIMD matmul.
 *
 * All per-batch arrays live in one arena in the kernels' memory, so kernels run on them without copies.
 * Layout is time-major: row t·B + b, and a step's n = B·H numbers are contiguous.
 *
 * The batch runs in two stages, forward (to the class loss and the spikes per neuron of every layer) and
 * backward, because the spike regulariser's gradient depends on the spikes per neuron summed over the WHOLE
 * batch: when a batch is split over worker threads (workerPool.ts), each runs the forward stage on its share,
 * the totals are summed, and each runs the backward stage with the regulariser's gradient of the whole batch.
 * This module imports no tfjs (the worker threads load only the kernels).
 */
import type { TrainConfig } from '../../../shared/config';
import type { BinnedBatch } from '../../data/binning';
import { batchLoss } from '../model/batchLoss';
import { phaseTimer, timeMajorInput, wantDecayGrads, type BatchResult, type BatchRunOptions, type LayerRecords } from '../run/batchTypes';
import { dropoutMask } from '../model/dropout';
import { Arena, createKernelRuntime, type KernelRuntime } from './engineKernels';
import type { KernelFunctions } from './kernelSignatures';
import { spikeRegulariser } from '../model/loss';
import { layerTensors, readoutTensors, type NetworkParams } from '../model/modelState';
import { backwardPointers, forwardPointers, layerKernelPlan, scalarValues, StepCall, stepNames, type LayerKernelPlan } from './fusedStepCalls';
import { readoutBackward } from '../model/readout';
import { neuronDefinition } from '../definitions';

const shared = new Map<boolean, { runtime: KernelRuntime; arena: Arena }>();

/**
 * The kernels and their arena: WebAssembly SIMD unless the pure-JS cpu backend was chosen, where the JS
 * twins run (same numbers, so the choice of backend is honoured without changing results).
 */
function kernelArena(simd: boolean): { runtime: KernelRuntime; arena: Arena } {
  let a = shared.get(simd);
  if (!a) {
    const runtime = createKernelRuntime(simd);
    a = { runtime, arena: new Arena(runtime.memory) };
    shared.set(simd, a);
  }
  return a;
}

export interface FusedContext {
  params: NetworkParams;
  config: TrainConfig;
  batch: BinnedBatch;
  opts: BatchRunOptions;
  /** WebAssembly SIMD kernels (wasm backend) or their JS twins (cpu backend). */
  simd: boolean;
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
  /** Spikes per neuron Σ_{b,t} S of every hidden layer. */
  perNeuron: Float64Array[];
  /** The gradient vector given ∂L/∂S from the regulariser of each layer ([H_l], the same for every b and t). */
  backward?: (dSpike: Float32Array[]) => Float32Array;
}

export function runFusedBatch(ctx: FusedContext): BatchResult {
  const fw = fusedForward(ctx);
  if (!fw.backward) return fw.result;
  const reg = spikeRegulariser(fw.perNeuron, ctx.config.regL1, ctx.config.regL2);
  fw.result.grads = fw.backward(reg.dSpike);
  return fw.result;
}

/** A sparse input to a layer: rows t·B + b, columns, and coefficients (0 = all ones). */
interface SparseList {
  rows: number;
  cols: number;
  coef: number;
  n: number;
}

/** What a layer's forward stage leaves for its backward stage. */
interface LayerRun {
  plan: LayerKernelPlan;
  H: number;
  inputs: number;
  xw: number;
  spk: number;
  /** The kept states' arrays [T, n] by kernel argument name (hist_<state>). */
  hist: Record<string, number>;
  stepStart: Int32Array;
  spikeRows: { ptr: number; view: Int32Array };
  spikeCols: { ptr: number; view: Int32Array };
  total: number;
  input: SparseList;
  /** Dropout coefficients [T, B, H] of what goes up, or null. */
  mask: Float32Array | null;
  /** The parameters' pointers by kernel argument name (p_<param>). */
  pPtr: Record<string, number>;
  wIn: number;
  wRec: number;
}

/** Floats a batch needs in the arena, an upper bound (growing memory later would invalidate the views). */
function arenaFloats(ctx: FusedContext): { floats: number; arrays: number } {
  const { params, batch } = ctx;
  const T = batch.nbSteps;
  const B = batch.size;
  const K = params.shape.classes;
  let floats = 3 * batch.flat.length + 2 * params.flat.length + 4 * T * B * (K + 1) + 2 * (K + 1) * params.shape.layers[params.shape.layers.length - 1].size;
  let arrays = 12;
  for (const l of params.shape.layers) {
    const TN = T * B * l.size;
    const def = neuronDefinition(l.kind);
    const perStep = def.states.length + 2;
    // xw spk list rows cols, up-list rows/cols/coef, dIn g next (11); kept states and the probe's records;
    // rec-sum, states, their adjoints, accumulators; transposes.
    floats += (11 + perStep) * TN + (4 + 2 * def.states.length + def.params.length) * B * l.size + 2 * l.size * l.size + 2 * l.inputs * l.size;
    arrays += 32 + 2 * perStep + def.params.length;
  }
  return { floats, arrays };
}

export function fusedForward(ctx: FusedContext): FusedForward {
  const { params, config, batch, opts } = ctx;
  const lap = phaseTimer(opts.timing);
  const { runtime, arena: mem } = kernelArena(ctx.simd);
  const k = runtime.kernels;
  const T = batch.nbSteps;
  const B = batch.size;
  const K = params.shape.classes;
  const grads = opts.gradients;
  const decayGrads = grads && wantDecayGrads(config, opts);
  const records = opts.records === true;
  const scalars = (def: LayerKernelPlan['def']) => scalarValues(def, config);
  const { floats, arrays } = arenaFloats(ctx);
  mem.reset(floats * 4, arrays);

  // The parameters, once, in the arena; every tensor is a pointer into this copy.
  const flat = mem.f32(params.flat.length, false);
  flat.view.set(params.flat);
  const ptrOf = (view: Float32Array | null) => (view ? flat.ptr + (view.byteOffset - params.flat.byteOffset) : 0);

  // Layer 0's input: the non-zero bins, columns pooled.
  const tm = timeMajorInput(batch, params.shape.pool);
  const nnz = tm.rows.length;
  const inRows = mem.i32(nnz);
  inRows.view.set(tm.rows);
  const inCols = mem.i32(nnz);
  inCols.view.set(tm.cols);
  const inCounts = mem.f32(nnz, false);
  inCounts.view.set(tm.counts);
  let input: SparseList = { rows: inRows.ptr, cols: inCols.ptr, coef: inCounts.ptr, n: nnz };
  lap('input');

  const runs: LayerRun[] = [];
  const perNeuron: Float64Array[] = [];
  const layerRecords: LayerRecords[] = [];
  params.shape.layers.forEach((shape, l) => {
    const plan = layerKernelPlan(shape.kind, { grads, decayGrads, records });
    const { def, schedule } = plan;
    const H = shape.size;
    const n = B * H;
    const TN = T * n;
    const step = runtime.pick(H % 4 === 0);
    const t0 = layerTensors(params, l);
    const pPtr = Object.fromEntries(def.params.map((p) => [`p_${p.name}`, ptrOf(t0.params[p.name])]));
    const wIn = ptrOf(t0.wIn);
    const wRec = ptrOf(t0.wRec);

    // J_t without the recurrence, for every step: the input list times W_in.
    const xw = mem.f32(TN);
    k.rowAxpy(xw.ptr, input.rows, wIn, input.cols, input.coef, input.n, H);
    const state = Object.fromEntries(def.states.map((x) => [`st_${x.name}`, mem.f32(n).ptr]));
    // The states before every step that the backward reads, and the records of the probe.
    const hist = Object.fromEntries(plan.kept.map((x) => [`hist_${x}`, mem.f32(TN, false).ptr]));
    const recs = Object.fromEntries(plan.records.map((r) => [`r_${r}`, mem.f32(TN, false).ptr]));
    const spk = mem.f32(TN, false);
    const rec = mem.f32(n, false);
    // `list` collects the step-local index b·H + h of every spike, step after step.
    const list = mem.i32(TN);
    const stepStart = new Int32Array(T + 1);
    let total = 0;
    const names = stepNames(def);
    const pointers = forwardPointers(schedule);
    const call = new StepCall(names.forward, n, H, pointers, def.scalars.map((x) => scalars(def)[x.name]), { ...state, ...pPtr }, { xw: xw.ptr, spk: spk.ptr, ...hist, ...recs });
    const fn = step.steps[names.forward];
    for (let t = 0; t < T; t++) {
      const prevCount = t > 0 ? stepStart[t] - stepStart[t - 1] : 0;
      call.at(t).set('rec', 0).set('list', list.ptr + total * 4);
      if (wRec && prevCount > 0) {
        rec.view.fill(0);
        k.spikeRowsAdd(rec.ptr, wRec, list.ptr + stepStart[t - 1] * 4, prevCount, H);
        call.set('rec', rec.ptr);
      }
      total += fn(...call.args);
      stepStart[t + 1] = total;
    }
    // The spikes as (row t·B + b, neuron h), in row order, and the count per neuron.
    const spikeRows = mem.i32(TN);
    const spikeCols = mem.i32(TN);
    const counts = new Float64Array(H);
    for (let t = 0; t < T; t++) {
      for (let q = stepStart[t]; q < stepStart[t + 1]; q++) {
        const i = list.view[q];
        const b = Math.floor(i / H);
        const h = i - b * H;
        spikeRows.view[q] = t * B + b;
        spikeCols.view[q] = h;
        counts[h]++;
      }
    }
    perNeuron.push(counts);
    if (records) {
      const memPtr = recs[`r_${def.probe.mem}`];
      const adaptPtr = def.probe.adapt ? recs[`r_${def.probe.adapt}`] : undefined;
      layerRecords.push({
        spikes: spk.view.slice(),
        mem: new Float32Array(mem.memory.buffer, memPtr, TN).slice(),
        ...(adaptPtr ? { adapt: new Float32Array(mem.memory.buffer, adaptPtr, TN).slice() } : {}),
      });
    }

    // What goes up: every spike, or (training with dropout) the kept ones scaled by 1/(1 − p).
    const p_drop = config.layers[l].dropout;
    let mask: Float32Array | null = null;
    let up: SparseList = { rows: spikeRows.ptr, cols: spikeCols.ptr, coef: 0, n: total };
    if (opts.dropout && p_drop > 0) {
      mask = dropoutMask(opts.dropout, l, p_drop, batch.indices, T, H);
      const upRows = mem.i32(total);
      const upCols = mem.i32(total);
      const upCoef = mem.f32(total, false);
      let kept = 0;
      for (let q = 0; q < total; q++) {
        const c = mask[spikeRows.view[q] * H + spikeCols.view[q]];
        if (c === 0) continue;
        upRows.view[kept] = spikeRows.view[q];
        upCols.view[kept] = spikeCols.view[q];
        upCoef.view[kept] = c;
        kept++;
      }
      up = { rows: upRows.ptr, cols: upCols.ptr, coef: upCoef.ptr, n: kept };
    }
    runs.push({ plan, H, inputs: shape.inputs, xw: xw.ptr, spk: spk.ptr, hist, stepStart, spikeRows, spikeCols, total, input, mask, pPtr, wIn, wRec });
    input = up;
  });
  lap('forward');

  // Readout, scores, loss.
  const ro = readoutTensors(params);
  const last = runs[runs.length - 1];
  const h2 = mem.f32(T * B * K);
  k.rowAxpy(h2.ptr, input.rows, ptrOf(ro.w), input.cols, input.coef, input.n, K);
  const shape = { steps: T, batch: B, classes: K };
  const { result, readout, cls } = batchLoss(h2.view, shape, ro, config, batch.labels, perNeuron, ctx.lossDivisor ?? B);
  if (records) result.records = { layers: layerRecords, out: readout.out };
  lap('readout');
  if (!grads) return { result, perNeuron };
  const readoutInput = input;

  const backward = (dSpike: Float32Array[]): Float32Array => {
    const gradFlat = new Float32Array(params.flat.length);
    const gro = readoutTensors(params, gradFlat);
    const rg = readoutBackward(cls.dOut, readout, shape, ro.alpha, ro.beta);
    gro.alpha.set(rg.dAlpha);
    gro.beta.set(rg.dBeta);
    const dh2 = mem.f32(T * B * K, false);
    dh2.view.set(rg.dh2);
    const gwOut = mem.f32(last.H * K);
    k.rowAxpy(gwOut.ptr, readoutInput.cols, dh2.ptr, readoutInput.rows, readoutInput.coef, readoutInput.n, K);
    gro.w.set(gwOut.view);

    // D for the last layer: ∂h2·W_outᵀ (times its dropout mask) + the regulariser; without a mask as one
    // product [∂h2 | 1]·[W_outᵀ ; reg].
    let dIn = mem.f32(T * B * last.H, false);
    {
      const H = last.H;
      const mm = runtime.pick((T * B) % 4 === 0 && H % 8 === 0);
      const aug = mem.f32(T * B * (K + 1), false);
      for (let r = 0; r < T * B; r++) {
        aug.view.set(rg.dh2.subarray(r * K, (r + 1) * K), r * (K + 1));
        aug.view[r * (K + 1) + K] = last.mask ? 0 : 1;
      }
      const wT = mem.f32((K + 1) * H, false);
      for (let h = 0; h < H; h++) for (let c = 0; c < K; c++) wT.view[c * H + h] = ro.w[h * K + c];
      wT.view.set(dSpike[runs.length - 1], K * H);
      mm.matmul(dIn.ptr, aug.ptr, wT.ptr, T * B, K + 1, H);
      if (last.mask) maskAndAdd(dIn.view, last.mask, dSpike[runs.length - 1], H);
    }

    for (let l = runs.length - 1; l >= 0; l--) {
      const run = runs[l];
      const { plan, H } = run;
      const { def, schedule } = plan;
      const n = B * H;
      const TN = T * n;
      const step = runtime.pick(H % 4 === 0);
      const mmRec = runtime.pick(B % 4 === 0 && H % 8 === 0);
      const gl = layerTensors(params, l, gradFlat);
      const g = mem.f32(TN, false);
      const gState = Object.fromEntries(def.states.map((x) => [`ga_${x.name}`, mem.f32(n).ptr]));
      const acc = Object.fromEntries(plan.grads.map((p) => [`acc_${p}`, mem.f32(n).ptr]));
      const rec = mem.f32(n, false);
      let wRecT = 0;
      if (run.wRec) {
        const tr = mem.f32(H * H, false);
        const w = layerTensors(params, l).wRec!;
        for (let j = 0; j < H; j++) for (let h = 0; h < H; h++) tr.view[h * H + j] = w[j * H + h];
        wRecT = tr.ptr;
      }
      const names = stepNames(def);
      const call = new StepCall(names.backward, n, H, backwardPointers(schedule), def.scalars.map((x) => scalars(def)[x.name]), { ...gState, ...acc, ...run.pPtr }, { xw: run.xw, g: g.ptr, dIn: dIn.ptr, ...run.hist });
      const fn = step.steps[names.backward];
      for (let t = T - 1; t >= 0; t--) {
        call.at(t).set('rec', 0);
        if (wRecT && t + 1 < T) {
          // G_{t+1}·W_recᵀ, with G_{t+1} written by the previous iteration.
          mmRec.matmul(rec.ptr, g.ptr + (t + 1) * n * 4, wRecT, B, H, H);
          call.set('rec', rec.ptr);
        }
        fn(...call.args);
      }
      // Per-neuron parameters: the per-element sums added over the batch.
      for (const p of plan.grads) {
        const v = new Float32Array(mem.memory.buffer, acc[`acc_${p}`], n);
        const into = gl.params[p];
        for (let h = 0; h < H; h++) {
          let x = 0;
          for (let b = 0; b < B; b++) x += v[b * H + h];
          into[h] = x;
        }
      }
      lap('backward');

      // ∂W_in = Σ_t x_tᵀ·G_t over the input list; ∂W_rec = Σ_t S_{t−1}ᵀ·G_t: a spike at row r pairs with G row r + B.
      const gwIn = mem.f32(run.inputs * H);
      k.rowAxpy(gwIn.ptr, run.input.cols, g.ptr, run.input.rows, run.input.coef, run.input.n, H);
      gl.wIn.set(gwIn.view);
      if (run.wRec) {
        const gwRec = mem.f32(H * H);
        const paired = run.stepStart[T - 1];
        const next = mem.i32(Math.max(1, paired));
        for (let q = 0; q < paired; q++) next.view[q] = run.spikeRows.view[q] + B;
        k.rowAxpy(gwRec.ptr, run.spikeCols.ptr, g.ptr, next.ptr, 0, paired, H);
        gl.wRec!.set(gwRec.view);
      }
      if (l > 0) {
        // D of the layer below: G·W_inᵀ, times its dropout mask, plus its regulariser.
        const below = runs[l - 1];
        const wInT = mem.f32(H * below.H, false);
        const w = layerTensors(params, l).wIn;
        for (let j = 0; j < below.H; j++) for (let h = 0; h < H; h++) wInT.view[h * below.H + j] = w[j * H + h];
        const mm = runtime.pick((T * B) % 4 === 0 && below.H % 8 === 0);
        const dBelow = mem.f32(T * B * below.H, false);
        mm.matmul(dBelow.ptr, g.ptr, wInT.ptr, T * B, H, below.H);
        maskAndAdd(dBelow.view, below.mask, dSpike[l - 1], below.H);
        dIn = dBelow;
      }
      lap('weightGrads');
    }
    return gradFlat;
  };
  return { result, perNeuron, backward };
}

/** d[i] = d[i]·mask[i] (when there is a mask) + reg[i mod H]. */
function maskAndAdd(d: Float32Array, mask: Float32Array | null, reg: Float32Array, H: number): void {
  for (let i = 0; i < d.length; i += H) {
    for (let h = 0; h < H; h++) d[i + h] = (mask ? Math.fround(d[i + h] * mask[i + h]) : d[i + h]) + reg[h];
  }
}

export type { KernelFunctions };
