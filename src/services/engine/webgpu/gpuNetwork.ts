/**
 * One batch through the layered network on a WebGPU device: the same equations, update order and lists as the
 * fused loop (fusedNetwork.ts), with the parameters, states, records and gradients resident on the GPU and the
 * whole batch — forward, loss and backward — recorded into ONE submission:
 *
 *   upload      the parameter vector, the input's non-zero bins as lists (by row, and by column for ∂W_in), the
 *               labels and sample indices
 *   forward     per layer: input projection (layer 0: the list; above: (S⊙mask)·W_in), the time loop as one
 *               dispatch (layerShaders.ts), the dropout mask hashed on the GPU, feed-forward delays spreading
 *               what goes up (delayShaders.ts); h2 = (S⊙mask)·W_out; the readout and the class loss with ∂nll/∂O
 *               (readoutShaders.ts)
 *   backward    the regulariser's ∂/∂S from the spike counts, the readout backward, ∂W_out,
 *               D = ∂h2·W_outᵀ⊙mask + reg, then per layer from the top: the time loop backward as one dispatch,
 *               per-neuron sums over the batch (the recurrent delays' among them), ∂W_in, ∂W_rec, and D for the
 *               layer below (through its feed-forward delays, whose gradient is summed on the way)
 *   read back   once: the per-sample losses, scores and predictions, the spike counts, the gradient vector
 *               (plus the records when asked for)
 *
 * The regulariser's value (a float64 sum of squares of counts) is computed here from the counts. Arrays are
 * time-major, row t·B + b, as everywhere in the engine.
 */
import type { TrainConfig } from '../../../shared/config';
import type { BinnedBatch } from '../../data/binning';
import { checkBatch, timeMajorInput, wantDecayGrads, type BatchResult, type BatchRunOptions, type LayerRecords } from '../run/batchTypes';
import { dropoutHash } from '../model/dropout';
import { entry, hasParam, type NetworkParams } from '../model/modelState';
import { layerKernelPlan, scalarValues } from '../codegen/layerKernelPlan';
import type { NeuronDefinition } from '../definitions/neuronDefinition';
import { checkLabel, spikeRegulariser } from '../model/loss';
import { matmul, type MatmulSpec } from './denseShaders';
import type { GpuContext } from './gpuAdapter';
import { encode, type Dispatch, GpuResources } from './gpuResources';
import { layerBackward, layerForward, type LayerDims } from './layerShaders';
import { classLoss, readoutBackward as readoutBackwardKernel, readoutForward, spikeRegGrad } from './readoutShaders';
import { batchSum, dropoutMask, listGather } from './sparseShaders';
import { delayKernels, ffBackward, ffSpread, type TapsAt } from './delayShaders';

/** The input list by row (for x·W_in) and, for training, by column (for ∂W_in), each in the list's own order. */
export interface InputLists {
  rowPtr: Uint32Array;
  col: Uint32Array;
  val: Float32Array;
  colPtr?: Uint32Array;
  row?: Uint32Array;
  colVal?: Float32Array;
}

/** Stable counting sorts of the time-major input list (batchTypes.timeMajorInput) into CSR and CSC form. */
export function inputLists(batch: BinnedBatch, pool: number, inputs: number, byColumn: boolean): InputLists {
  const tm = timeMajorInput(batch, pool);
  const rowsN = batch.nbSteps * batch.size;
  const n = tm.rows.length;
  const sortBy = (keys: Int32Array, buckets: number) => {
    const ptr = new Uint32Array(buckets + 1);
    for (let e = 0; e < n; e++) ptr[keys[e] + 1]++;
    for (let q = 0; q < buckets; q++) ptr[q + 1] += ptr[q];
    const next = ptr.slice(0, buckets);
    const order = new Uint32Array(n);
    for (let e = 0; e < n; e++) order[next[keys[e]]++] = e;
    return { ptr, order };
  };
  const byRow = sortBy(tm.rows, rowsN);
  const out: InputLists = {
    rowPtr: byRow.ptr,
    col: Uint32Array.from(byRow.order, (e) => tm.cols[e]),
    val: Float32Array.from(byRow.order, (e) => tm.counts[e]),
  };
  if (byColumn) {
    const byCol = sortBy(tm.cols, inputs);
    out.colPtr = byCol.ptr;
    out.row = Uint32Array.from(byCol.order, (e) => tm.rows[e]);
    out.colVal = Float32Array.from(byCol.order, (e) => tm.counts[e]);
  }
  return out;
}

