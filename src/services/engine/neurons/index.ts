/**
 * The neuron kinds the engine trains, by name. A new kind is a file beside these (its equations, its fused
 * step kernels with their JS twins, its tensor-loop step), a line here, and its kernels in the lists of
 * kernelSet.ts; the layer drivers, the trainer and the sessions need no change.
 */
import type { NeuronKind } from '../../../shared/config';
import { adlif } from './adlif';
import { lif } from './lif';
import type { NeuronModel } from './neuronModel';

export const NEURON_MODELS: Readonly<Record<NeuronKind, NeuronModel>> = Object.freeze({
  lif: lif as NeuronModel,
  adlif: adlif as NeuronModel,
});

export function neuronModel(kind: NeuronKind): NeuronModel {
  const m = NEURON_MODELS[kind];
  if (!m) throw new Error(`unknown neuron kind ${String(kind)}`);
  return m;
}
