/**
 * Every registered kind's generated step kernels for the fused CPU loop: the JS twins on a given memory, and
 * the builders of their WebAssembly SIMD versions (a kind whose step has an operation without a SIMD instruction
 * has none; its JS twins run in both kernel sets, same bits).
 */
import type { Func } from '../cpu/wasmAssembler';
import { NEURON_DEFINITIONS } from '../definitions';
import { jsStepKernels, type StepKernelFn } from './jsEmit';
import { wasmStepFuncs } from './wasmEmit';

/** Float32 and Int32 views of a kernel memory, rebuilt whenever the memory has grown (growing replaces the buffer). */
export function floatViews(memory: WebAssembly.Memory): () => { F: Float32Array; N: Int32Array } {
  let buffer: ArrayBuffer | null = null;
  let views = { F: new Float32Array(0), N: new Int32Array(0) };
  return () => {
    if (buffer !== memory.buffer) {
      buffer = memory.buffer;
      views = { F: new Float32Array(buffer), N: new Int32Array(buffer) };
    }
    return views;
  };
}

export function stepJsKernels(memory: WebAssembly.Memory): Record<string, StepKernelFn> {
  const view = floatViews(memory);
  return Object.assign({}, ...Object.values(NEURON_DEFINITIONS).map((d) => jsStepKernels(d, view)));
}

export function stepWasmFuncs(): (() => Func)[] {
  return Object.values(NEURON_DEFINITIONS).flatMap((d) => wasmStepFuncs(d));
}
