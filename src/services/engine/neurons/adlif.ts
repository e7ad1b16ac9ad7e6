/**
 * `adlif` — adaptive leaky integrate-and-fire in symplectic-Euler form (after SE-adLIF, Baronig et al. 2025;
 * `../shared/reference/README.md`, format 2). For t = 0 … T−1, U'₋₁ = A₋₁ = 0, S₋₁ = 0:
 *
 *     J_t  = x_t·W_in + S_{t−1}·W_rec                      input current
 *     U_t  = α⊙U'_{t−1} + (1 − α)⊙(J_t − A_{t−1})          membrane (before the reset)
 *     S_t  = Θ(U_t − θ)
 *     U'_t = U_t⊙(1 − S_t)                                  reset; S_t here carries no gradient
 *     A_t  = β⊙A_{t−1} + (1 − β)⊙q·(a⊙U'_t + b⊙S_t)         adaptation; S_t here carries gradient
 *
 * Glossary: U membrane potential (threshold units), A adaptation current (same units), α = exp(−dt/τ_mem) and
 * β = exp(−dt/τ_adapt) per neuron, a the sub-threshold coupling and b the spike-triggered increment per
 * neuron (dimensionless), q a fixed scale, θ threshold, σ'(v) = 1/(scale·|v| + 1)². Records: U_t, S_t.
 *
 * Backward from ∂U_T = ∂A_T = 0, with D_t = ∂L/∂S_t from above and c = (1 − β)·q:
 *
 *     ∂A_t  = β⊙∂A_{t+1} − (1 − α)⊙∂U_{t+1}
 *     ∂U'_t = α⊙∂U_{t+1} + c⊙a⊙∂A_t
 *     ∂S_t  = D_t + G_{t+1}·W_recᵀ + c⊙b⊙∂A_t
 *     ∂U_t  = (1 − S_t)⊙∂U'_t + σ'(U_t − θ)⊙∂S_t
 *     G_t   = ∂J_t = (1 − α)⊙∂U_t
 *     ∂α += Σ_b (U'_{t−1} − J_t + A_{t−1})⊙∂U_t      ∂β += Σ_b (A_{t−1} − q·(a⊙U'_t + b⊙S_t))⊙∂A_t
 *     ∂a += Σ_b c⊙U'_t⊙∂A_t                           ∂b += Σ_b c⊙S_t⊙∂A_t
 *
 * Kernels: JS twins here, WebAssembly SIMD in adlifWasm.ts (same bits); element i is neuron i mod H.
 * Pointers are byte offsets into the kernels' memory; 0 means "absent" for the optional ones.
 */
import type * as TF from '@tensorflow/tfjs';
import type { NeuronModel } from './neuronModel';
import { floatViews } from './neuronModel';

const f = Math.fround;

export interface AdlifKernels {
  /**
   * One forward step. xw: x_t·W_in [n], overwritten with J_t when rec is given; rec: S_{t−1}·W_rec or 0;
   * u, w: the state U'_{t−1}, A_{t−1} [n], updated to U'_t, A_t; spk: S_t out; den: (scale·|U_t−θ|+1)² out or
   * 0; memRec: U_t out or 0; adaptRec: A_t out or 0; list: spiking indices appended; alpha, beta, a, b: [H].
   * Returns the number of spikes.
   */
  adlifForwardStep(
    n: number, H: number, xw: number, rec: number, u: number, w: number, spk: number, den: number, memRec: number, adaptRec: number,
    list: number, alpha: number, beta: number, a: number, b: number, theta: number, scale: number, q: number,
  ): number;
  /**
   * One backward step. g: G_t out; dIn: D_t; rec: G_{t+1}·W_recᵀ or 0; spk, den, memRec: records of step t;
   * xw: J_t; prevMem, prevSpk, prevAdapt: U_{t−1}, S_{t−1}, A_{t−1} or 0 at t = 0; gU, gA: ∂U_{t+1}, ∂A_{t+1},
   * updated to ∂U_t, ∂A_t; accAlpha, accBeta: decay gradient sums [n] or 0; accA, accB: a, b gradient sums
   * [n] or 0.
   */
  adlifBackwardStep(
    n: number, H: number, g: number, dIn: number, rec: number, spk: number, den: number, memRec: number, xw: number,
    prevMem: number, prevSpk: number, prevAdapt: number, gU: number, gA: number,
    accAlpha: number, accBeta: number, accA: number, accB: number, alpha: number, beta: number, a: number, b: number, q: number,
  ): void;
}

