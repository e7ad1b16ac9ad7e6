/**
 * A hidden layer's whole time loop as ONE dispatch: workgroup b runs sample b through all T steps, each thread a
 * slot of neurons (h = lid + k·WG), the states in registers. The recurrence needs the layer's previous step,
 * which the workgroup shares through workgroup memory between two barriers per step:
 *
 *   forward   r_h = Σ_{j: S_{t−1}[j] ≠ 0} W_rec[j, h]   (the rows of the neurons that spiked, in j order)
 *   backward  r_h = Σ_j G_{t+1}[j]·W_rec[h, j]          (G_{t+1}·W_recᵀ, j in order)
 *
 * then the kind's step (generated from its definition, codegen/wgslEmit.ts). With recurrent delays the shared
 * row is the delayed spikes X_t instead of S_{t−1}, and the backward's P_{t+1} becomes Q_t (delayShaders.ts).
 * The forward pass also counts each neuron's spikes (the regulariser); the backward pass leaves the per-sample
 * sums of the per-neuron parameters' gradients in `acc` [grads, B, H] for batchSum.
 * Samples are independent, so B workgroups run in parallel; T is the only sequential dimension.
 */
import { kindWgsl } from '../codegen/wgslEmit';
import { recurrentDelayedAdjoint, recurrentDelayedSpikes, tapsConstants, type TapsAt } from './delayShaders';
import type { NeuronDefinition } from '../definitions/neuronDefinition';
import { bindingDecls, ro, rw, type Kernel } from './kernel';
import { constants, u32 } from './wgslText';

export interface LayerDims {
  T: number;
  B: number;
  H: number;
  recurrent: boolean;
  /** Offsets of the kind's parameters in the parameter vector, by name. */
  params: Record<string, number>;
  /** The run's constants the kind reads, by name. */
  scalars: Record<string, number>;
  wRec: number;
  /** The record buffer's slots in order (each T·B·H floats): kept states hist_<state>, records r_<record>. */
  slots: string[];
  /** The parameters whose gradients the backward sums, in the order of the acc buffer's rows. */
  grads: string[];
  /** Threads per workgroup (≤ the device's limit). */
  maxThreads: number;
  /** The recurrent delays' kernel in p (delayShaders.ts), or null without recurrent delays. */
  recDelay: TapsAt | null;
}

/** Threads per workgroup and neuron slots per thread for a layer of H neurons. */
export function layerThreads(H: number, maxThreads: number): { wg: number; slots: number } {
  const wg = Math.min(Math.max(32, Math.ceil(H / 32) * 32), maxThreads);
  return { wg, slots: Math.ceil(H / wg) };
}

function common(def: NeuronDefinition, d: LayerDims): string {
  const TN = d.T * d.B * d.H;
  const flags: Record<string, number | boolean> = {};
  const slotNames = [...def.states.map((x) => `hist_${x.name}`), ...Object.keys(def.graph().outputs.records).map((r) => `r_${r}`)];
  for (const name of slotNames) {
    const at = d.slots.indexOf(name);
    flags[`HAS_${name}`] = at >= 0;
    flags[`OFF_${name}`] = Math.max(0, at) * TN;
  }
  for (const p of def.params) {
    flags[`P_${p.name}`] = d.params[p.name];
    flags[`ACC_${p.name}`] = d.grads.includes(p.name);
  }
  const sc = Object.fromEntries(def.scalars.map((x) => [`SC_${x.name}`, d.scalars[x.name]]));
  const { wg, slots } = layerThreads(d.H, d.maxThreads);
  return `${constants({ T: d.T, B: d.B, H: d.H, BH: d.B * d.H, WG: wg, SLOTS: slots, RECURRENT: d.recurrent, W_REC: d.wRec, ...flags })}
${constants(sc, Object.keys(sc))}${d.recDelay ? `\n${tapsConstants(d.recDelay)}` : ''}`;
}

/** WGSL: one f32 array per slot for each name (`<prefix><name>`). */
const slotArrays = (prefix: string, names: string[]) => names.map((n) => `var ${prefix}${n}: array<f32, SLOTS>;`).join('\n  ');

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
 * counts out [B, H] (spikes per sample and neuron); with recurrent delays xrec out [T·B·H] (X_t, for ∂W_rec).
 */
