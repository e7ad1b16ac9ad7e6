/**
 * The neuron kinds' step kernels, for the two kernel sets: their JS twins (jsKernels.ts) and their
 * WebAssembly SIMD builders (engineKernels.ts). A kind whose SIMD kernels are missing runs its JS twins in
 * both sets (same bits, slower).
 */
import { adlifJsKernels } from './neurons/adlif';
import { adlifWasmFuncs } from './neurons/adlifWasm';
import { lifJsKernels } from './neurons/lif';
import { lifWasmFuncs } from './neurons/lifWasm';
import type { StepKernels } from './neurons/neuronModel';
import type { Func } from './wasmAssembler';

export function stepJsKernels(memory: WebAssembly.Memory): StepKernels {
  return { ...lifJsKernels(memory), ...adlifJsKernels(memory) };
}

/** Builders of the SIMD step kernels; each Func's name is the kernel's name in StepKernels. */
export const NEURON_WASM_FUNCS: readonly (() => Func)[] = [...lifWasmFuncs, ...adlifWasmFuncs];
