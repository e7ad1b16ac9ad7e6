/**
 * `csilif` — the complex-state SSM-inspired LIF neuron, C-SiLIF (Fabre, Dudchenko, Bouhadjar & Neftci, "SiLIF:
 * Structured State Space Model Dynamics and Parametrization for Spiking Neural Networks", arXiv 2506.06374), as
 * the paper's code runs it (Maxtimer97/SSM-inspired-LIF, `models/snns.py`, `CSiLIFLayer._lif_cell`): a complex
 * membrane that decays and rotates by exp((−a + iω)·Δ) each step, with a learned step Δ and the S4D-style
 * parametrization a = exp(log_log_alpha), Δ = exp(log_dt); a spike when 2·Re(u) crosses θ, a reset of r on the
 * real part, the boxcar surrogate.
 *
 * The complex state is held as its real and imaginary parts (u = ur + i·ui) and the complex product written out;
 * the oracle (test/fixtures/csilif_reference.py) runs it in torch's complex arithmetic from the paper's code.
 */
import { defineNeuron, type Surrogate } from './neuronDefinition';

/**
 * The paper's boxcar surrogate (SpikeFunctionBoxcar, after DECOLLE): dS/dv = 1 for −0.5 < v ≤ 0.5, else 0. Its
 * primitive, v clamped to [−0.5, 0.5], is the smooth stand-in.
 */
export const boxcar: Surrogate = {
  name: 'boxcar',
  doc: 'σ′(v) = 1 for −0.5 < v ≤ 0.5, else 0',
  grad: (b, v, g) => b.mul(g, b.sub(b.gt(v, -0.5), b.gt(v, 0.5))),
  smooth: (v) => Math.min(Math.max(v, -0.5), 0.5),
};

export const csilif = defineNeuron({
  kind: 'csilif',
  title: 'complex-state SSM-inspired LIF (C-SiLIF)',
  paper:
    'Fabre, Dudchenko, Bouhadjar & Neftci, "SiLIF: Structured State Space Model Dynamics and Parametrization for Spiking Neural Networks", arXiv 2506.06374 (code Maxtimer97/SSM-inspired-LIF, models/snns.py CSiLIFLayer)',
  equations: `For t = 0 … T−1, u₋₁ = 0 (complex), S₋₁ = 0; per neuron Δ = exp(log_dt), a = exp(log_log_alpha):
    λ   = exp((−a + i·ω)·Δ) = e^{−a·Δ}·(cos ωΔ + i·sin ωΔ)      the decay and rotation of one step
    u_t = λ·(u_{t−1} − r·S_{t−1}) + b⊙J_t                      the reset r acts on the real part; S carries gradient
    S_t = Θ(2·Re(u_t) − θ)                                       surrogate: boxcar, 1 on (−0.5, 0.5]
held as ur = Re(u_t) − r·S_t and ui = Im(u_t). r = 0.5 (the paper's reset_factor). Record: 2·Re(u_t).`,
  states: [
    { name: 'ur', doc: 'real part of the complex membrane, after the reset' },
    { name: 'ui', doc: 'imaginary part of the complex membrane' },
  ],
  params: [
    { name: 'log_log_alpha', doc: 'log(log a), a the decay rate of the state (per unit of Δ)', init: { span: 'csilifLogLogAlpha' }, learn: 'always', clamp: false },
    { name: 'log_dt', doc: 'log Δ, the neuron’s own step', init: { span: 'csilifLogDt' }, learn: 'always', clamp: false },
    { name: 'alpha_img', doc: 'angular frequency ω (rotation ω·Δ per step)', init: { span: 'csilifAlphaImg' }, learn: 'always', clamp: false },
    { name: 'b', doc: 'input scale b', init: { span: 'csilifB' }, learn: 'always', clamp: false },
  ],
  scalars: [
    { name: 'theta', config: 'threshold', doc: 'firing threshold θ (on 2·Re u)' },
    { name: 'reset', config: 'csilifReset', doc: 'reset r subtracted from the real part after a spike' },
  ],
  surrogate: boxcar,
  probe: { mem: 'mem' },
  step: (b, { state, param, scalar, J }) => {
    const dt = b.exp(param.log_dt);
    const decay = b.exp(b.neg(b.mul(b.exp(param.log_log_alpha), dt)));
    const angle = b.mul(param.alpha_img, dt);
    const re = b.mul(decay, b.cos(angle));
    const im = b.mul(decay, b.sin(angle));
    const ur = b.add(b.sub(b.mul(re, state.ur), b.mul(im, state.ui)), b.mul(param.b, J));
    const ui = b.add(b.mul(re, state.ui), b.mul(im, state.ur));
    const mem = b.mul(2, ur);
    const S = b.spike(b.sub(mem, scalar.theta));
    return { spike: S, next: { ur: b.sub(ur, b.mul(scalar.reset, S)), ui }, records: { mem } };
  },
});
