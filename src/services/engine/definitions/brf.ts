/**
 * `brf` — balanced resonate-and-fire (Higuchi, Kairat, Bohté & Otte, ICML 2024; code AdaptiveAILab/brf-neurons,
 * `snn/modules/rf.py`, BRFCell), as the reference runs it (`../shared/reference/README.md`, format 2): a damped
 * oscillator (U, V) whose damping and threshold grow with a refractory trace Q; no reset.
 */
import { defineNeuron, type Surrogate } from './neuronDefinition';

/** N(v; 0, σ), the normal density, as expressions: exp(−v²/(2σ²)) / (σ√(2π)). */
const P = 0.15;

/**
 * The paper's double-Gaussian surrogate (StepDoubleGaussianGrad): dS/dv = 0.5·((1 + p)·N(v; 0, 0.5) −
 * 2p·N(v; 0, 3)), p = 0.15, computed as the reference does (the adjoint times the density mixture).
 */
export const doubleGaussian: Surrogate = {
  name: 'double Gaussian',
  doc: 'σ′(v) = 0.5·((1 + p)·N(v; 0, 0.5) − 2p·N(v; 0, 3)), p = 0.15',
  grad: (b, v, g) => {
    const normal = (sigma: number) => b.div(b.exp(b.div(b.neg(b.square(v)), 2 * sigma * sigma)), sigma * Math.sqrt(2 * Math.PI));
    return b.mul(b.mul(g, 0.5), b.sub(b.mul(1 + P, normal(0.5)), b.mul(2 * P, normal(3))));
  },
};

export const brf = defineNeuron({
  kind: 'brf',
  title: 'balanced resonate-and-fire',
  paper: 'Higuchi, Kairat, Bohté & Otte, "Balanced Resonate-and-Fire Neurons", ICML 2024 (code AdaptiveAILab/brf-neurons)',
  equations: `For t = 0 … T−1, U₋₁ = V₋₁ = Q₋₁ = 0, w = |ω|, p(w) = (−1 + √(1 − (δ·w)²)) / δ:
    b_t = p(w) − |b_offset| − Q_{t−1}                       damping: the divergence boundary, the offset, the refractory trace
    U_t = U_{t−1} + δ⊙(b_t⊙U_{t−1} − w⊙V_{t−1} + J_t)
    V_t = V_{t−1} + δ⊙(w⊙U_{t−1} + b_t⊙V_{t−1})
    S_t = Θ(U_t − θ − Q_{t−1})                               no reset
    Q_t = γ·Q_{t−1} + S_t                                     Q carries gradient (through b and the threshold)
δ a dimensionless step (the paper's 0.01), γ the refractory decay (0.9). Record: U_t.`,
  states: [
    { name: 'u', doc: 'real part U of the oscillator (the membrane)' },
    { name: 'v', doc: 'imaginary part V of the oscillator' },
    { name: 'q', doc: 'refractory trace Q' },
  ],
  params: [
    { name: 'omega', doc: 'angular frequency ω (used as |ω|)', init: { span: 'brfOmega' }, learn: 'always', clamp: false },
    { name: 'b_offset', doc: 'damping offset (used as |b_offset|)', init: { span: 'brfBOffset' }, learn: 'always', clamp: false },
  ],
  scalars: [
    { name: 'theta', config: 'threshold', doc: 'firing threshold θ' },
    { name: 'delta', config: 'brfDt', doc: 'dimensionless step δ' },
    { name: 'gamma', config: 'brfGamma', doc: 'refractory decay γ' },
  ],
  surrogate: doubleGaussian,
  probe: { mem: 'mem' },
  step: (b, { state, param, scalar, J }) => {
    const { delta } = scalar;
    const w = b.abs(param.omega);
    const pw = b.div(b.add(-1, b.sqrt(b.sub(1, b.square(b.mul(delta, w))))), delta);
    const damping = b.sub(b.sub(pw, b.abs(param.b_offset)), state.q);
    const U = b.add(state.u, b.mul(delta, b.add(b.sub(b.mul(damping, state.u), b.mul(w, state.v)), J)));
    const V = b.add(state.v, b.mul(delta, b.add(b.mul(w, state.u), b.mul(damping, state.v))));
    const S = b.spike(b.sub(b.sub(U, scalar.theta), state.q));
    return { spike: S, next: { u: U, v: V, q: b.add(b.mul(scalar.gamma, state.q), S) }, records: { mem: U } };
  },
});
