/**
 * The webgpu backend as a BatchRunner: batches run one after another on the process's GPU device (the trainer
 * awaits each; evaluation and the probe queue behind it), with the device's buffers and pipelines kept for the
 * whole run.
 */
import type { TrainConfig } from '../../../shared/config';
import type { BinnedBatch } from '../../data/binning';
import type { BatchResult } from '../run/batchTypes';
import type { BatchRunner, RunnerOptions } from '../run/batchRunner';
import { batchOf, type BinnedDataset } from '../run/binnedDataset';
import type { NetworkParams } from '../model/modelState';
import { openGpu } from './gpuAdapter';
import { GpuNetwork } from './gpuNetwork';

export class GpuRunner implements BatchRunner {
  readonly records = true;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(private readonly net: GpuNetwork) {}

  /** On the device backendSelect opened (a CPU emulation too: choosing webgpu by name allows it). */
  static async start(): Promise<GpuRunner> {
    return new GpuRunner(new GpuNetwork(await openGpu({ allowFallback: true })));
  }

  run(params: NetworkParams, config: TrainConfig, ds: BinnedDataset, indices: Int32Array, opts: RunnerOptions): Promise<BatchResult> {
    return this.runBatch(params, config, batchOf(ds, indices), opts);
  }

  runBatch(params: NetworkParams, config: TrainConfig, batch: BinnedBatch, opts: RunnerOptions): Promise<BatchResult> {
    if (this.closed) return Promise.reject(new Error('the webgpu runner is closed'));
    // The parameters may change right after this call returns (the optimizer): copy them before queueing.
    const frozen: NetworkParams = { ...params, flat: params.flat.slice() };
    const next = this.queue.then(() => this.net.run(frozen, config, batch, opts));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    this.net.destroy();
  }
}