interface LayerPlan {
  def: NeuronDefinition;
  H: number;
  inputs: number;
  /** The record buffer's slots (kept states, the probe's records). */
  slots: string[];
  dims: LayerDims;
  memSlot: number;
  adaptSlot: number;
  /** Dropout on what goes up (training with p > 0). */
  dropout: boolean;
  /** The feed-forward delays' kernel in p, or null: what goes up is then S⊙mask itself. */
  ffTaps: TapsAt | null;
  offsets: { wIn: number; wRec: number; params: Record<string, number>; recDelay: number; ffDelay: number };
}

const name = (what: string, l: number) => `${what}${l}`;

export class GpuNetwork {
  readonly res: GpuResources;
  /**
   * When set, every dispatch is submitted on its own and waited for, and its wall milliseconds are added here by
   * kernel label (the benchmark's --profile; it serialises the GPU, so totals are slower than a normal run).
   */
  profile: Map<string, number> | null = null;
  /** Read-backs so far (one per batch; the tests count them). */
  readBacks = 0;

  constructor(readonly ctx: GpuContext) {
    this.res = new GpuResources(ctx.device);
  }

  destroy(): void {
    this.res.destroy();
  }

  private failIfLost(): void {
    if (this.ctx.lost) throw new Error(`webgpu: ${this.ctx.lost}`);
  }

  /** Submits, waits and copies the staged ranges out; validation and out-of-memory errors reject here. */
  private async submit(dispatches: Dispatch[], reads: { buffer: GPUBuffer; bytes: number }[], clears: GPUBuffer[] = []): Promise<ArrayBuffer[]> {
    this.failIfLost();
    const d = this.ctx.device;
    if (this.profile) await this.runProfiled(dispatches, clears);
    d.pushErrorScope('out-of-memory');
    d.pushErrorScope('validation');
    const { commands, staging, offsets } = await encode(this.res, dispatches, reads, clears);
    d.queue.submit([commands]);
    const validation = await d.popErrorScope();
    const memory = await d.popErrorScope();
    if (validation) throw new Error(`webgpu: ${validation.message.split('\n')[0]}`);
    if (memory) throw new Error(`webgpu: out of GPU memory (${memory.message.split('\n')[0]}); use a smaller batch`);
    if (!staging) return [];
    this.readBacks++;
    await staging.mapAsync(GPUMapMode.READ);
    this.failIfLost();
    try {
      return reads.map((r, n) => staging.getMappedRange(offsets[n], Math.ceil(r.bytes / 16) * 16).slice(0, r.bytes));
    } finally {
      staging.unmap();
    }
  }

  private async runProfiled(dispatches: Dispatch[], clears: GPUBuffer[]): Promise<void> {
    const d = this.ctx.device;
    for (const x of dispatches) {
      const { commands } = await encode(this.res, [x], [], clears);
      const start = performance.now();
      d.queue.submit([commands]);
      await d.queue.onSubmittedWorkDone();
      const label = x.kernel.label.replace(/\d+/g, 'N');
      this.profile!.set(label, (this.profile!.get(label) ?? 0) + performance.now() - start);
    }
  }

