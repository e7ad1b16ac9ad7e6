/**
 * The engine kernels' signatures (documented in engineKernels.ts), which both sets implement: the WebAssembly SIMD
 * module (engineKernels.ts) and its JS twins (jsKernels.ts). In a file of its own so neither set imports the other
 * for its type. Pointers are byte offsets into `memory`.
 */
import type { StepKernelFn } from '../codegen/jsEmit';

export interface EngineKernels {
  memory: WebAssembly.Memory;
  rowAxpy(dst: number, dstRow: number, src: number, srcRow: number, coef: number, n: number, rowLen: number): void;
  spikeRowsAdd(dst: number, src: number, idx: number, count: number, rowLen: number): void;
  matmul(dst: number, a: number, b: number, rows: number, inner: number, cols: number): void;
  tapGather(dst: number, src: number, k: number, rows: number, rowLen: number, taps: number, stride: number): void;
  nonZeros(colOut: number, rowOut: number, valOut: number, src: number, rows: number, cols: number): number;
  /** Every neuron kind's generated step kernels, `<kind>Forward` and `<kind>Backward` (codegen/kernelArgs.ts). */
  steps: Record<string, StepKernelFn>;
}

/** The kernels without their memory: what a JS twin set, made for a given memory, returns. */
export type KernelFunctions = Omit<EngineKernels, 'memory'>;
