/**
 * Initial weights: W ~ N(0, (weightScale / √fan_in)²) for W1 (fan-in = inputs), V1 and W2 (fan-in = hidden),
 * as the reference draws them (`torch.randn(...) * ws / sqrt(fan_in)`), from the seeded stream of
 * SeededRandom so the same config gives the same weights everywhere. Without recurrence V1 is all zeros and
 * no numbers are drawn for it.
 */
import type { TrainConfig } from '../../shared/config';
import { SeededRandom } from '../random/seededRandom';
import type { NetworkWeights } from './modelState';

function normalMatrix(rng: SeededRandom, rows: number, cols: number, std: number): Float32Array {
  const w = new Float32Array(rows * cols);
  for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std;
  return w;
}

export function initWeights(
  inputs: number,
  hidden: number,
  classes: number,
  config: Pick<TrainConfig, 'weightScale' | 'recurrent' | 'seed'>,
): NetworkWeights {
  for (const [name, n] of [['inputs', inputs], ['hidden', hidden], ['classes', classes]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got ${n})`);
  }
  const rng = new SeededRandom(config.seed);
  const w1 = normalMatrix(rng, inputs, hidden, config.weightScale / Math.sqrt(inputs));
  const v1 = config.recurrent ? normalMatrix(rng, hidden, hidden, config.weightScale / Math.sqrt(hidden)) : new Float32Array(hidden * hidden);
  const w2 = normalMatrix(rng, hidden, classes, config.weightScale / Math.sqrt(hidden));
  return { inputs, hidden, classes, w1, v1, w2 };
}