  private plan(params: NetworkParams, config: TrainConfig, B: number, opts: BatchRunOptions, decayGrads: boolean, delays: { rec: (TapsAt | null)[]; ff: (TapsAt | null)[] }): LayerPlan[] {
    const T = config.nbSteps;
    const maxThreads = Math.min(256, this.ctx.limits.maxComputeInvocationsPerWorkgroup, this.ctx.limits.maxComputeWorkgroupSizeX);
    const storage = this.ctx.limits.maxComputeWorkgroupStorageSize;
    return params.shape.layers.map((shape, l) => {
      const kp = layerKernelPlan(shape, { grads: opts.gradients, decayGrads, records: opts.records === true });
      const def = kp.def;
      const H = shape.size;
      if (H * 4 > storage) throw new Error(`webgpu: a layer of ${H} neurons needs ${H * 4} bytes of workgroup memory, this GPU has ${storage}`);
      const slots = [...kp.kept.map((x) => `hist_${x}`), ...kp.records.map((r) => `r_${r}`)];
      const off = (leaf: string) => (hasParam(params, `layer${l}/${leaf}`) ? entry(params, `layer${l}/${leaf}`).offset : 0);
      const offsets = { wIn: off('w_in'), wRec: off('w_rec'), params: Object.fromEntries(def.params.map((p) => [p.name, off(p.name)])), recDelay: off('rec_delay'), ffDelay: off('ff_delay') };
      const dims: LayerDims = {
        T, B, H, recurrent: shape.recurrent, params: offsets.params, scalars: scalarValues(def, config), wRec: offsets.wRec, slots, grads: kp.grads, maxThreads, recDelay: delays.rec[l],
      };
      return {
        def, H, inputs: shape.inputs, slots, dims,
        memSlot: slots.indexOf(`r_${def.probe.mem}`),
        adaptSlot: def.probe.adapt ? slots.indexOf(`r_${def.probe.adapt}`) : -1,
        dropout: opts.dropout !== undefined && config.layers[l].dropout > 0,
        ffTaps: delays.ff[l],
        offsets,
      };
    });
  }

  /** What layer l sends up, as a product's A operand: its feed-forward delays' spread, or S with its dropout mask. */
  private sent(lp: LayerPlan, l: number, TB: number): { a: GPUBuffer; aMask: GPUBuffer | undefined; masked: boolean } {
    const bytes = TB * lp.H * 4;
    if (lp.ffTaps) return { a: this.res.buffer(name('up', l), bytes), aMask: undefined, masked: false };
    return { a: this.res.buffer(name('spk', l), bytes), aMask: lp.dropout ? this.res.buffer(name('mask', l), bytes) : undefined, masked: lp.dropout };
  }

  /**
   * D of layer l from G·Wᵀ of what it feeds (`product`: the matmul's spec but its output): straight into dIn
   * (⊙mask + reg in the product's epilogue), or with feed-forward delays into ∂X, then back over the taps into
   * dIn, the delays' per-sample gradient sums added over the batch into their place in the gradients.
   */
  private gradientDown(a: {
    lp: LayerPlan; l: number; T: number; B: number; regOff: number; regBuf: GPUBuffer; pBuf: GPUBuffer; gradBuf: GPUBuffer; maxGroups: number;
    product: Omit<MatmulSpec, 'cOff' | 'cMask' | 'vec' | 'vecOff' | 'maxGroups'>; g: GPUBuffer; w: GPUBuffer;
  }): Dispatch[] {
    const { lp, l, T, B, regOff, regBuf, maxGroups } = a;
    const TN = T * B * lp.H * 4;
    const dIn = this.res.buffer(name('dIn', l), TN);
    const mask = lp.dropout ? this.res.buffer(name('mask', l), TN) : undefined;
    if (!lp.ffTaps) {
      return [{ kernel: matmul({ ...a.product, cOff: 0, cMask: lp.dropout, vec: true, vecOff: regOff, maxGroups }), buffers: { a: a.g, b: a.w, c: dIn, cMask: mask, vec: regBuf } }];
    }
    const dX = this.res.buffer(name('dX', l), TN);
    const part = this.res.buffer(name('ffPart', l), B * lp.H * 4);
    const dims = { T, B, H: lp.H, taps: lp.ffTaps, mask: lp.dropout, maxGroups };
    return [
      { kernel: matmul({ ...a.product, cOff: 0, cMask: false, vec: false, maxGroups }), buffers: { a: a.g, b: a.w, c: dX } },
      {
        kernel: ffBackward({ ...dims, regOff, label: `layer ${l} feed-forward delays backward` }),
        buffers: { p: a.pBuf, dX, spk: this.res.buffer(name('spk', l), TN), mask, reg: regBuf, dIn, part },
      },
      { kernel: batchSum({ B, H: lp.H, srcOff: 0, outOff: lp.offsets.ffDelay, maxGroups, label: `layer ${l} feed-forward delay gradient` }), buffers: { src: part, grads: a.gradBuf } },
    ];
  }