export function layerForward(def: NeuronDefinition, d: LayerDims, label: string): Kernel {
  const bindings = [rw('xw'), ro('p'), rw('spk'), rw('rec'), rw('counts'), ...(d.recDelay ? [rw('xrec')] : [])];
  // Recurrent delays: each step starts by sharing X_t (its neurons' own past spikes through the taps); without,
  // each step ends by sharing S_t for the next.
  const delayed = d.recDelay !== null;
  const share = delayed
    ? `workgroupBarrier();
    ${eachSlot(`let i = (t * B + b) * H + h;
        ${recurrentDelayedSpikes('prevS')}`)}
    workgroupBarrier();`
    : '';
  const { wg } = layerThreads(d.H, d.maxThreads);
  const kind = kindWgsl(def);
  return {
    label,
    bindings,
    grid: { x: d.B, y: 1 },
    code: `${common(def, d)}
${kind.functions}
${bindingDecls(bindings)}
var<workgroup> prevS: array<f32, ${u32(d.H)}>;
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let b = wg.x;
  ${slotArrays('st_', def.states.map((x) => x.name))}
  var count: array<f32, SLOTS>;
  var now: array<f32, SLOTS>;
  for (var t = 0u; t < T; t++) {
    ${share}
    ${eachSlot(`let i = (t * B + b) * H + h;
        var r = 0.0;
        if (RECURRENT && t > 0u) {
          for (var j = 0u; j < H; j++) { if (prevS[j] != 0.0) { r = r + ${delayed ? 'prevS[j] * ' : ''}p[W_REC + j * H + h]; } }
        }
        var S = 0.0;
        {${kind.forward}
        }
        spk[i] = S;
        count[k] = count[k] + S;
        now[k] = S;`)}
    ${delayed ? '' : shareStep('prevS')}
  }
  ${eachSlot('counts[b * H + h] = count[k];')}
}`,
  };
}

/**
 * Backward: p, xw (J_t), spk, rec, dIn [T·B·H] (D_t), g out (G_t), acc out [grads, B, H] (the per-sample sums
 * of the wanted parameters' gradients, then with recurrent delays those of ∂d); with recurrent delays pRec
 * [T·B·H] (P_t, kept for the steps that reach back to it).
 */
export function layerBackward(def: NeuronDefinition, d: LayerDims, label: string): Kernel {
  const bindings = [ro('p'), ro('xw'), ro('spk'), ro('rec'), ro('dIn'), rw('g'), rw('acc'), ...(d.recDelay ? [rw('pRec')] : [])];
  const delayed = d.recDelay !== null;
  const { wg } = layerThreads(d.H, d.maxThreads);
  const kind = kindWgsl(def);
  return {
    label,
    bindings,
    grid: { x: d.B, y: 1 },
    code: `${common(def, d)}
${kind.functions}
${bindingDecls(bindings)}
var<workgroup> nextG: array<f32, ${u32(d.H)}>;
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let b = wg.x;
  ${slotArrays('ga_', def.states.map((x) => x.name))}
  ${slotArrays('acc_', def.params.map((x) => x.name))}
  var now: array<f32, SLOTS>;${delayed ? '\n  var accD: array<f32, SLOTS>;' : ''}
  for (var step = 0u; step < T; step++) {
    let t = T - 1u - step;
    ${eachSlot(`let i = (t * B + b) * H + h;
        var r = 0.0;
        if (RECURRENT && t + 1u < T) {
          for (var j = 0u; j < H; j++) { r = r + nextG[j] * p[W_REC + h * H + j]; }
        }
        ${delayed ? recurrentDelayedAdjoint() : ''}
        var G = 0.0;
        {${kind.backward}
        }
        g[i] = G;
        now[k] = G;`)}
    ${shareStep('nextG')}
  }
  ${eachSlot(`let at = b * H + h;
        ${d.grads.map((p, q) => `acc[${q}u * BH + at] = acc_${p}[k];`).join('\n        ')}
        ${delayed ? `acc[${d.grads.length}u * BH + at] = accD[k];` : ''}`)}
}`,
  };
}
