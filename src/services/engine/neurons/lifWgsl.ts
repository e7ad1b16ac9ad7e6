/**
 * `lif` (equations in lif.ts) as WGSL statements for the webgpu backend's layer kernels (webgpu/layerShaders.ts):
 * the same update as the JS twins, in the same order, one neuron of one sample per statement block.
 *
 * Forward: states s0 = I_t, s1 = U_t. Backward: s0 = ∂U_{t+1}, s1 = ∂I_{t+1}; acc0, acc1 sum the decays'
 * gradients (∂α, ∂β). The names the statements use are the driver's (see NeuronWgsl).
 */
import type { NeuronWgsl } from './neuronModel';

export const lifWgsl: NeuronWgsl = {
  accumulators: 2,
  forward: /* wgsl */ `
    let u = s1[k];
    if (HAS_MEM) { rec[OFF_MEM + i] = u; }
    let dist = u - THETA;
    let spike = dist > 0.0;
    S = select(0.0, 1.0, spike);
    if (HAS_DEN) { let q = SCALE * abs(dist) + 1.0; rec[OFF_DEN + i] = q * q; }
    let input = xw[i] + r;
    let sy = s0[k];
    if (HAS_SYN) { rec[OFF_SYN + i] = sy; }
    s0[k] = p[ALPHA + h] * sy + input;
    s1[k] = select(p[BETA + h] * u + sy, 0.0, spike);`,
  backward: /* wgsl */ `
    let gs = s1[k];
    G = gs;
    let gSpike = dIn[i] + r;
    let kept = select(s0[k], 0.0, spk[i] != 0.0);
    if (ACC_DECAY) {
      acc0[k] = acc0[k] + rec[OFF_SYN + i] * gs;
      acc1[k] = acc1[k] + rec[OFF_MEM + i] * kept;
    }
    s0[k] = p[BETA + h] * kept + gSpike / rec[OFF_DEN + i];
    s1[k] = p[ALPHA + h] * gs + kept;`,
};