  /** The backward pass's dispatches, from the class loss's ∂nll/∂O down to every parameter's gradient. */
  private backward(a: {
    params: NetworkParams; config: TrainConfig; layers: LayerPlan[]; lists: InputLists; B: number; T: number; K: number; wOut: number;
    ro: { alpha: number; beta: number }; pBuf: GPUBuffer; gradBuf: GPUBuffer; out: GPUBuffer; flt: GPUBuffer; dOut: GPUBuffer; decayGrads: boolean; maxGroups: number;
  }): Dispatch[] {
    const { params, config, layers, lists, B, T, K, wOut, ro, pBuf, gradBuf, decayGrads, maxGroups } = a;
    const res = this.res;
    const f32 = 4;
    const L = layers.length;
    const last = layers[L - 1];
    const TB = T * B;
    const buf = (what: string, l: number, floats: number) => res.buffer(name(what, l), floats * f32);
    const backward: Dispatch[] = [];
    // The regulariser's ∂/∂S per layer, from the whole batch's spike counts.
    const regOff: number[] = [];
    let o = 0;
    for (const lp of layers) {
      regOff.push(o);
      o += lp.H;
    }
    const regBuf = res.buffer('reg', o * f32);
    layers.forEach((lp, l) => {
      backward.push({ kernel: spikeRegGrad({ B, H: lp.H, regL1: config.regL1, regL2: config.regL2, regOff: regOff[l], maxGroups, label: `layer ${l} regulariser gradient` }), buffers: { counts: buf('counts', l, B * lp.H), reg: regBuf } });
    });
    const dh2 = res.buffer('dh2', TB * K * f32);
    const readoutAcc = res.buffer('readoutAcc', 2 * B * K * f32);
    backward.push({ kernel: readoutBackwardKernel({ T, B, K, alpha: ro.alpha, beta: ro.beta, maxGroups }), buffers: { p: pBuf, out: a.out, flt: a.flt, dOut: a.dOut, dh2, acc: readoutAcc } });
    backward.push({ kernel: batchSum({ B, H: K, srcOff: 0, outOff: ro.alpha, maxGroups, label: 'readout decay gradient' }), buffers: { src: readoutAcc, grads: gradBuf } });
    backward.push({ kernel: batchSum({ B, H: K, srcOff: B * K, outOff: ro.beta, maxGroups, label: 'readout decay gradient' }), buffers: { src: readoutAcc, grads: gradBuf } });
    const lastSent = this.sent(last, L - 1, TB);
    backward.push({
      kernel: matmul({ label: 'readout weight gradient', M: last.H, N: K, KD: TB, transA: true, transB: false, lda: last.H, ldb: K, aOff: 0, bOff: 0, cOff: wOut, aMask: lastSent.masked, cMask: false, vec: false, maxGroups }),
      buffers: { a: lastSent.a, b: dh2, c: gradBuf, aMask: lastSent.aMask },
    });
    backward.push(...this.gradientDown({
      lp: last, l: L - 1, T, B, regOff: regOff[L - 1], regBuf, pBuf, gradBuf, maxGroups, g: dh2, w: pBuf,
      product: { label: 'readout gradient down', M: TB, N: last.H, KD: K, transA: false, transB: true, lda: K, ldb: K, aOff: 0, bOff: wOut, aMask: false },
    }));
    for (let l = L - 1; l >= 0; l--) {
      const lp = layers[l];
      const H = lp.H;
      const TN = TB * H;
      const g = buf('g', l, TN);
      // The per-sample sums: the kind's wanted parameters, then the recurrent delays'.
      const delayed = lp.dims.recDelay !== null;
      const acc = buf('acc', l, Math.max(1, lp.dims.grads.length + (delayed ? 1 : 0)) * B * H);
      backward.push({
        kernel: layerBackward(lp.def, lp.dims, `layer ${l} backward`),
        buffers: {
          p: pBuf, xw: buf('xw', l, TN), spk: buf('spk', l, TN), rec: lp.slots.length ? buf('rec', l, lp.slots.length * TN) : undefined, dIn: buf('dIn', l, TN), g, acc,
          pRec: delayed ? buf('pRec', l, TN) : undefined,
        },
      });
      const sums = lp.dims.grads.map((p, q): [number, number] => [q, lp.offsets.params[p]]);
      if (delayed) sums.push([lp.dims.grads.length, lp.offsets.recDelay]);
      for (const [q, outOff] of sums) {
        backward.push({ kernel: batchSum({ B, H, srcOff: q * B * H, outOff, maxGroups, label: `layer ${l} parameter gradient` }), buffers: { src: acc, grads: gradBuf } });
      }
      if (l === 0) {
        const colPtr = res.upload('colPtr', lists.colPtr!);
        const row = res.upload('row', lists.row!);
        const colVal = res.upload('colVal', lists.colVal!);
        backward.push({
          kernel: listGather({ label: 'input weight gradient', lines: lp.inputs, H, srcOff: 0, outOff: lp.offsets.wIn, maxGroups }),
          buffers: { ptr: colPtr, idx: row, val: colVal, src: g, out: gradBuf },
        });
      } else {
        const below = layers[l - 1];
        const belowSent = this.sent(below, l - 1, TB);
        backward.push({
          kernel: matmul({ label: `layer ${l} input weight gradient`, M: below.H, N: H, KD: TB, transA: true, transB: false, lda: below.H, ldb: H, aOff: 0, bOff: 0, cOff: lp.offsets.wIn, aMask: belowSent.masked, cMask: false, vec: false, maxGroups }),
          buffers: { a: belowSent.a, b: g, c: gradBuf, aMask: belowSent.aMask },
        });
        backward.push(...this.gradientDown({
          lp: below, l: l - 1, T, B, regOff: regOff[l - 1], regBuf, pBuf, gradBuf, maxGroups, g, w: pBuf,
          product: { label: `layer ${l} gradient down`, M: TB, N: below.H, KD: H, transA: false, transB: true, lda: H, ldb: H, aOff: 0, bOff: lp.offsets.wIn, aMask: false },
        }));
      }
      if (delayed) {
        // ∂W_rec = Σ_t X_tᵀ·G_t with X the delayed spikes the forward kept (X_0 = 0).
        backward.push({
          kernel: matmul({ label: `layer ${l} recurrent weight gradient`, M: H, N: H, KD: TB, transA: true, transB: false, lda: H, ldb: H, aOff: 0, bOff: 0, cOff: lp.offsets.wRec, aMask: false, cMask: false, vec: false, maxGroups }),
          buffers: { a: buf('xrec', l, TN), b: g, c: gradBuf },
        });
      } else if (params.shape.layers[l].recurrent && T > 1) {
        // ∂W_rec = Σ_t S_{t−1}ᵀ·G_t: spike rows 0 … (T−1)·B − 1 against G rows B … T·B − 1.
        backward.push({
          kernel: matmul({ label: `layer ${l} recurrent weight gradient`, M: H, N: H, KD: (T - 1) * B, transA: true, transB: false, lda: H, ldb: H, aOff: 0, bOff: B * H, cOff: lp.offsets.wRec, aMask: false, cMask: false, vec: false, maxGroups }),
          buffers: { a: buf('spk', l, TN), b: g, c: gradBuf },
        });
      }
    }
    return backward;
  }

