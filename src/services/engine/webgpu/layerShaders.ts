/**
 * A hidden layer's whole time loop as ONE dispatch: workgroup b runs sample b through all T steps, each thread a
 * slot of neurons (h = lid + k·WG), the states in registers. The recurrence needs the layer's previous step,
 * which the workgroup shares through workgroup memory between two barriers per step:
 *
 *   forward   r_h = Σ_{j: S_{t−1}[j] ≠ 0} W_rec[j, h]   (the rows of the neurons that spiked, in j order)
 *   backward  r_h = Σ_j G_{t+1}[j]·W_rec[h, j]          (G_{t+1}·W_recᵀ, j in order)
 *
 * then the kind's step (neurons/*Wgsl.ts). The forward pass also counts each neuron's spikes (the regulariser);
 * the backward pass leaves the per-sample sums of the per-neuron gradients in `acc` [4, B, H] for batchSum.
 * Samples are independent, so B workgroups run in parallel; T is the only sequential dimension.
 */
import type { NeuronWgsl, RecordName } from '../neurons/neuronModel';
import { bindingDecls, ro, rw, type Kernel } from './kernel';
import { constants, u32 } from './wgslText';

export interface LayerDims {
  T: number;
  B: number;
  H: number;
  recurrent: boolean;
  /** Offsets of the layer's parameters in the parameter vector (a, b: 0 for kinds without them). */
  alpha: number;
  beta: number;
  a: number;
  b: number;
  wRec: number;
  theta: number;
  scale: number;
  adaptQ: number;
  /** The records kept, in their order in the record buffer (each T·B·H floats). */
  records: RecordName[];
  /** Threads per workgroup (≤ the device's limit). */
  maxThreads: number;
}

const RECORD_NAMES: readonly RecordName[] = ['den', 'mem', 'syn', 'adapt'];

/** Threads per workgroup and neuron slots per thread for a layer of H neurons. */
export function layerThreads(H: number, maxThreads: number): { wg: number; slots: number } {
  const wg = Math.min(Math.max(32, Math.ceil(H / 32) * 32), maxThreads);
  return { wg, slots: Math.ceil(H / wg) };
}

function common(d: LayerDims): string {
  const TN = d.T * d.B * d.H;
  const flags: Record<string, number | boolean> = {};
  for (const name of RECORD_NAMES) {
    const at = d.records.indexOf(name);
    flags[`HAS_${name.toUpperCase()}`] = at >= 0;
    flags[`OFF_${name.toUpperCase()}`] = Math.max(0, at) * TN;
  }
  const { wg, slots } = layerThreads(d.H, d.maxThreads);
  return `${constants({ T: d.T, B: d.B, H: d.H, BH: d.B * d.H, WG: wg, SLOTS: slots, RECURRENT: d.recurrent, ALPHA: d.alpha, BETA: d.beta, PA: d.a, PB: d.b, W_REC: d.wRec, ...flags })}
${constants({ THETA: d.theta, SCALE: d.scale, Q: d.adaptQ }, ['THETA', 'SCALE', 'Q'])}`;
}

/** WGSL: `body` for each neuron h of this thread's slots (k, h in scope). */
function eachSlot(body: string): string {
  return `for (var k = 0u; k < SLOTS; k++) {
      let h = lid.x + k * WG;
      if (h < H) {
        ${body}
      }
    }`;
}

/** WGSL: this step's values `now` into the workgroup array `shared`, for every thread's next step (recurrent layers). */
function shareStep(shared: string): string {
  return `if (RECURRENT) {
      workgroupBarrier();
      ${eachSlot(`${shared}[h] = now[k];`)}
      workgroupBarrier();
    }`;
}

/**
 * Forward: xw [T·B·H] (J without the recurrence; a kind may write J back), p, spk out, rec (the records),
 * counts out [B, H] (spikes per sample and neuron).
 */
export function layerForward(kind: NeuronWgsl, d: LayerDims, label: string): Kernel {
  const bindings = [rw('xw'), ro('p'), rw('spk'), rw('rec'), rw('counts')];
  const { wg } = layerThreads(d.H, d.maxThreads);
  return {
    label,
    bindings,
    grid: { x: d.B, y: 1 },
    code: `${common(d)}
${bindingDecls(bindings)}
var<workgroup> prevS: array<f32, ${u32(d.H)}>;
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let b = wg.x;
  var s0: array<f32, SLOTS>;
  var s1: array<f32, SLOTS>;
  var count: array<f32, SLOTS>;
  var now: array<f32, SLOTS>;
  for (var t = 0u; t < T; t++) {
    ${eachSlot(`let i = (t * B + b) * H + h;
        var r = 0.0;
        if (RECURRENT && t > 0u) {
          for (var j = 0u; j < H; j++) { if (prevS[j] != 0.0) { r = r + p[W_REC + j * H + h]; } }
        }
        var S = 0.0;
        {${kind.forward}
        }
        spk[i] = S;
        count[k] = count[k] + S;
        now[k] = S;`)}
    ${shareStep('prevS')}
  }
  ${eachSlot('counts[b * H + h] = count[k];')}
}`,
  };
}

/**
 * Backward: p, xw (J_t), spk, rec, dIn [T·B·H] (D_t), g out (G_t), acc out [4, B, H] (the per-sample sums
 * of ∂α, ∂β, ∂a, ∂b; zeros where not computed).
 */
export function layerBackward(kind: NeuronWgsl, d: LayerDims & { decayGrads: boolean }, label: string): Kernel {
  const bindings = [ro('p'), ro('xw'), ro('spk'), ro('rec'), ro('dIn'), rw('g'), rw('acc')];
  const { wg } = layerThreads(d.H, d.maxThreads);
  return {
    label,
    bindings,
    grid: { x: d.B, y: 1 },
    code: `${common(d)}
const ACC_DECAY = ${d.decayGrads};
${bindingDecls(bindings)}
var<workgroup> nextG: array<f32, ${u32(d.H)}>;
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let b = wg.x;
  var s0: array<f32, SLOTS>;
  var s1: array<f32, SLOTS>;
  var acc0: array<f32, SLOTS>;
  var acc1: array<f32, SLOTS>;
  var acc2: array<f32, SLOTS>;
  var acc3: array<f32, SLOTS>;
  var now: array<f32, SLOTS>;
  for (var step = 0u; step < T; step++) {
    let t = T - 1u - step;
    ${eachSlot(`let i = (t * B + b) * H + h;
        var r = 0.0;
        if (RECURRENT && t + 1u < T) {
          for (var j = 0u; j < H; j++) { r = r + nextG[j] * p[W_REC + h * H + j]; }
        }
        var G = 0.0;
        {${kind.backward}
        }
        g[i] = G;
        now[k] = G;`)}
    ${shareStep('nextG')}
  }
  ${eachSlot(`let at = b * H + h;
        acc[at] = acc0[k];
        acc[BH + at] = acc1[k];
        acc[2u * BH + at] = acc2[k];
        acc[3u * BH + at] = acc3[k];`)}
}`,
  };
}
