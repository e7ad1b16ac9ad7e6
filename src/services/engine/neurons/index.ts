/**
 * The neuron kinds the engine trains, by name, and their step kernels for the two kernel sets (JS twins for
 * jsKernels.ts, WebAssembly SIMD builders for engineKernels.ts). A new kind is a file beside these (its
 * equations, fused step kernels with their JS twins, tfjs step), its SIMD file, and a line in each list here;
 * the layer drivers, the trainer and the sessions need no change. A kind whose SIMD kernels are missing runs
 * its JS twins in both sets (same bits, slower). The webgpu backend takes each kind's WGSL step (…Wgsl.ts).
 */
import type { NeuronKind } from '../../../shared/config';
import type { Func } from '../cpu/wasmAssembler';
import { adlif, adlifJsKernels, type AdlifKernels } from './adlif';
import { adlifWasmFuncs } from './adlifWasm';
import { adlifWgsl } from './adlifWgsl';
import { lif, lifJsKernels, type LifKernels } from './lif';
import { lifWasmFuncs } from './lifWasm';
import { lifWgsl } from './lifWgsl';
import type { NeuronModel, NeuronWgsl } from './neuronModel';

/** Every neuron kind's step kernels (JS twins, or WebAssembly SIMD with the same arguments). */
export type StepKernels = LifKernels & AdlifKernels;

/** A registered kind, as the layer drivers see it: its fused step is handed every kind's kernels. */
export type KindModel = NeuronModel<unknown, StepKernels>;

export function stepJsKernels(memory: WebAssembly.Memory): StepKernels {
  return { ...lifJsKernels(memory), ...adlifJsKernels(memory) };
}

/** Builders of the SIMD step kernels; each Func's name is the kernel's name in StepKernels. */
export const NEURON_WASM_FUNCS: readonly (() => Func)[] = [...lifWasmFuncs, ...adlifWasmFuncs];

/** The kinds' steps in WGSL, for the webgpu backend's layer kernels. */
export const NEURON_WGSL: Readonly<Record<NeuronKind, NeuronWgsl>> = Object.freeze({ lif: lifWgsl, adlif: adlifWgsl });

export const NEURON_MODELS: Readonly<Record<NeuronKind, KindModel>> = Object.freeze({
  lif: lif as KindModel,
  adlif: adlif as KindModel,
});

export function neuronModel(kind: NeuronKind): KindModel {
  const m = NEURON_MODELS[kind];
  if (!m) throw new Error(`unknown neuron kind ${String(kind)}`);
  return m;
}