export function adlifJsKernels(memory: WebAssembly.Memory): AdlifKernels {
  const view = floatViews(memory);
  return {
    adlifForwardStep(n, H, xw, rec, u, w, spk, den, memRec, adaptRec, list, alpha, beta, a, b, theta, scale, q) {
      const { F, N } = view();
      const [th, sc, qq] = [f(theta), f(scale), f(q)];
      let count = 0;
      for (let i = 0; i < n; i++) {
        const h = i % H;
        const al = F[(alpha >>> 2) + h];
        const be = F[(beta >>> 2) + h];
        let j = F[(xw >>> 2) + i];
        if (rec) {
          j = f(j + F[(rec >>> 2) + i]);
          F[(xw >>> 2) + i] = j;
        }
        const wPrev = F[(w >>> 2) + i];
        const U = f(f(al * F[(u >>> 2) + i]) + f(f(1 - al) * f(j - wPrev)));
        if (memRec) F[(memRec >>> 2) + i] = U;
        const dist = f(U - th);
        const spike = dist > 0;
        const S = spike ? 1 : 0;
        F[(spk >>> 2) + i] = S;
        if (den) {
          const d = f(f(sc * Math.abs(dist)) + 1);
          F[(den >>> 2) + i] = d * d;
        }
        const up = spike ? 0 : U;
        F[(u >>> 2) + i] = up;
        const z = f(f(F[(a >>> 2) + h] * up) + f(F[(b >>> 2) + h] * S));
        const wNext = f(f(be * wPrev) + f(f(f(1 - be) * qq) * z));
        F[(w >>> 2) + i] = wNext;
        if (adaptRec) F[(adaptRec >>> 2) + i] = wNext;
        if (spike) N[(list >>> 2) + count++] = i;
      }
      return count;
    },

    adlifBackwardStep(n, H, g, dIn, rec, spk, den, memRec, xw, prevMem, prevSpk, prevAdapt, gU, gA, accAlpha, accBeta, accA, accB, alpha, beta, a, b, q) {
      const { F } = view();
      const qq = f(q);
      for (let i = 0; i < n; i++) {
        const h = i % H;
        const al = F[(alpha >>> 2) + h];
        const be = F[(beta >>> 2) + h];
        const aa = F[(a >>> 2) + h];
        const bb = F[(b >>> 2) + h];
        const oma = f(1 - al);
        const c = f(f(1 - be) * qq);
        const gUNext = F[(gU >>> 2) + i];
        const dA = f(f(be * F[(gA >>> 2) + i]) - f(oma * gUNext));
        const dUp = f(f(al * gUNext) + f(f(c * aa) * dA));
        const dSIn = rec ? f(F[(dIn >>> 2) + i] + F[(rec >>> 2) + i]) : F[(dIn >>> 2) + i];
        const dS = f(dSIn + f(f(c * bb) * dA));
        const S = F[(spk >>> 2) + i];
        const dU = f((S !== 0 ? 0 : dUp) + f(dS / F[(den >>> 2) + i]));
        F[(g >>> 2) + i] = f(oma * dU);
        const up = S !== 0 ? 0 : F[(memRec >>> 2) + i];
        if (accAlpha) {
          const upPrev = prevMem && F[(prevSpk >>> 2) + i] === 0 ? F[(prevMem >>> 2) + i] : 0;
          const aPrev = prevAdapt ? F[(prevAdapt >>> 2) + i] : 0;
          F[(accAlpha >>> 2) + i] += f(f(upPrev - f(F[(xw >>> 2) + i] - aPrev)) * dU);
          const z = f(f(aa * up) + f(bb * S));
          F[(accBeta >>> 2) + i] += f(f(aPrev - f(qq * z)) * dA);
        }
        if (accA) {
          F[(accA >>> 2) + i] += f(f(c * up) * dA);
          F[(accB >>> 2) + i] += f(f(c * S) * dA);
        }
        F[(gU >>> 2) + i] = dU;
        F[(gA >>> 2) + i] = dA;
      }
    },
  };
}

/** The state a tensor-loop step carries: U'_{t−1} and A_{t−1}, [B, H]. */
interface AdlifState {
  u: TF.Tensor2D;
  w: TF.Tensor2D;
}

export const adlif: NeuronModel<AdlifState, AdlifKernels> = {
  kind: 'adlif',
  spans: (c) => ({ alpha: c.tauMemS, beta: c.tauAdaptS }),
  adaptation: true,
  tauNames: { alpha: 'tauMemS', beta: 'tauAdaptS' },
  fused: {
    states: 2,
    // The backward pass needs U_t (for U'_t) always and A_{t−1} only for β's gradient; the probe shows both.
    records: (need) => [...(need.grads ? (['den', 'mem'] as const) : []), ...(need.mem && !need.grads ? (['mem'] as const) : []), ...(need.decayGrads || need.mem ? (['adapt'] as const) : [])],
    memRecord: 'mem',
    adaptRecord: 'adapt',
    forward(k: AdlifKernels, s) {
      return k.adlifForwardStep(
        s.n, s.H, s.xw, s.rec, s.state[0], s.state[1], s.spk, s.at('den'), s.at('mem'), s.at('adapt'), s.list,
        s.p.alpha, s.p.beta, s.p.a, s.p.b, s.theta, s.scale, s.adaptQ,
      );
    },
    backward(k: AdlifKernels, s) {
      k.adlifBackwardStep(
        s.n, s.H, s.g, s.dIn, s.rec, s.spk, s.at('den'), s.at('mem'), s.xw, s.prev('mem'), s.prevSpk, s.prev('adapt'), s.state[0], s.state[1],
        s.acc.alpha, s.acc.beta, s.acc.a, s.acc.b, s.p.alpha, s.p.beta, s.p.a, s.p.b, s.adaptQ,
      );
    },
  },
  tensor: {
    init: (tf, B, H) => ({ u: tf.zeros([B, H]), w: tf.zeros([B, H]) }),
    step(tf, st, input, p, spikeFn) {
      const U: TF.Tensor2D = tf.add(tf.mul(p.alpha, st.u), tf.mul(tf.sub(1, p.alpha), tf.sub(input, st.w)));
      const s = spikeFn(U);
      // tf.step has a zero gradient: the reset is detached; the adaptation's S_t is `s`, which carries it.
      const up: TF.Tensor2D = tf.mul(U, tf.sub(1, tf.step(tf.sub(U, p.threshold))));
      const drive = tf.add(tf.mul(p.a!, up), tf.mul(p.b!, s));
      const w: TF.Tensor2D = tf.add(tf.mul(p.beta, st.w), tf.mul(tf.mul(tf.sub(1, p.beta), p.adaptQ), drive));
      return { spikes: s, mem: U, adapt: w, next: { u: up, w } };
    },
  },
};
