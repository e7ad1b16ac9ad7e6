/**
 * `lif` — the seed neuron: leaky integrate-and-fire with a current-based synapse, per-neuron decays, detached
 * reset (`../shared/reference/README.md`, format 2). For t = 0 … T−1, every state starting at 0, S₋₁ = 0:
 *
 *     S_t     = Θ(U_t − θ)                               spike (θ = threshold)
 *     I_{t+1} = α⊙I_t + J_t,   J_t = x_t·W_in + S_{t−1}·W_rec      synaptic current
 *     U_{t+1} = (β⊙U_t + I_t)⊙(1 − S_t)                   membrane; S_t in the reset carries no gradient
 *
 * Glossary: U membrane potential (threshold units), I synaptic current, J the step's input current,
 * α = exp(−dt/τ_syn) and β = exp(−dt/τ_mem) per neuron (dimensionless decays), θ threshold,
 * σ'(v) = 1/(scale·|v| + 1)² the fast-sigmoid surrogate of dS/dU. Records: U_t and S_t.
 *
 * Backward, given D_t = ∂L/∂S_t from everything above the layer, from ∂U_T = ∂I_T = 0:
 *
 *     ∂S_t = D_t + ∂I_{t+2}·W_recᵀ                       (the recurrent term: G_{t+1}·W_recᵀ)
 *     kept = (1 − S_t)⊙∂U_{t+1}
 *     ∂U_t = β⊙kept + σ'(U_t − θ)⊙∂S_t
 *     ∂I_t = α⊙∂I_{t+1} + kept
 *     ∂α  += Σ_b I_t⊙∂I_{t+1},   ∂β += Σ_b U_t⊙kept
 *
 * and G_t = ∂J_t = ∂I_{t+1} goes to ∂W_in = Σ_t x_tᵀ·G_t, ∂W_rec = Σ_t S_{t−1}ᵀ·G_t and the layer below.
 *
 * The kernels (JS twins here; their WebAssembly SIMD versions in lifWasm.ts give the same bits) work on
 * n = B·H neurons of one step; neuron h of element i is i mod H. Arguments are byte offsets into the
 * kernels' memory; 0 means "absent" for the optional ones.
 */
import type * as TF from '@tensorflow/tfjs';
import type { NeuronModel } from './neuronModel';
import { floatViews } from './neuronModel';

const f = Math.fround;

export interface LifKernels {
  /**
   * One forward step. xw: J_t without the recurrent part [n]; rec: S_{t−1}·W_rec [n] or 0; syn, mem: the
   * state I_t, U_t [n], updated to t+1; spk: S_t out [n]; den: (scale·|U_t−θ|+1)² out [n] or 0; memRec,
   * synRec: U_t, I_t out [n] or 0; list: the index i of each spiking element is appended; alpha, beta: [H].
   * Returns the number of spikes.
   */
  lifForwardStep(
    n: number, H: number, xw: number, rec: number, syn: number, mem: number, spk: number, den: number, memRec: number, synRec: number,
    list: number, alpha: number, beta: number, theta: number, scale: number,
  ): number;
  /**
   * One backward step. g: G_t out [n]; dIn: D_t [n]; rec: G_{t+1}·W_recᵀ [n] or 0; spk, den, memRec, synRec:
   * the forward's records of step t; gMem, gSyn: ∂U_{t+1}, ∂I_{t+1} [n], updated to ∂U_t, ∂I_t; accAlpha,
   * accBeta: per-element sums of the decay gradients [n] or 0 (then memRec, synRec may be 0).
   */
  lifBackwardStep(
    n: number, H: number, g: number, dIn: number, rec: number, spk: number, den: number, memRec: number, synRec: number,
    gMem: number, gSyn: number, accAlpha: number, accBeta: number, alpha: number, beta: number,
  ): void;
}

