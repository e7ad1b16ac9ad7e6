/**
 * What a layer of a given kind needs from its generated kernels in one batch, the same on every backend: the
 * parameters whose gradients are wanted, the states the forward keeps for the backward (only those the derived
 * backward reads for them), the probe's records, and the run's constants by the definition's names.
 */
import type { NeuronKind, TrainConfig } from '../../../shared/config';
import type { CustomNeuronSpec } from '../../../shared/customNeuron';
import { neuronDefinition } from '../definitions';
import type { NeuronDefinition } from '../definitions/neuronDefinition';
import { kernelSchedule, type KernelSchedule } from './schedule';
import { keptStates } from './stepPlan';

/** The parameters whose gradients a training step wants: those always learned, and the decays when they are. */
export function wantedGradParams(s: KernelSchedule, decayGrads: boolean): string[] {
  const def = s.plan.def;
  return s.gradParams.filter((p) => decayGrads || def.params.find((d) => d.name === p)!.learn === 'always');
}

export interface LayerKernelPlan {
  def: NeuronDefinition;
  schedule: KernelSchedule;
  /** States kept at every step for the backward pass. */
  kept: string[];
  /** Records written at every step (the probe's). */
  records: string[];
  /** Parameters whose gradients the backward sums. */
  grads: string[];
}

export function layerKernelPlan(layer: { kind: NeuronKind; custom?: CustomNeuronSpec }, need: { grads: boolean; decayGrads: boolean; records: boolean }): LayerKernelPlan {
  const def = neuronDefinition(layer);
  const schedule = kernelSchedule(def);
  const grads = need.grads ? wantedGradParams(schedule, need.decayGrads) : [];
  return {
    def,
    schedule,
    kept: need.grads ? keptStates(schedule.plan, grads) : [],
    records: need.records ? [def.probe.mem, ...(def.probe.adapt ? [def.probe.adapt] : [])] : [],
    grads,
  };
}

/** The run's scalars (threshold, …) the kind reads, by its names. */
export function scalarValues(def: NeuronDefinition, config: TrainConfig): Record<string, number> {
  return Object.fromEntries(def.scalars.map((s) => [s.name, s.config !== undefined ? config[s.config] : s.value!]));
}

