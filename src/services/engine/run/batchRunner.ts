/**
 * Where a run's batches go when not to the main thread's synchronous loop (network.ts runBatch): worker threads
 * that split each batch (workerPool.ts, the fused CPU loop) or the GPU (webgpu/gpuRunner.ts). The trainer and
 * evaluation talk to either through this one interface; startRunner.ts picks one. The runners implement it
 * without importing the picker, so no file here imports one that imports it back.
 */
import type { TrainConfig } from '../../../shared/config';
import type { BinnedBatch } from '../../data/binning';
import type { BatchResult } from './batchTypes';
import type { BinnedDataset } from './binnedDataset';
import type { DropoutKey } from '../model/dropout';
import type { NetworkParams } from '../model/modelState';

export interface RunnerOptions {
  gradients: boolean;
  allGradients?: boolean;
  dropout?: DropoutKey;
  /** Every layer's records (the probe); only where `records` is true. */
  records?: boolean;
  /** Training: the delays' kernel spread this epoch. */
  delaySigma?: number;
}

export interface BatchRunner {
  /** Whether runs can return the records (the probe's rasters and traces). */
  readonly records: boolean;
  /** The batch of `indices` of `ds`. */
  run(params: NetworkParams, config: TrainConfig, ds: BinnedDataset, indices: Int32Array, opts: RunnerOptions): Promise<BatchResult>;
  /** A batch made beforehand (augmented training batches). */
  runBatch(params: NetworkParams, config: TrainConfig, batch: BinnedBatch, opts: RunnerOptions): Promise<BatchResult>;
  close(): Promise<void>;
}
