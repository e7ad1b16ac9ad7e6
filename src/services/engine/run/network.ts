/**
 * One batch through the whole network: pooled input → hidden layers (any neuron kind, definitions/) → leaky
 * readout (readout.ts) → loss (loss.ts), and, for training, the backward pass to the gradient of every
 * parameter, as one vector laid out like the parameters (modelState.ts).
 *
 * Two ways to run the layers, with the same numbers (both are checked against the reference's golden files):
 * - `fused` (fusedNetwork.ts): per step one pass of a kernel (WebAssembly SIMD, or its JS twin on the cpu
 *   backend); everything sparse (input bins, spikes) runs on lists of non-zero entries. The default on wasm
 *   and cpu, where each tfjs op costs tens of microseconds.
 * - `tensor` (tensorNetwork.ts): per step a handful of tfjs ops, gradients by tfjs' autograd; runs on
 *   whichever backend is active. The default on the native backends (tensorflow), where ops are cheap.
 * Arrays are time-major: row t·B + b holds sample b at step t.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../shared/config';
import type { BinnedBatch } from '../../data/binning';
import { checkBatch, type BatchResult, type BatchRunOptions, type LoopKind } from './batchTypes';
import { runFusedBatch } from '../cpu/fusedNetwork';
import type { NetworkParams } from '../model/modelState';
import { runTensorBatch } from '../tfjs/tensorNetwork';

export * from './batchTypes';

export function defaultLoop(): LoopKind {
  return tf.getBackend() === 'tensorflow' ? 'tensor' : 'fused';
}

/** The fused loop's kernels: WebAssembly SIMD, or their JS twins on the pure-JS cpu backend. */
export function fusedKernelsSimd(): boolean {
  return tf.getBackend() !== 'cpu';
}

/** Runs one batch; results are plain arrays, every tensor created inside is disposed. */
export function runBatch(params: NetworkParams, config: TrainConfig, batch: BinnedBatch, opts: BatchRunOptions): BatchResult {
  checkBatch(params, config, batch);
  const loop = opts.loop ?? defaultLoop();
  if (loop === 'fused') return runFusedBatch({ params, config, batch, opts, simd: fusedKernelsSimd() });
  return runTensorBatch(params, config, batch, opts);
}

