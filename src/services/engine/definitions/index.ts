/**
 * The neuron kinds the engine trains, by name: one definition each (lif.ts, adlif.ts, brf.ts, csilif.ts). A new kind is a file
 * beside these and a line here; its kernels for every backend and its backward are generated
 * (docs/neuron-definitions.md).
 */
import type { NeuronKind, Span, SpanKey, TrainConfig } from '../../../shared/config';
import { adlif } from './adlif';
import { brf } from './brf';
import { csilif } from './csilif';
import { lif } from './lif';
import type { NeuronDefinition, ParamSpec } from './neuronDefinition';

export const NEURON_DEFINITIONS: Readonly<Record<NeuronKind, NeuronDefinition>> = Object.freeze({ lif, adlif, brf, csilif });

export function neuronDefinition(kind: NeuronKind): NeuronDefinition {
  const d = (NEURON_DEFINITIONS as Record<string, NeuronDefinition | undefined>)[kind];
  if (!d) throw new Error(`unknown neuron kind ${String(kind)}`);
  return d;
}

/** The config span a parameter is drawn from (τ for a decay, the value itself otherwise). */
export function paramSpan(p: ParamSpec, config: Pick<TrainConfig, SpanKey>): Span {
  return 'decayOf' in p.init ? config[p.init.decayOf] : config[p.init.span];
}

export const isDecay = (p: ParamSpec): boolean => 'decayOf' in p.init;
