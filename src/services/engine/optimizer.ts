/**
 * Adam and Adamax exactly as torch.optim implements them (defaults β1 = 0.9, β2 = 0.999, ε = 1e-8, no weight
 * decay), over the plain float32 arrays of NetworkWeights, so the moments are ordinary data a session file can
 * store and a resumed run can continue from.
 *
 * Adam, step k (1-based):
 *     m ← β1·m + (1−β1)·g;   v ← β2·v + (1−β2)·g²
 *     p ← p − (lr / (1−β1^k)) · m / (√v / √(1−β2^k) + ε)
 * Adamax:
 *     m ← β1·m + (1−β1)·g;   u ← max(β2·u, |g| + ε)
 *     p ← p − (lr / (1−β1^k)) · m / u
 */
import type { OptimizerName } from '../../shared/config';
import type { NetworkWeights, OptimizerState, ParamMoments } from './modelState';

export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const EPS = 1e-8;

export type Gradients = ParamMoments;

const PARAMS = ['w1', 'v1', 'w2'] as const;

function zerosLike(w: NetworkWeights): ParamMoments {
  return { w1: new Float32Array(w.w1.length), v1: new Float32Array(w.v1.length), w2: new Float32Array(w.w2.length) };
}

export function createOptimizerState(name: OptimizerName, weights: NetworkWeights): OptimizerState {
  return { name, step: 0, m: zerosLike(weights), v: zerosLike(weights) };
}

export function checkOptimizerState(state: OptimizerState, weights: NetworkWeights): void {
  for (const p of PARAMS) {
    for (const [what, arr] of [['first moment', state.m[p]], ['second moment', state.v[p]]] as const) {
      if (arr.length !== weights[p].length) throw new Error(`optimizer ${what} of ${p} has ${arr.length} values, the weights ${weights[p].length}`);
    }
  }
  if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`optimizer step must be a non-negative integer (got ${state.step})`);
}

/**
 * One update of `weights` in place. `frozen` names parameters that are not trained (V1 without recurrence):
 * their values and moments stay as they are.
 */
export function optimizerStep(
  state: OptimizerState,
  weights: NetworkWeights,
  grads: Gradients,
  learningRate: number,
  frozen: ReadonlySet<'w1' | 'v1' | 'w2'> = new Set(),
): void {
  state.step += 1;
  const k = state.step;
  const b1 = Math.fround(BETA1);
  const b2 = Math.fround(BETA2);
  // torch computes the bias corrections and step size in float64 (Python floats).
  const stepSize = learningRate / (1 - BETA1 ** k);
  const bc2Sqrt = Math.sqrt(1 - BETA2 ** k);
  // …and applies them to float32 tensors as float32 scalars, in this order of operations.
  const [c1, c2, eps, bc2, negStep] = [1 - BETA1, 1 - BETA2, EPS, bc2Sqrt, -stepSize].map(Math.fround);
  for (const p of PARAMS) {
    if (frozen.has(p)) continue;
    const w = weights[p];
    const g = grads[p];
    const m = state.m[p];
    const v = state.v[p];
    if (g.length !== w.length) throw new Error(`gradient of ${p} has ${g.length} values, the weights ${w.length}`);
    if (state.name === 'adam') {
      for (let i = 0; i < w.length; i++) {
        const gi = g[i];
        m[i] = Math.fround(m[i] * b1) + Math.fround(c1 * gi);
        v[i] = Math.fround(v[i] * b2) + Math.fround(Math.fround(c2 * gi) * gi);
        const denom = Math.fround(Math.fround(Math.sqrt(v[i])) / bc2) + eps;
        w[i] = w[i] + Math.fround(Math.fround(negStep * m[i]) / Math.fround(denom));
      }
    } else {
      for (let i = 0; i < w.length; i++) {
        const gi = g[i];
        m[i] = Math.fround(m[i] * b1) + Math.fround(c1 * gi);
        v[i] = Math.max(Math.fround(v[i] * b2), Math.fround(Math.abs(gi) + eps));
        w[i] = w[i] + Math.fround(Math.fround(negStep * m[i]) / v[i]);
      }
    }
  }
}
