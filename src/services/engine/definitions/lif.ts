/**
 * `lif` — the seed neuron: leaky integrate-and-fire with a current-based synapse, per-neuron decays and a
 * detached reset, as the reference runs it (`../shared/reference/README.md`, format 2).
 */
import { defineNeuron, fastSigmoid } from './neuronDefinition';

export const lif = defineNeuron({
  kind: 'lif',
  title: 'leaky integrate-and-fire, current-based synapse',
  paper: 'Zenke & Vogels 2021 (SpyTorch); Cramer et al. 2020 (SHD)',
  equations: `For t = 0 … T−1, every state starting at 0:
    S_t     = Θ(U_t − θ)                         spike
    I_{t+1} = α⊙I_t + J_t                        synaptic current
    U_{t+1} = (β⊙U_t + I_t)⊙(1 − S_t)            membrane; the reset's S_t carries no gradient
α = exp(−dt/τ_syn), β = exp(−dt/τ_mem) per neuron; θ threshold. Record: U_t.`,
  states: [
    { name: 'syn', doc: 'synaptic current I' },
    { name: 'mem', doc: 'membrane potential U (threshold units)' },
  ],
  params: [
    { name: 'alpha', doc: 'synaptic decay exp(−dt/τ_syn)', init: { decayOf: 'tauSynS' }, learn: 'withTau' },
    { name: 'beta', doc: 'membrane decay exp(−dt/τ_mem)', init: { decayOf: 'tauMemS' }, learn: 'withTau' },
  ],
  scalars: [
    { name: 'theta', config: 'threshold', doc: 'firing threshold θ' },
    { name: 'scale', config: 'surrogateScale', doc: 'steepness of the surrogate' },
  ],
  surrogate: fastSigmoid,
  probe: { mem: 'mem' },
  step: (b, { state, param, scalar, J }) => {
    const S = b.spike(b.sub(state.mem, scalar.theta));
    return {
      spike: S,
      next: {
        syn: b.add(b.mul(param.alpha, state.syn), J),
        mem: b.mul(b.add(b.mul(param.beta, state.mem), state.syn), b.sub(1, b.detach(S))),
      },
      records: { mem: state.mem },
    };
  },
});
