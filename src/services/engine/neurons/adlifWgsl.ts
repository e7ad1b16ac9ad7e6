/**
 * `adlif` (equations in adlif.ts) as WGSL statements for the webgpu backend's layer kernels
 * (webgpu/layerShaders.ts): the same update as the JS twins, in the same order.
 *
 * Forward: states s0 = U'_t, s1 = A_t; xw is overwritten with J_t (the backward pass needs it for ∂α).
 * Backward: s0 = ∂U_{t+1}, s1 = ∂A_{t+1}; acc0…acc3 sum ∂α, ∂β, ∂a, ∂b.
 */
import type { NeuronWgsl } from './neuronModel';

export const adlifWgsl: NeuronWgsl = {
  accumulators: 4,
  forward: /* wgsl */ `
    let al = p[ALPHA + h];
    let be = p[BETA + h];
    var j = xw[i];
    if (RECURRENT) { j = j + r; xw[i] = j; }
    let wPrev = s1[k];
    let U = al * s0[k] + (1.0 - al) * (j - wPrev);
    if (HAS_MEM) { rec[OFF_MEM + i] = U; }
    let dist = U - THETA;
    let spike = dist > 0.0;
    S = select(0.0, 1.0, spike);
    if (HAS_DEN) { let d = SCALE * abs(dist) + 1.0; rec[OFF_DEN + i] = d * d; }
    let up = select(U, 0.0, spike);
    s0[k] = up;
    let z = p[PA + h] * up + p[PB + h] * S;
    let wNext = be * wPrev + ((1.0 - be) * Q) * z;
    s1[k] = wNext;
    if (HAS_ADAPT) { rec[OFF_ADAPT + i] = wNext; }`,
  backward: /* wgsl */ `
    let al = p[ALPHA + h];
    let be = p[BETA + h];
    let aa = p[PA + h];
    let bb = p[PB + h];
    let oma = 1.0 - al;
    let c = (1.0 - be) * Q;
    let gUNext = s0[k];
    let dA = be * s1[k] - oma * gUNext;
    let dUp = al * gUNext + (c * aa) * dA;
    let dS = (dIn[i] + r) + (c * bb) * dA;
    let sv = spk[i];
    let dU = select(dUp, 0.0, sv != 0.0) + dS / rec[OFF_DEN + i];
    G = oma * dU;
    let up = select(rec[OFF_MEM + i], 0.0, sv != 0.0);
    if (ACC_DECAY) {
      var upPrev = 0.0;
      var aPrev = 0.0;
      if (t > 0u) {
        if (spk[i - BH] == 0.0) { upPrev = rec[OFF_MEM + i - BH]; }
        aPrev = rec[OFF_ADAPT + i - BH];
      }
      acc0[k] = acc0[k] + (upPrev - (xw[i] - aPrev)) * dU;
      let z = aa * up + bb * sv;
      acc1[k] = acc1[k] + (aPrev - Q * z) * dA;
    }
    acc2[k] = acc2[k] + (c * up) * dA;
    acc3[k] = acc3[k] + (c * sv) * dA;
    s0[k] = dU;
    s1[k] = dA;`,
};