  async run(params: NetworkParams, config: TrainConfig, batch: BinnedBatch, opts: BatchRunOptions): Promise<BatchResult> {
    checkBatch(params, config, batch);
    const res = this.res;
    const maxGroups = this.ctx.limits.maxComputeWorkgroupsPerDimension;
    const T = batch.nbSteps;
    const B = batch.size;
    const TB = T * B;
    const K = params.shape.classes;
    const grads = opts.gradients;
    const decayGrads = grads && wantDecayGrads(config, opts);
    // Evaluation (no gradients, no dropout) runs the delays rounded to whole steps, as the fused loop does.
    const delays = delayKernels(params, opts.delaySigma ?? 0, !grads && !opts.dropout);
    const layers = this.plan(params, config, B, opts, decayGrads, delays);
    const L = layers.length;
    const last = layers[L - 1];
    const f32 = 4;

    // The parameters, then the delays' kernels (delayShaders.ts).
    const pBuf = res.upload('params', delays.p);
    const lists = inputLists(batch, params.shape.pool, layers[0].inputs, grads);
    const rowPtr = res.upload('rowPtr', lists.rowPtr);
    const col = res.upload('col', lists.col);
    const val = res.upload('val', lists.val);
    const samples = res.upload('samples', Uint32Array.from(batch.indices));

    const buf = (what: string, l: number, floats: number) => res.buffer(name(what, l), floats * f32);
    const forward: Dispatch[] = [];
    layers.forEach((lp, l) => {
      const TN = TB * lp.H;
      const xw = buf('xw', l, TN);
      const spk = buf('spk', l, TN);
      const rec = lp.slots.length ? buf('rec', l, lp.slots.length * TN) : undefined;
      const counts = buf('counts', l, B * lp.H);
      if (l === 0) {
        forward.push({
          kernel: listGather({ label: 'input projection', lines: TB, H: lp.H, srcOff: lp.offsets.wIn, outOff: 0, maxGroups }),
          buffers: { ptr: rowPtr, idx: col, val, src: pBuf, out: xw },
        });
      } else {
        const below = layers[l - 1];
        const sent = this.sent(below, l - 1, TB);
        forward.push({
          kernel: matmul({ label: `layer ${l} input`, M: TB, N: lp.H, KD: below.H, transA: false, transB: false, lda: below.H, ldb: lp.H, aOff: 0, bOff: lp.offsets.wIn, cOff: 0, aMask: sent.masked, cMask: false, vec: false, maxGroups }),
          buffers: { a: sent.a, b: pBuf, c: xw, aMask: sent.aMask },
        });
      }
      const xrec = lp.dims.recDelay ? buf('xrec', l, TN) : undefined;
      forward.push({ kernel: layerForward(lp.def, lp.dims, `layer ${l} forward`), buffers: { xw, p: pBuf, spk, rec, counts, xrec } });
      const mask = lp.dropout ? buf('mask', l, TN) : undefined;
      if (lp.dropout) {
        const { base, cut, scale } = dropoutHash(opts.dropout!, l, config.layers[l].dropout);
        forward.push({ kernel: dropoutMask({ T, B, H: lp.H, base, cut, scale, maxGroups }), buffers: { samples, mask } });
      }
      if (lp.ffTaps) {
        forward.push({
          kernel: ffSpread({ T, B, H: lp.H, taps: lp.ffTaps, mask: lp.dropout, maxGroups, label: `layer ${l} feed-forward delays` }),
          buffers: { p: pBuf, spk, mask, up: buf('up', l, TN) },
        });
      }
    });
    const wOut = entry(params, 'readout/w').offset;
    const ro = { alpha: entry(params, 'readout/alpha').offset, beta: entry(params, 'readout/beta').offset };
    for (let b = 0; b < B; b++) checkLabel(batch.labels[b], b, K);
    const labels = res.upload('labels', Uint32Array.from(batch.labels));
    const h2 = res.buffer('h2', TB * K * f32);
    const out = res.buffer('out', (T + 1) * B * K * f32);
    const flt = res.buffer('flt', (T + 1) * B * K * f32);
    const lossBuf = res.buffer('loss', B * (K + 2) * f32);
    const dOut = grads ? res.buffer('dOut', (T + 1) * B * K * f32) : undefined;
    const readoutDims = { T, B, K, alpha: ro.alpha, beta: ro.beta, maxGroups };
    const lastSent = this.sent(last, L - 1, TB);
    forward.push(
      {
        kernel: matmul({ label: 'readout input', M: TB, N: K, KD: last.H, transA: false, transB: false, lda: last.H, ldb: K, aOff: 0, bOff: wOut, cOff: 0, aMask: lastSent.masked, cMask: false, vec: false, maxGroups }),
        buffers: { a: lastSent.a, b: pBuf, c: h2, aMask: lastSent.aMask },
      },
      { kernel: readoutForward(readoutDims), buffers: { p: pBuf, h2, out, flt } },
      { kernel: classLoss({ T, B, K, readout: config.readout, skip: config.readoutSkip, divisor: B, gradients: grads, maxGroups }), buffers: { out, labels, loss: lossBuf, dOut } },
    );
    const reads = [{ buffer: lossBuf, bytes: B * (K + 2) * f32 }, ...layers.map((lp, l) => ({ buffer: buf('counts', l, B * lp.H), bytes: B * lp.H * f32 }))];
    if (opts.records) {
      reads.push({ buffer: out, bytes: (T + 1) * B * K * f32 });
      layers.forEach((lp, l) => {
        reads.push({ buffer: buf('spk', l, TB * lp.H), bytes: TB * lp.H * f32 });
        if (lp.slots.length) reads.push({ buffer: buf('rec', l, lp.slots.length * TB * lp.H), bytes: lp.slots.length * TB * lp.H * f32 });
      });
    }

    const gradBuf = grads ? res.buffer('grads', params.flat.length * f32) : undefined;
    const backward: Dispatch[] = [];
    if (gradBuf) {
      reads.push({ buffer: gradBuf, bytes: params.flat.length * f32 });
      backward.push(...this.backward({ params, config, layers, lists, B, T, K, wOut, ro, pBuf, gradBuf, out, flt, dOut: dOut!, decayGrads, maxGroups }));
    }
    const got = await this.submit([...forward, ...backward], reads, gradBuf ? [gradBuf] : []);

    // The per-sample losses, scores and predictions; the spike counts for the regulariser's value.
    const lossHost = new Float32Array(got[0]);
    const scores = new Float32Array(B * K);
    const predictions = new Int32Array(B);
    let nllSum = 0;
    let correct = 0;
    for (let b = 0; b < B; b++) {
      const row = b * (K + 2);
      scores.set(lossHost.subarray(row, row + K), b * K);
      nllSum += lossHost[row + K];
      predictions[b] = lossHost[row + K + 1];
      if (predictions[b] === batch.labels[b]) correct++;
    }
    const perNeuron = layers.map((lp, l) => {
      const c = new Float32Array(got[1 + l]);
      const sum = new Float64Array(lp.H);
      for (let b = 0; b < B; b++) for (let h = 0; h < lp.H; h++) sum[h] += c[b * lp.H + h];
      return sum;
    });
    const reg = spikeRegulariser(perNeuron, config.regL1, config.regL2);
    const nll = nllSum / B;
    const result: BatchResult = {
      loss: nll + reg.loss,
      nll,
      reg: reg.loss,
      scores,
      predictions,
      correct,
      spikesPerLayer: perNeuron.map((c) => c.reduce((a, b) => a + b, 0)),
    };
    let at = 1 + L;
    if (opts.records) {
      const readoutOut = new Float32Array(got[at++]);
      const recs: LayerRecords[] = layers.map((lp) => {
        const TN = TB * lp.H;
        const spikes = new Float32Array(got[at++]);
        const rec = lp.slots.length ? new Float32Array(got[at++]) : new Float32Array(0);
        const slot = (s: number) => rec.slice(s * TN, (s + 1) * TN);
        return { spikes, mem: lp.memSlot >= 0 ? slot(lp.memSlot) : new Float32Array(TN), ...(lp.adaptSlot >= 0 ? { adapt: slot(lp.adaptSlot) } : {}) };
      });
      result.records = { layers: recs, out: readoutOut };
    }
    if (grads) result.grads = new Float32Array(got[at]);
    return result;
  }
}
