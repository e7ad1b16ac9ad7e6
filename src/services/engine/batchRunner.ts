/**
 * Where a run's batches go when not to the main thread's synchronous loop (network.ts runBatch): worker threads
 * that split each batch (workerPool.ts, the fused CPU loop) or the GPU (webgpu/gpuRunner.ts). The trainer and
 * evaluation talk to either through this one interface.
 */
import type { TrainConfig } from '../../shared/config';
import type { BackendName } from '../../shared/events';
import type { BinnedBatch } from '../data/binning';
import type { BatchResult } from './batchTypes';
import type { BinnedDataset } from './binnedDataset';
import type { DropoutKey } from './dropout';
import type { NetworkParams, NetworkShape } from './modelState';

export interface RunnerOptions {
  gradients: boolean;
  allGradients?: boolean;
  dropout?: DropoutKey;
  /** Every layer's records (the probe); only where `records` is true. */
  records?: boolean;
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

/**
 * The runner a run on `backend` with `workers` threads uses, or null for the main thread's loop: the GPU for
 * webgpu (workers must be 1 there), a worker pool for workers > 1.
 */
export async function startRunner(backend: BackendName, shape: NetworkShape, workers: number, simd: boolean): Promise<BatchRunner | null> {
  if (backend === 'webgpu') {
    if (workers > 1) throw new Error(`workers > 1 splits batches over CPU threads; the webgpu backend runs each batch on the GPU (got workers ${workers})`);
    const { GpuRunner } = await import('./webgpu/gpuRunner');
    return GpuRunner.start();
  }
  if (workers <= 1) return null;
  const { BatchPool } = await import('./workerPool');
  return BatchPool.start(workers, shape, simd);
}
