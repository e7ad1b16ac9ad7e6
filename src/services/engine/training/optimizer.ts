/**
 * Adam and Adamax exactly as torch.optim implements them (defaults β1 = 0.9, β2 = 0.999, ε = 1e-8; optional
 * decoupled weight decay as torch.optim.AdamW, below), over the network's flat float32 parameter vector, so the
 * moments are ordinary data a session file can store and a resumed run can continue from. Only the learned
 * parameters are updated (modelState.isLearned).
 *
 * Adam, step k (1-based):
 *     m ← β1·m + (1−β1)·g;   v ← β2·v + (1−β2)·g²
 *     p ← p − (lr / (1−β1^k)) · m / (√v / √(1−β2^k) + ε)
 * Adamax:
 *     m ← β1·m + (1−β1)·g;   u ← max(β2·u, |g| + ε)
 *     p ← p − (lr / (1−β1^k)) · m / u
 *
 * Decoupled weight decay (options.weightDecay = λ > 0; torch.optim.AdamW, Loshchilov & Hutter), before the
 * moment update of the same step:
 *     p ← p · (1 − lr·λ)
 * on the weight matrices only (isDecayed). It shrinks every weight toward 0 at the same rate, unlike an L2 term
 * λ·p added to g, which Adam divides by the per-coordinate √v, so weights with large gradients would be decayed
 * less; and the moments see the gradients of the loss alone.
 * For Adamax the same multiplication is applied the same way (torch's Adamax has only the coupled L2 form).
 */
import { decayBounds, type OptimizerName, type TrainConfig } from '../../../shared/config';
import { isLearned, layerTensors, type NetworkParams, type OptimizerState, type ParamEntry } from '../model/modelState';
import { isDecay, neuronDefinition, paramSpan } from '../definitions';
import { layerDelays } from '../../../shared/layerDelays';

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
  return params.layout.filter((e) => isLearned(params.shape, e.name, learnTau));
}

/**
 * Whether decoupled weight decay applies to a parameter: the weight matrices (`layer{l}/w_in`, `layer{l}/w_rec`,
 * `readout/w`), not the per-neuron decays α, β nor the adaptation parameters a, b. This is our choice, the usual
 * one in torch code (param groups that exclude per-neuron parameters and biases from decay): α, β and a, b are
 * physical quantities kept in their spans by constrain(), and pulling them toward 0 would mean pulling τ toward
 * 0 and switching the adaptation off, not regularising the network.
 */
export function isDecayed(name: string): boolean {
  return name === 'readout/w' || name.endsWith('/w_in') || name.endsWith('/w_rec');
}

export interface OptimizerStepOptions {
  /**
   * Decoupled weight decay λ ≥ 0 (torch.optim.AdamW's weight_decay), on the isDecayed entries. 0 (the default)
   * is plain Adam / Adamax, bit for bit: no multiplication by 1 happens at all.
   */
  weightDecay?: number;
  /**
   * The delays' learning rate as a multiple of the weights' (DelRec trains its delays at 10× the weights' rate);
   * 1 (the default) leaves every step bit for bit as without it.
   */
  delayLrScale?: number;
}

/**
 * One update of the learned `entries` of `params` in place from the gradient vector `grads` (laid out as the
 * parameters); the other parameters and their moments stay as they are.
 *
 * With options.weightDecay = λ > 0 each decayed element is first multiplied by the float32 scalar 1 − lr·λ
 * (computed in float64 as torch's Python floats, then rounded: `param.mul_(1 - lr * weight_decay)`), then
 * updated as above from its (un-decayed) gradient.
 */
export function optimizerStep(
  state: OptimizerState,
  params: NetworkParams,
  grads: Float32Array,
  learningRate: number,
  entries: readonly ParamEntry[],
  options: OptimizerStepOptions = {},
): void {
  if (grads.length !== params.flat.length) throw new Error(`gradient has ${grads.length} values, the parameters ${params.flat.length}`);
  const weightDecay = options.weightDecay ?? 0;
  if (!(Number.isFinite(weightDecay) && weightDecay >= 0)) throw new Error(`weight decay must be a finite number ≥ 0 (got ${weightDecay})`);
  const shrink = Math.fround(1 - learningRate * weightDecay);
  state.step += 1;
  const k = state.step;
  const b1 = Math.fround(BETA1);
  const b2 = Math.fround(BETA2);
  // torch computes the bias corrections and step size in float64 (Python floats).
  const stepSize = learningRate / (1 - BETA1 ** k);
  const bc2Sqrt = Math.sqrt(1 - BETA2 ** k);
  // …and applies them to float32 tensors as float32 scalars, in this order of operations.
  const [c1, c2, eps, bc2, negStepAll] = [1 - BETA1, 1 - BETA2, EPS, bc2Sqrt, -stepSize].map(Math.fround);
  const { m, v } = state;
  const w = params.flat;
  const delayScale = options.delayLrScale ?? 1;
  for (const e of entries) {
    const end = e.offset + e.length;
    const isDelay = e.name.endsWith('/rec_delay') || e.name.endsWith('/ff_delay');
    const negStep = isDelay && delayScale !== 1 ? Math.fround(-stepSize * delayScale) : negStepAll;
    if (weightDecay > 0 && isDecayed(e.name)) {
      for (let i = e.offset; i < end; i++) w[i] = w[i] * shrink;
    }
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
    // Delays stay within [0, D] steps, D the layer's own where it sets one.
    const d = layerDelays(config, l);
    if (t.recDelay) clamp(t.recDelay, 0, d.recMax);
    if (t.ffDelay) clamp(t.ffDelay, 0, d.ffMax);
    for (const p of neuronDefinition(s).params) {
      if ((p.learn === 'withTau' && !config.learnTau) || p.learn === 'fixed' || p.clamp === false) continue;
      const span = paramSpan(p, config);
      if (isDecay(p)) clamp(t.params[p.name], ...decayBounds(span, config.dtS));
      else clamp(t.params[p.name], span.lo, span.hi);
    }
  });
}
