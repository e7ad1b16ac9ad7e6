/**
 * Picks where a run's batches go (batchRunner.ts): the GPU runner, a worker pool, or none (the main thread's
 * loop). Each runner is loaded only when picked: the GPU's module needs the webgpu package, the pool starts threads.
 */
import type { BackendName } from '../../../shared/events';
import type { BatchRunner } from './batchRunner';
import type { NetworkShape } from '../model/modelState';

/**
 * The runner a run on `backend` with `workers` threads uses, or null for the main thread's loop: the GPU for
 * webgpu (workers must be 1 there), a worker pool for workers > 1.
 */
export async function startRunner(backend: BackendName, shape: NetworkShape, workers: number, simd: boolean): Promise<BatchRunner | null> {
  if (backend === 'webgpu') {
    if (workers > 1) throw new Error(`workers > 1 splits batches over CPU threads; the webgpu backend runs each batch on the GPU (got workers ${workers})`);
    const { GpuRunner } = await import('../webgpu/gpuRunner');
    return GpuRunner.start();
  }
  if (workers <= 1) return null;
  const { BatchPool } = await import('./workerPool');
  return BatchPool.start(workers, shape, simd);
}
