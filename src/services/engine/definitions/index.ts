/**
 * The neuron kinds the engine trains, by name: one definition each (lif.ts, adlif.ts, brf.ts, csilif.ts). A new kind is a file
 * beside these and a line here; its kernels for every backend and its backward are generated
 * (docs/neuron-definitions.md).
 */
import type { NeuronKind, Span, SpanKey, TrainConfig } from '../../../shared/config';
import type { CustomNeuronSpec } from '../../../shared/customNeuron';
import { customDefinition } from './customKind';
import { adlif } from './adlif';
import { brf } from './brf';
import { csilif } from './csilif';
import { lif } from './lif';
import type { NeuronDefinition, ParamSpec } from './neuronDefinition';

/** The kinds built in; `custom` is the researcher's own, one definition per program (customKind.ts). */
export type BuiltinKind = Exclude<NeuronKind, 'custom'>;

export const NEURON_DEFINITIONS: Readonly<Record<BuiltinKind, NeuronDefinition>> = Object.freeze({ lif, adlif, brf, csilif });

/**
 * The definition of a built-in kind, or of a layer (its shape or config names its kind and, for `custom`, carries
 * the program).
 */
export function neuronDefinition(of: NeuronKind | { kind: NeuronKind; custom?: CustomNeuronSpec }): NeuronDefinition {
  const kind = typeof of === 'string' ? of : of.kind;
  if (kind === 'custom') {
    const spec = typeof of === 'string' ? undefined : of.custom;
    if (!spec) throw new Error('a custom neuron layer needs its program (config.customNeuron)');
    return customDefinition(spec);
  }
  const d = (NEURON_DEFINITIONS as Record<string, NeuronDefinition | undefined>)[kind];
  if (!d) throw new Error(`unknown neuron kind ${String(kind)}`);
  return d;
}

/** The config span a parameter is drawn from (τ for a decay, the value itself otherwise). */
export function paramSpan(p: ParamSpec, config: Pick<TrainConfig, SpanKey>): Span {
  return 'decayOf' in p.init ? config[p.init.decayOf] : 'span' in p.init ? config[p.init.span] : p.init.range;
}

export const isDecay = (p: ParamSpec): boolean => 'decayOf' in p.init;