export function lifJsKernels(memory: WebAssembly.Memory): LifKernels {
  const view = floatViews(memory);
  return {
    lifForwardStep(n, H, xw, rec, syn, mem, spk, den, memRec, synRec, list, alpha, beta, theta, scale) {
      const { F, N } = view();
      const [th, sc] = [f(theta), f(scale)];
      let count = 0;
      for (let i = 0; i < n; i++) {
        const h = i % H;
        const u = F[(mem >>> 2) + i];
        if (memRec) F[(memRec >>> 2) + i] = u;
        const dist = f(u - th);
        const spike = dist > 0;
        F[(spk >>> 2) + i] = spike ? 1 : 0;
        if (den) {
          const q = f(f(sc * Math.abs(dist)) + 1);
          F[(den >>> 2) + i] = q * q;
        }
        const input = rec ? f(F[(xw >>> 2) + i] + F[(rec >>> 2) + i]) : F[(xw >>> 2) + i];
        const s = F[(syn >>> 2) + i];
        if (synRec) F[(synRec >>> 2) + i] = s;
        F[(syn >>> 2) + i] = f(F[(alpha >>> 2) + h] * s) + input;
        F[(mem >>> 2) + i] = spike ? 0 : f(F[(beta >>> 2) + h] * u) + s;
        if (spike) N[(list >>> 2) + count++] = i;
      }
      return count;
    },

    lifBackwardStep(n, H, g, dIn, rec, spk, den, memRec, synRec, gMem, gSyn, accAlpha, accBeta, alpha, beta) {
      const { F } = view();
      for (let i = 0; i < n; i++) {
        const h = i % H;
        const gs = F[(gSyn >>> 2) + i];
        F[(g >>> 2) + i] = gs;
        const gSpike = rec ? f(F[(dIn >>> 2) + i] + F[(rec >>> 2) + i]) : F[(dIn >>> 2) + i];
        const kept = F[(spk >>> 2) + i] !== 0 ? 0 : F[(gMem >>> 2) + i];
        if (accAlpha) {
          F[(accAlpha >>> 2) + i] += f(F[(synRec >>> 2) + i] * gs);
          F[(accBeta >>> 2) + i] += f(F[(memRec >>> 2) + i] * kept);
        }
        F[(gMem >>> 2) + i] = f(F[(beta >>> 2) + h] * kept) + f(gSpike / F[(den >>> 2) + i]);
        F[(gSyn >>> 2) + i] = f(F[(alpha >>> 2) + h] * gs) + kept;
      }
    },
  };
}

/** The state a tensor-loop step carries: I_t and U_t, [B, H]. */
interface LifState {
  syn: TF.Tensor2D;
  mem: TF.Tensor2D;
}

export const lif: NeuronModel<LifState, LifKernels> = {
  kind: 'lif',
  spans: (c) => ({ alpha: c.tauSynS, beta: c.tauMemS }),
  adaptation: false,
  tauNames: { alpha: 'tauSynS', beta: 'tauMemS' },
  fused: {
    states: 2,
    // The backward pass needs the surrogate's denominators, U_t and I_t only for the decays' gradients; the probe shows U_t.
    records: (need) => (need.decayGrads ? ['den', 'mem', 'syn'] : [...(need.grads ? (['den'] as const) : []), ...(need.mem ? (['mem'] as const) : [])]),
    memRecord: 'mem',
    forward(k: LifKernels, s) {
      return k.lifForwardStep(
        s.n, s.H, s.xw, s.rec, s.state[0], s.state[1], s.spk, s.at('den'), s.at('mem'), s.at('syn'), s.list, s.p.alpha, s.p.beta, s.theta, s.scale,
      );
    },
    backward(k: LifKernels, s) {
      k.lifBackwardStep(
        s.n, s.H, s.g, s.dIn, s.rec, s.spk, s.at('den'), s.at('mem'), s.at('syn'), s.state[0], s.state[1],
        s.acc.alpha, s.acc.beta, s.p.alpha, s.p.beta,
      );
    },
  },
  tensor: {
    init: (tf, B, H) => ({ syn: tf.zeros([B, H]), mem: tf.zeros([B, H]) }),
    step(tf, st, input, p, spikeFn) {
      const s = spikeFn(st.mem);
      // tf.step has a zero gradient: the reset is detached, as in the reference.
      const reset = tf.sub(1, tf.step(tf.sub(st.mem, p.threshold)));
      const syn: TF.Tensor2D = tf.add(tf.mul(p.alpha, st.syn), input);
      const mem: TF.Tensor2D = tf.mul(tf.add(tf.mul(p.beta, st.mem), st.syn), reset);
      return { spikes: s, mem: st.mem, next: { syn, mem } };
    },
  },
};
