/**
 * A batch split over worker threads (node:worker_threads; they run in plain Node and in Electron's
 * utilityProcess), each with its own instance of the engine's kernels (fusedNetwork.ts, no tfjs), so that the
 * fused loop uses more than one core.
 *
 * One step: the parameters go into a SharedArrayBuffer every worker reads; each worker runs the forward stage on a
 * contiguous share of the batch and sends its class loss and spikes per neuron; the spikes per neuron are
 * summed (the spike regulariser's gradient depends on the whole batch's totals: the one sync point) and sent
 * back; each worker runs the backward stage and writes its gradients into its own shared slot; the slots are
 * added in worker order. Datasets are binned into SharedArrayBuffers and handed over once per run.
 *
 * Results: the spike counts, hence the regulariser, are exact integers and equal to one thread's; the loss
 * and gradients are sums of the shares' and agree with the single-thread run to float rounding (not bit for
 * bit), and are deterministic for a given number of workers.
 *
 * Workers are unref'd while idle, so a pool that is never closed does not keep the process alive; the trainer
 * closes it (terminates the threads) at the end of a run, on cancel and on error.
 */
import type { BatchRunner } from './batchRunner';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { findWorkerEntry, startWorkerThread } from '../../workerThread';
import type { TrainConfig } from '../../../shared/config';
import type { BinnedBatch } from '../../data/binning';
import type { BinnedDataset } from './binnedDataset';
import type { DropoutKey } from '../model/dropout';
import { spikeRegulariser } from '../model/loss';
import { describeShape, flatLength, paramLayout, sameShape, type NetworkParams, type NetworkShape } from '../model/modelState';
import { defaultLoop, type BatchResult, type LoopKind } from './network';

/** Views on the shared memory: the parameters (written here, read by all) and one worker's gradients. */
export interface SharedSlots {
  params: Float32Array;
  grads: Float32Array;
}

/** What a pooled batch computes (BatchRunOptions without records and timing). */
export interface PoolRunOptions {
  gradients: boolean;
  allGradients?: boolean;
  dropout?: DropoutKey;
  /** Training: the delays' kernel spread this epoch. */
  delaySigma?: number;
}

export type PoolRequest =
  | { type: 'init'; slots: SharedSlots; shape: NetworkShape; simd: boolean }
  | { type: 'dataset'; id: number; ds: BinnedDataset }
  | ({ type: 'forward'; id: number; indices: Int32Array; config: TrainConfig; lossDivisor: number } & PoolRunOptions)
  | ({ type: 'forwardBatch'; batch: BinnedBatch; config: TrainConfig; lossDivisor: number } & PoolRunOptions)
  | { type: 'backward'; dSpike: Float32Array[] };

export type PoolReply =
  | { type: 'ok' }
  | { type: 'forwarded'; nll: number; correct: number; predictions: Int32Array; scores: Float32Array; perNeuron: Float64Array[] }
  | { type: 'error'; message: string };

/**
 * The default number of workers (after the backend is chosen): where the fused loop runs (wasm, cpu), one per
 * core, at most two (measured: 2.0× on a 2-core machine); 1 elsewhere.
 */
export function defaultWorkers(loop?: LoopKind): number {
  if ((loop ?? defaultLoop()) !== 'fused') return 1;
  return Math.max(1, Math.min(2, availableParallelism()));
}

/** Validates a `workers` option: an integer ≥ 1, and above 1 only for the fused loop. */
export function checkWorkers(workers: number, loop: LoopKind | undefined): number {
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be an integer ≥ 1, got ${workers}`);
  if (workers > 1 && (loop ?? defaultLoop()) !== 'fused') {
    throw new Error(`workers > 1 needs the fused loop (the wasm and cpu backends' default), not --loop ${loop ?? defaultLoop()}`);
  }
  return workers;
}

const live = new Set<Worker>();

/** Worker threads started and not yet exited, in this process (tests check that runs leave none). */
export function liveWorkerThreads(): number {
  return live.size;
}

