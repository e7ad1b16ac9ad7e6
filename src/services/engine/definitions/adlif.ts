/**
 * `adlif` — adaptive leaky integrate-and-fire in symplectic-Euler form (SE-adLIF, Baronig et al., Nat. Commun.
 * 2025), as the reference runs it (`../shared/reference/README.md`, format 2).
 */
import { defineNeuron, fastSigmoid } from './neuronDefinition';

export const adlif = defineNeuron({
  kind: 'adlif',
  title: 'adaptive leaky integrate-and-fire (symplectic Euler)',
  paper: 'Baronig, Ferrand, Sabathiel & Legenstein, Nat. Commun. 2025 (SE-adLIF)',
  equations: `For t = 0 … T−1, U′₋₁ = A₋₁ = 0:
    U_t  = α⊙U′_{t−1} + (1 − α)⊙(J_t − A_{t−1})      membrane before the reset
    S_t  = Θ(U_t − θ)
    U′_t = U_t⊙(1 − S_t)                              reset; this S_t carries no gradient
    A_t  = β⊙A_{t−1} + (1 − β)⊙q·(a⊙U′_t + b⊙S_t)     adaptation; this S_t carries gradient
α = exp(−dt/τ_mem), β = exp(−dt/τ_adapt) per neuron; a, b per neuron; q a fixed scale. Records: U_t, A_t.`,
  states: [
    { name: 'u', doc: 'membrane potential after the reset U′ (threshold units)' },
    { name: 'w', doc: 'adaptation current A (threshold units)' },
  ],
  params: [
    { name: 'alpha', doc: 'membrane decay exp(−dt/τ_mem)', init: { decayOf: 'tauMemS' }, learn: 'withTau' },
    { name: 'beta', doc: 'adaptation decay exp(−dt/τ_adapt)', init: { decayOf: 'tauAdaptS' }, learn: 'withTau' },
    { name: 'a', doc: 'sub-threshold coupling of the adaptation to the membrane', init: { span: 'adaptA' }, learn: 'always' },
    { name: 'b', doc: 'spike-triggered adaptation increment', init: { span: 'adaptB' }, learn: 'always' },
  ],
  scalars: [
    { name: 'theta', config: 'threshold', doc: 'firing threshold θ' },
    { name: 'scale', config: 'surrogateScale', doc: 'steepness of the surrogate' },
    { name: 'q', config: 'adaptQ', doc: 'adaptation scale q' },
  ],
  surrogate: fastSigmoid,
  probe: { mem: 'mem', adapt: 'adapt' },
  step: (b, { state, param, scalar, J }) => {
    const { alpha, beta } = param;
    const U = b.add(b.mul(alpha, state.u), b.mul(b.sub(1, alpha), b.sub(J, state.w)));
    const S = b.spike(b.sub(U, scalar.theta));
    const up = b.mul(U, b.sub(1, b.detach(S)));
    const w = b.add(b.mul(beta, state.w), b.mul(b.mul(b.sub(1, beta), scalar.q), b.add(b.mul(param.a, up), b.mul(param.b, S))));
    return { spike: S, next: { u: up, w }, records: { mem: U, adapt: w } };
  },
});
