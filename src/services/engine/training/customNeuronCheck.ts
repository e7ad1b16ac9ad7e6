/**
 * Before the first epoch of a run with a user-defined neuron: the finite-difference check of its derived backward
 * (conformance/finiteDifference.ts) with the run's constants, reported as a note when it agrees and as a warning
 * naming the worst derivative when it does not (a point where the step is not differentiable — abs(0), a tie of
 * min or max — or a step that overflows in float64). The built-in kinds are checked by the test suite instead.
 */
import type { TrainConfig } from '../../../shared/config';
import type { HealthWarning } from '../../../shared/events';
import { finiteDifferenceCheck } from '../conformance/finiteDifference';
import { neuronDefinition } from '../definitions';
import type { NetworkParams } from '../model/modelState';

export function customNeuronChecks(params: NetworkParams, config: TrainConfig): HealthWarning[] {
  const first = params.shape.layers.findIndex((s) => s.kind === 'custom');
  if (first < 0) return [];
  const def = neuronDefinition(params.shape.layers[first]);
  const r = finiteDifferenceCheck(def, { config, draws: 6 });
  const what = `the custom neuron ${def.title}`;
  if (r.mismatches.length === 0) {
    return [{ kind: 'checked', layer: null, epoch: 0, message: `${what}: its derived backward agrees with finite differences at all ${r.checked} derivatives checked (worst relative difference ${r.worst.toExponential(1)})` }];
  }
  const m = r.mismatches[0];
  return [{
    kind: 'derivatives',
    layer: null,
    epoch: 0,
    message: `${what}: its derived backward disagrees with finite differences at ${r.mismatches.length} of ${r.checked} derivatives (e.g. ${m.what}: ${m.analytic.toPrecision(4)} against ${m.numeric.toPrecision(4)}); its gradients may be wrong where the step is not differentiable (abs at 0, ties of min or max)`,
  }];
}
