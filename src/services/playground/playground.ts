/**
 * The neuron playground: one neuron of a kind, with the researcher's parameters, driven by an input current, and
 * its f–I curve — one batch through the kind's generated forward kernel (neuronRun.ts): neuron 0 gets the input,
 * neurons 1…points the sweep's constant currents. A pure function of the request; Electron-free.
 */
import { decayOf } from '../../shared/config';
import { playgroundRequestErrors } from '../../shared/ipc/playgroundPayloads';
import type { PlaygroundRequest, PlaygroundResult } from '../../shared/playground';
import { isDecay, neuronDefinition } from '../engine/definitions';
import { inputCurrent } from './inputCurrent';
import { customNeuronDefinition, neuronDescriptions, scalarValue } from './neuronDescriptions';
import { runNeurons } from './neuronRun';

/** The f–I sweep's currents: `points` values evenly from min to max. */
export function sweepAmplitudes(fi: PlaygroundRequest['fi']): number[] {
  return Array.from({ length: fi.points }, (_, k) => fi.minAmplitude + ((fi.maxAmplitude - fi.minAmplitude) * k) / (fi.points - 1));
}

/** Refuses a bad request in one line (every problem listed), as the services' other calls do. */
export function runPlayground(request: PlaygroundRequest): PlaygroundResult {
  // The program first (a user-defined neuron is described from it), then the request against the kinds.
  const gate = playgroundRequestErrors(request);
  const problems = gate.some((p) => p.field.startsWith('custom')) ? gate : playgroundRequestErrors(request, neuronDescriptions(request.custom));
  if (problems.length) throw new Error(`playground: ${problems.map((p) => p.message).join('; ')}`);
  const def = request.custom ? customNeuronDefinition(request.custom) : neuronDefinition(request.neuron);
  const { dtS, steps } = request;
  const params = Object.fromEntries(def.params.map((p) => [p.name, isDecay(p) ? decayOf(request.params[p.name], dtS) : request.params[p.name]]));
  const scalars = Object.fromEntries(def.scalars.map((s) => [s.name, scalarValue(s, request.scalars)]));
  const J = inputCurrent(request.input, steps, dtS);
  const amplitudes = sweepAmplitudes(request.fi);
  const run = runNeurons(def, {
    params,
    scalars,
    n: 1 + amplitudes.length,
    steps,
    drive: (t, x) => {
      x[0] = J[t];
      for (let k = 0; k < amplitudes.length; k++) x[1 + k] = amplitudes[k];
    },
    traced: 0,
  });
  const durationS = steps * dtS;
  return {
    neuron: def.kind,
    dtS,
    steps,
    // The current as the kernel read it (float32).
    input: Array.from(Float32Array.from(J)),
    states: def.states.map((s) => ({ name: s.name, values: Array.from(run.states[s.name]) })),
    records: Object.entries(run.records).map(([name, values]) => ({ name, values: Array.from(values) })),
    spikeSteps: run.spikeSteps,
    rateHz: run.counts[0] / durationS,
    fi: { amplitude: amplitudes, rateHz: amplitudes.map((_, k) => run.counts[1 + k] / durationS) },
  };
}
