/**
 * Adam and Adamax exactly as torch.optim implements them (defaults β1 = 0.9, β2 = 0.999, ε = 1e-8, no weight
 * decay), over the network's flat float32 parameter vector, so the moments are ordinary data a session file can
 * store and a resumed run can continue from. Only the learned parameters are updated (modelState.isLearned).
 *
 * Adam, step k (1-based):
 *     m ← β1·m + (1−β1)·g;   v ← β2·v + (1−β2)·g²
 *     p ← p − (lr / (1−β1^k)) · m / (√v / √(1−β2^k) + ε)
 * Adamax:
 *     m ← β1·m + (1−β1)·g;   u ← max(β2·u, |g| + ε)
 *     p ← p − (lr / (1−β1^k)) · m / u
 */
import { decayBounds, type OptimizerName, type TrainConfig } from '../../shared/config';
import { isLearned, layerTensors, type NetworkParams, type OptimizerState, type ParamEntry } from './modelState';
import { neuronModel } from './neurons';

export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const EPS = 1e-8;

export function createOptimizerState(name: OptimizerName, params: NetworkParams): OptimizerState {
  return { name, step: 0, m: new Float32Array(params.flat.length), v: new Float32Array(params.flat.length) };
}

export function checkOptimizerState(state: OptimizerState, params: NetworkParams): void {
  for (const [what, arr] of [['first moments', state.m], ['second moments', state.v]] as const) {
    if (arr.length !== params.flat.length) throw new Error(`optimizer ${what} have ${arr.length} values, the parameters ${params.flat.length}`);
  }
  if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`optimizer step must be a non-negative integer (got ${state.step})`);
}

/** The layout entries the optimizer updates (see isLearned). */
export function learnedEntries(params: NetworkParams, learnTau: boolean): ParamEntry[] {
  return params.layout.filter((e) => isLearned(e.name, learnTau));
}

/**
 * One update of the learned `entries` of `params` in place from the gradient vector `grads` (laid out as the
 * parameters); the other parameters and their moments stay as they are.
 */
export function optimizerStep(state: OptimizerState, params: NetworkParams, grads: Float32Array, learningRate: number, entries: readonly ParamEntry[]): void {
  if (grads.length !== params.flat.length) throw new Error(`gradient has ${grads.length} values, the parameters ${params.flat.length}`);
  state.step += 1;
  const k = state.step;
  const b1 = Math.fround(BETA1);
  const b2 = Math.fround(BETA2);
  // torch computes the bias corrections and step size in float64 (Python floats).
  const stepSize = learningRate / (1 - BETA1 ** k);
  const bc2Sqrt = Math.sqrt(1 - BETA2 ** k);
  // …and applies them to float32 tensors as float32 scalars, in this order of operations.
  const [c1, c2, eps, bc2, negStep] = [1 - BETA1, 1 - BETA2, EPS, bc2Sqrt, -stepSize].map(Math.fround);
  const { m, v } = state;
  const w = params.flat;
  for (const e of entries) {
    const end = e.offset + e.length;
    if (state.name === 'adam') {
      for (let i = e.offset; i < end; i++) {
        const gi = grads[i];
        m[i] = Math.fround(m[i] * b1) + Math.fround(c1 * gi);
        v[i] = Math.fround(v[i] * b2) + Math.fround(Math.fround(c2 * gi) * gi);
        const denom = Math.fround(Math.fround(Math.sqrt(v[i])) / bc2) + eps;
        w[i] = w[i] + Math.fround(Math.fround(negStep * m[i]) / Math.fround(denom));
      }
    } else {
      for (let i = e.offset; i < end; i++) {
        const gi = grads[i];
        m[i] = Math.fround(m[i] * b1) + Math.fround(c1 * gi);
        v[i] = Math.max(Math.fround(v[i] * b2), Math.fround(Math.abs(gi) + eps));
        w[i] = w[i] + Math.fround(Math.fround(negStep * m[i]) / v[i]);
      }
    }
  }
}

function clamp(v: Float32Array, lo: number, hi: number): void {
  const [a, b] = [Math.fround(Math.min(lo, hi)), Math.fround(Math.max(lo, hi))];
  for (let i = 0; i < v.length; i++) v[i] = v[i] < a ? a : v[i] > b ? b : v[i];
}

/**
 * The reference's `constrain()`, after every optimizer step: learned decays back into the range their τ was
 * drawn from (or [v/10, 10·v] for a single value v), a and b into their spans.
 */
export function constrain(params: NetworkParams, config: TrainConfig): void {
  params.shape.layers.forEach((s, l) => {
    const t = layerTensors(params, l);
    const spans = neuronModel(s.kind).spans(config);
    if (config.learnTau) {
      clamp(t.alpha, ...decayBounds(spans.alpha, config.dtS));
      clamp(t.beta, ...decayBounds(spans.beta, config.dtS));
    }
    if (t.a && t.b) {
      clamp(t.a, config.adaptA.lo, config.adaptA.hi);
      clamp(t.b, config.adaptB.lo, config.adaptB.hi);
    }
  });
}
