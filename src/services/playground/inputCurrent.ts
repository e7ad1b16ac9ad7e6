/**
 * The playground's input currents J_t (shared/playground.ts, PlaygroundInput): a step, a ramp, a noisy current and
 * a Poisson spike train through a weight, the random ones drawn from the request's seed so a run repeats.
 */
import type { PlaygroundInput } from '../../shared/playground';
import { SeededRandom } from '../random/seededRandom';
import { poisson } from '../random/poisson';

export function inputCurrent(input: PlaygroundInput, steps: number, dtS: number): Float64Array {
  const J = new Float64Array(steps);
  const rng = new SeededRandom(input.seed);
  for (let t = 0; t < steps; t++) {
    switch (input.shape) {
      case 'step':
        J[t] = t >= input.onsetStep ? input.amplitude : 0;
        break;
      case 'ramp':
        J[t] = steps > 1 ? (input.amplitude * t) / (steps - 1) : input.amplitude;
        break;
      case 'noise':
        J[t] = input.amplitude + input.noiseStd * rng.normal();
        break;
      case 'poisson':
        J[t] = input.amplitude * poisson(rng, input.rateHz * dtS);
        break;
    }
  }
  return J;
}