/** One worker thread with at most one request in flight. */
class PoolWorker {
  private waiting: { resolve: (r: PoolReply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private closing = false;

  constructor(readonly thread: Worker, readonly index: number) {
    live.add(thread);
    thread.unref();
    thread.on('message', (reply: PoolReply) => {
      const w = this.waiting;
      this.waiting = null;
      thread.unref();
      if (!w) return;
      if (reply.type === 'error') w.reject(new Error(`training worker ${index + 1}: ${reply.message}`));
      else w.resolve(reply);
    });
    thread.on('error', (e) => this.fail(new Error(`training worker ${index + 1} failed: ${e instanceof Error ? e.message : String(e)}`)));
    thread.on('exit', (code) => {
      live.delete(thread);
      if (!this.closing) this.fail(new Error(`training worker ${index + 1} exited (code ${code})`));
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiting;
    this.waiting = null;
    w?.reject(this.failure);
  }

  request(msg: PoolRequest): Promise<PoolReply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error(`training worker ${this.index + 1} is busy`));
    return new Promise<PoolReply>((resolve, reject) => {
      this.waiting = { resolve, reject };
      // Referenced only while a reply is awaited.
      this.thread.ref();
      this.thread.postMessage(msg);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error(`training worker ${this.index + 1} was closed`));
    await this.thread.terminate();
  }
}

const sharedF32 = (n: number) => new Float32Array(new SharedArrayBuffer(n * 4));

/**
 * Contiguous shares of B samples for `n` workers; multiples of 4 (the SIMD matmul's row tiles) when every
 * worker still gets a share.
 */
export function splitBatch(size: number, n: number): number[] {
  const even = Math.ceil(size / n);
  const per = size >= 4 * n ? Math.ceil(even / 4) * 4 : even;
  const parts: number[] = [];
  for (let at = 0; at < size; at += per) parts.push(Math.min(per, size - at));
  return parts;
}

/** Samples at … at + size − 1 of a batch as a batch of their own (a sample's bins are contiguous in `flat`). */
function shareOf(batch: BinnedBatch, at: number, size: number): BinnedBatch {
  const perSample = batch.nbSteps * batch.channels;
  const lo = at * perSample;
  const hi = (at + size) * perSample;
  let first = 0;
  while (first < batch.flat.length && batch.flat[first] < lo) first++;
  let end = first;
  while (end < batch.flat.length && batch.flat[end] < hi) end++;
  const flat = batch.flat.slice(first, end);
  for (let k = 0; k < flat.length; k++) flat[k] -= lo;
  return {
    size,
    nbSteps: batch.nbSteps,
    channels: batch.channels,
    indices: batch.indices.slice(at, at + size),
    labels: batch.labels.slice(at, at + size),
    flat,
    counts: batch.counts.slice(first, end),
    dropped: 0,
  };
}

export class BatchPool implements BatchRunner {
  /** The workers return no records: the probe runs on the main thread. */
  readonly records = false;
  private paramSlot: Float32Array;
  private gradSlots: Float32Array[] = [];
  private datasets = new Map<BinnedDataset, number>();
  private closed = false;

  private constructor(
    private readonly workers: PoolWorker[],
    private readonly shape: NetworkShape,
    length: number,
  ) {
    this.paramSlot = sharedF32(length);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Starts `count` (≥ 2) workers for networks of this shape; `simd` as the main thread's choice of kernels. */
  static async start(count: number, shape: NetworkShape, simd: boolean): Promise<BatchPool> {
    if (!Number.isInteger(count) || count < 2) throw new Error(`a worker pool needs at least 2 workers, got ${count}`);
    const entry = findWorkerEntry('batchWorker', import.meta.url);
    const length = flatLength(paramLayout(shape));
    const pool = new BatchPool(
      Array.from({ length: count }, (_, i) => new PoolWorker(startWorkerThread(entry), i)),
      shape,
      length,
    );
    try {
      await Promise.all(
        pool.workers.map((w) => {
          const grads = sharedF32(length);
          pool.gradSlots.push(grads);
          return w.request({ type: 'init', slots: { params: pool.paramSlot, grads }, shape, simd });
        }),
      );
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /** Hands a dataset (binned with `shared: true`, or it is copied to every worker) to the workers once. */
  private async datasetId(ds: BinnedDataset): Promise<number> {
    let id = this.datasets.get(ds);
    if (id === undefined) {
      id = this.datasets.size;
      this.datasets.set(ds, id);
      const given = id;
      await Promise.all(this.workers.map((w) => w.request({ type: 'dataset', id: given, ds })));
    }
    return id;
  }

  /** The batch of `indices` of `ds`, as runBatch would compute it with the fused loop. */
  async run(params: NetworkParams, config: TrainConfig, ds: BinnedDataset, indices: Int32Array, opts: PoolRunOptions): Promise<BatchResult> {
    const id = await this.datasetId(ds);
    return this.runShares(params, config, indices.length, opts, (at, size) => ({
      type: 'forward', id, indices: indices.slice(at, at + size), config, lossDivisor: indices.length, ...opts,
    }));
  }

  /** A batch made beforehand (augmented training batches), as runBatch would compute it with the fused loop. */
  async runBatch(params: NetworkParams, config: TrainConfig, batch: BinnedBatch, opts: PoolRunOptions): Promise<BatchResult> {
    return this.runShares(params, config, batch.size, opts, (at, size) => ({ type: 'forwardBatch', batch: shareOf(batch, at, size), config, lossDivisor: batch.size, ...opts }));
  }

  private async runShares(
    params: NetworkParams,
    config: TrainConfig,
    B: number,
    opts: PoolRunOptions,
    request: (at: number, size: number) => PoolRequest,
  ): Promise<BatchResult> {
    if (this.closed) throw new Error('the worker pool is closed');
    if (!sameShape(params.shape, this.shape)) {
      throw new Error(`worker pool made for ${describeShape(this.shape)} networks, given ${describeShape(params.shape)}`);
    }
    this.paramSlot.set(params.flat);
    const K = this.shape.classes;
    const parts = splitBatch(B, this.workers.length);
    const active = this.workers.slice(0, parts.length);
    let at = 0;
    const replies = await Promise.all(
      active.map((w, i) => {
        const msg = request(at, parts[i]);
        at += parts[i];
        return w.request(msg);
      }),
    );
    const scores = new Float32Array(B * K);
    const predictions = new Int32Array(B);
    const perNeuron = this.shape.layers.map((l) => new Float64Array(l.size));
    let nll = 0;
    let correct = 0;
    at = 0;
    for (const r of replies) {
      if (r.type !== 'forwarded') throw new Error(`training worker: unexpected reply ${r.type}`);
      nll += r.nll;
      correct += r.correct;
      r.perNeuron.forEach((c, l) => {
        for (let h = 0; h < c.length; h++) perNeuron[l][h] += c[h];
      });
      scores.set(r.scores, at * K);
      predictions.set(r.predictions, at);
      at += r.predictions.length;
    }
    const reg = spikeRegulariser(perNeuron, config.regL1, config.regL2);
    const spikesPerLayer = perNeuron.map((c) => c.reduce((a, b) => a + b, 0));
    const result: BatchResult = { loss: nll + reg.loss, nll, reg: reg.loss, scores, predictions, correct, spikesPerLayer };
    if (!opts.gradients) return result;
    await Promise.all(active.map((w) => w.request({ type: 'backward', dSpike: reg.dSpike })));
    const out = this.gradSlots[0].slice();
    for (let i = 1; i < active.length; i++) {
      const g = this.gradSlots[i];
      for (let j = 0; j < out.length; j++) out[j] += g[j];
    }
    result.grads = out;
    return result;
  }

  /** Terminates every worker thread; safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
