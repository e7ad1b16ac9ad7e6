/**
 * LIF-family networks to and from the Neuromorphic Intermediate Representation (NIR; Pedersen et al., Nat.
 * Commun. 2024), the graph Lava (Loihi 2), SpiNNaker2, Xylo, snnTorch, Norse and Spyx read and write.
 *
 * The graph of a session with L hidden `lif` layers (recurrent or not) and the leaky readout:
 *
 *     input (Input, shape [C]) → fc0 (Linear) → lif0 (CubaLIF) [⇄ rec0 (Linear)] → fc1 → lif1 … → fc_out (Linear)
 *       → readout (CubaLI) → output (Output, shape [K])
 *
 * Linear weights are out × in (the engine's are x·W, in × out: transposed); layer 0's channel pooling is folded
 * into fc0 (input c feeds pooled input c // pool, so fc0's column c is W_in's row c // pool). The discrete
 * decays map to NIR's continuous parameters as snnTorch's export does, with dt = config.dtS:
 *
 *     τ_syn = dt/(1 − α)   τ_mem = dt/(1 − β)   r = τ_mem/dt   w_in = τ_syn/dt   v_leak = 0   v_threshold = θ   v_reset = 0
 *
 * so that one forward-Euler step of NIR's CubaLIF (τ_syn·İ = −I + w_in·x, τ_mem·v̇ = v_leak − v + r·I) is
 * I ← α·I + x, v ← β·v + I, the engine's update. The readout (no spikes) is the same as a CubaLI; the class
 * score (max or mean over time of its membrane, or the softmax-sum) is decoding outside NIR.
 *
 * What NIR leaves open is the order of the spike and its reset within a step (nirSimulate.ts has both). In the
 * delayed order — the spike read from the membrane the step starts with, the reset in place of that step's
 * integration, which is what NIR's reset loop gives when run like any cycle — this graph is the engine exactly
 * (S_t = Θ(U_t − θ), U_{t+1} = (β·U_t + I_t)(1 − S_t); the test compares every spike). Backends that reset at
 * once (Norse, Lava, snnTorch's import) spike a step earlier per layer and keep the current after a spike, which
 * the engine's reset drops; no NIR composition expresses that one-step refractoriness, so `export-nir --check`
 * measures what they will make of the network instead.
 *
 * Learnable axonal delays (the reference README's "Delays"; engine/cpu/fusedDelays.ts) become NIR Delay nodes
 * (y(t) = x(t − τ), one τ per neuron, in seconds), with the delays as evaluation uses them: rounded to whole
 * steps (half to even) and τ = d·dt:
 *
 *     recurrent:     lif{l} → rdelay{l} (Delay, d_h·dt) → rec{l} (Linear) → lif{l}   the cycle's own step plus d_h:
 *                                                                                S_{t−1−d_h}[h]·W_rec[h, :]
 *     feed-forward:  lif{l} → delay{l} (Delay, d_h·dt) → fc{l+1} (or fc_out)         X_t[h] = Z_{t−d_h}[h]
 *
 * A layer with delays gets its Delay node even where every d_h rounds to 0, so the layout says what the session
 * learned.
 *
 * adLIF has no NIR primitive (NIR's neurons are I, LI, IF, LIF, CubaLI, CubaLIF): its adaptation current couples
 * to the membrane both sub-threshold (a) and per spike (b), which no composition of NIR nodes expresses exactly,
 * so adLIF sessions are refused.
 */
import type { TrainConfig } from '../../shared/config';
import { nirExportRefusal } from '../../shared/nirExport';
import { wholeSteps } from '../engine/model/delayKernel';
import { emptyParams, layerTensors, readoutTensors, type NetworkParams, type NetworkShape } from '../engine/model/modelState';

export const NIR_VERSION = '1.0.0';

export type NirArray = { data: Float64Array | Float32Array | BigInt64Array; shape: number[] };
export interface NirNode {
  type: string;
  params: Record<string, NirArray>;
}
export interface NirGraph {
  nodes: Record<string, NirNode>;
  edges: [string, string][];
}

const f64 = (v: ArrayLike<number>): NirArray => ({ data: Float64Array.from(v), shape: [v.length] });

/** Delays in steps as a Delay node: rounded to whole steps as evaluation rounds them, in seconds. */
function delayNode(d: Float32Array, dt: number): NirNode {
  return { type: 'Delay', params: { delay: f64(Array.from(wholeSteps(d), (k) => k * dt)) } };
}

/** W [in, out] (row-major) → out × in. */
function transposed(w: Float32Array, rows: number, cols: number): NirArray {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = w[i * cols + j];
  return { data: out, shape: [cols, rows] };
}

/** The decays α, β of a layer as CubaLIF's (or the readout's CubaLI's) continuous parameters. */
function cubaParams(alpha: Float32Array, beta: Float32Array, dt: number): Record<string, NirArray> {
  const tauSyn = Array.from(alpha, (a) => dt / (1 - a));
  const tauMem = Array.from(beta, (b) => dt / (1 - b));
  return {
    tau_syn: f64(tauSyn),
    tau_mem: f64(tauMem),
    r: f64(tauMem.map((t) => t / dt)),
    w_in: f64(tauSyn.map((t) => t / dt)),
    v_leak: f64(new Array(alpha.length).fill(0)),
  };
}

export function toNir(params: NetworkParams, config: Pick<TrainConfig, 'dtS' | 'threshold'>): NirGraph {
  const s = params.shape;
  const refused = s.layers.findIndex((l) => nirExportRefusal(l.kind) !== null);
  if (refused >= 0) {
    throw new Error(`layer ${refused + 1} is ${nirExportRefusal(s.layers[refused].kind)}`);
  }
  const dt = config.dtS;
  const nodes: Record<string, NirNode> = { input: { type: 'Input', params: { shape: { data: BigInt64Array.from([BigInt(s.channels)]), shape: [1] } } } };
  const edges: [string, string][] = [];
  let prev = 'input';
  s.layers.forEach((shape, l) => {
    const t = layerTensors(params, l);
    const H = shape.size;
    let weight: NirArray;
    if (l === 0) {
      // Pooling folded in: fc0[h, c] = W_in[c // pool, h].
      const w = new Float32Array(H * s.channels);
      for (let h = 0; h < H; h++) for (let c = 0; c < s.channels; c++) w[h * s.channels + c] = t.wIn[Math.floor(c / s.pool) * H + h];
      weight = { data: w, shape: [H, s.channels] };
    } else {
      weight = transposed(t.wIn, shape.inputs, H);
    }
    nodes[`fc${l}`] = { type: 'Linear', params: { weight } };
    nodes[`lif${l}`] = { type: 'CubaLIF', params: { ...cubaParams(t.alpha, t.beta, dt), v_threshold: f64(new Array(H).fill(config.threshold)), v_reset: f64(new Array(H).fill(0)) } };
    edges.push([prev, `fc${l}`], [`fc${l}`, `lif${l}`]);
    if (t.wRec) {
      nodes[`rec${l}`] = { type: 'Linear', params: { weight: transposed(t.wRec, H, H) } };
      if (t.recDelay) {
        nodes[`rdelay${l}`] = delayNode(t.recDelay, dt);
        edges.push([`lif${l}`, `rdelay${l}`], [`rdelay${l}`, `rec${l}`], [`rec${l}`, `lif${l}`]);
      } else {
        edges.push([`lif${l}`, `rec${l}`], [`rec${l}`, `lif${l}`]);
      }
    }
    prev = `lif${l}`;
    if (t.ffDelay) {
      nodes[`delay${l}`] = delayNode(t.ffDelay, dt);
      edges.push([prev, `delay${l}`]);
      prev = `delay${l}`;
    }
  });
  const ro = readoutTensors(params);
  const last = s.layers[s.layers.length - 1].size;
  nodes.fc_out = { type: 'Linear', params: { weight: transposed(ro.w, last, s.classes) } };
  nodes.readout = { type: 'CubaLI', params: cubaParams(ro.alpha, ro.beta, dt) };
  nodes.output = { type: 'Output', params: { shape: { data: BigInt64Array.from([BigInt(s.classes)]), shape: [1] } } };
  edges.push([prev, 'fc_out'], ['fc_out', 'readout'], ['readout', 'output']);
  return { nodes, edges };
}

/* ---------------------------------------------------------------- import */

export interface ImportedNetwork {
  params: NetworkParams;
  dtS: number;
  threshold: number;
  /** The spans of the layers' and the readout's time constants (for the session's config). */
  tauSynS: { lo: number; hi: number };
  tauMemS: { lo: number; hi: number };
  readoutTauSynS: number;
  readoutTauMemS: number;
}

function num(node: NirNode, key: string, name: string): Float64Array {
  const a = node.params[key];
  if (!a) throw new Error(`node ${name} (${node.type}) has no ${key}`);
  return Float64Array.from(a.data as ArrayLike<number>, Number);
}

/** The largest pooling P for which fc0's columns repeat in groups of P (exactly: that is how export folds it). */
function detectPool(w: Float64Array, H: number, C: number): number {
  const same = (c: number, d: number) => {
    for (let h = 0; h < H; h++) if (w[h * C + c] !== w[h * C + d]) return false;
    return true;
  };
  let run = 1;
  while (run < C && same(run, 0)) run++;
  for (let p = run; p > 1; p--) {
    let ok = true;
    for (let c = 0; c < C && ok; c++) ok = same(c, c - (c % p));
    if (ok) return p;
  }
  return 1;
}

/**
 * A graph of the shape {@link toNir} writes back into the engine's parameters. The time step comes from w_in =
 * τ_syn/dt; every neuron must agree on it and on the threshold, and v_leak and v_reset must be 0 (the engine has
 * neither); anything else is refused with the node it concerns.
 */
export function fromNir(g: NirGraph): ImportedNetwork {
  const node = (name: string, type: string) => {
    const n = g.nodes[name];
    if (!n) throw new Error(`the graph has no node "${name}" (expected the layout toNir writes: input, fc0, lif0, …, fc_out, readout, output)`);
    if (n.type !== type) throw new Error(`node ${name} is ${n.type}, expected ${type}`);
    return n;
  };
  const has = (a: string, b: string) => g.edges.some(([x, y]) => x === a && y === b);
  // Delayed graphs export (toNir) and run in the simulator; reading their delays back into a session is not built.
  const delays = Object.keys(g.nodes).filter((n) => g.nodes[n].type === 'Delay');
  if (delays.length) throw new Error(`the graph has Delay nodes (${delays.join(', ')}); import reads graphs without delays only (export-nir --check runs delayed ones)`);
  const input = node('input', 'Input');
  const channels = Number(input.params.shape.data[0]);
  const classes = Number(node('output', 'Output').params.shape.data[0]);
  let L = 0;
  while (g.nodes[`lif${L}`]) L++;
  if (L === 0) throw new Error('the graph has no CubaLIF layer lif0');
  let dt = NaN;
  let threshold = NaN;
  const span = { syn: [Infinity, -Infinity], mem: [Infinity, -Infinity] };
  const decays = (n: NirNode, name: string) => {
    const tauSyn = num(n, 'tau_syn', name);
    const tauMem = num(n, 'tau_mem', name);
    const wIn = num(n, 'w_in', name);
    const r = num(n, 'r', name);
    const vLeak = num(n, 'v_leak', name);
    const alpha = new Float32Array(tauSyn.length);
    const beta = new Float32Array(tauSyn.length);
    for (let h = 0; h < tauSyn.length; h++) {
      const d = tauSyn[h] / wIn[h];
      if (Number.isNaN(dt)) dt = d;
      if (Math.abs(d - dt) > 1e-9 * dt) throw new Error(`node ${name}: neuron ${h} implies dt = ${d} s (τ_syn/w_in), others ${dt} s: the engine has one time step`);
      if (Math.abs(r[h] - tauMem[h] / dt) > 1e-9 * r[h]) throw new Error(`node ${name}: neuron ${h} has r = ${r[h]}, the engine's mapping needs τ_mem/dt = ${tauMem[h] / dt}`);
      if (vLeak[h] !== 0) throw new Error(`node ${name}: neuron ${h} has v_leak = ${vLeak[h]}; the engine's neurons rest at 0`);
      alpha[h] = 1 - dt / tauSyn[h];
      beta[h] = 1 - dt / tauMem[h];
    }
    return { alpha, beta, tauSyn, tauMem };
  };
  const layers: NetworkShape['layers'] = [];
  const per: { w: Float64Array; rec: Float64Array | null; alpha: Float32Array; beta: Float32Array }[] = [];
  let pool = 1;
  let inputs = channels;
  let prev = 'input';
  for (let l = 0; l < L; l++) {
    const fc = node(`fc${l}`, 'Linear');
    const lif = node(`lif${l}`, 'CubaLIF');
    if (!has(prev, `fc${l}`) || !has(`fc${l}`, `lif${l}`)) throw new Error(`the graph does not chain ${prev} → fc${l} → lif${l}`);
    const [H, fanIn] = fc.params.weight.shape;
    const w = num(fc, 'weight', `fc${l}`);
    if (fanIn !== inputs) throw new Error(`fc${l} takes ${fanIn} inputs, the layer below gives ${inputs}`);
    if (l === 0) pool = detectPool(w, H, channels);
    const d = decays(lif, `lif${l}`);
    if (d.alpha.length !== H) throw new Error(`lif${l} has ${d.alpha.length} neurons, fc${l} ${H} outputs`);
    const vth = num(lif, 'v_threshold', `lif${l}`);
    for (const v of vth) {
      if (Number.isNaN(threshold)) threshold = v;
      if (v !== threshold) throw new Error(`lif${l}: thresholds differ (${v} and ${threshold}); the engine has one threshold`);
    }
    if (lif.params.v_reset && num(lif, 'v_reset', `lif${l}`).some((v) => v !== 0)) throw new Error(`lif${l}: v_reset must be 0 (the engine resets to 0)`);
    for (const t of d.tauSyn) span.syn = [Math.min(span.syn[0], t), Math.max(span.syn[1], t)];
    for (const t of d.tauMem) span.mem = [Math.min(span.mem[0], t), Math.max(span.mem[1], t)];
    const recNode = g.nodes[`rec${l}`];
    const recurrent = recNode !== undefined && has(`lif${l}`, `rec${l}`) && has(`rec${l}`, `lif${l}`);
    const rec = recurrent ? num(node(`rec${l}`, 'Linear'), 'weight', `rec${l}`) : null;
    layers.push({ kind: 'lif', inputs: l === 0 ? Math.ceil(channels / pool) : inputs, size: H, recurrent });
    per.push({ w, rec, alpha: d.alpha, beta: d.beta });
    inputs = H;
    prev = `lif${l}`;
  }
  const fcOut = node('fc_out', 'Linear');
  if (!has(prev, 'fc_out') || !has('fc_out', 'readout') || !has('readout', 'output')) throw new Error(`the graph does not end ${prev} → fc_out → readout → output`);
  const readout = decays(node('readout', 'CubaLI'), 'readout');
  const shape: NetworkShape = { channels, pool, layers, classes };
  const params = emptyParams(shape);
  per.forEach((p, l) => {
    const t = layerTensors(params, l);
    const H = layers[l].size;
    const fanIn = l === 0 ? channels : layers[l - 1].size;
    // Back to x·W: W_in[i, h] = fc[h, i] (layer 0: the first column of each pooled group).
    for (let i = 0; i < t.wIn.length / H; i++) for (let h = 0; h < H; h++) t.wIn[i * H + h] = p.w[h * fanIn + (l === 0 ? i * pool : i)];
    if (p.rec && t.wRec) for (let j = 0; j < H; j++) for (let h = 0; h < H; h++) t.wRec[j * H + h] = p.rec[h * H + j];
    t.alpha.set(p.alpha);
    t.beta.set(p.beta);
  });
  const ro = readoutTensors(params);
  const last = layers[layers.length - 1].size;
  const wOut = num(fcOut, 'weight', 'fc_out');
  for (let h = 0; h < last; h++) for (let k = 0; k < classes; k++) ro.w[h * classes + k] = wOut[k * last + h];
  ro.alpha.set(readout.alpha);
  ro.beta.set(readout.beta);
  const uniform = (v: Float64Array, what: string) => {
    if (v.some((x) => Math.abs(x - v[0]) > 1e-12 * Math.abs(v[0]))) throw new Error(`readout: ${what} differs by class; the engine has one readout time constant`);
    return v[0];
  };
  return {
    params,
    dtS: dt,
    threshold,
    tauSynS: { lo: span.syn[0], hi: span.syn[1] },
    tauMemS: { lo: span.mem[0], hi: span.mem[1] },
    readoutTauSynS: uniform(readout.tauSyn, 'τ_syn'),
    readoutTauMemS: uniform(readout.tauMem, 'τ_mem'),
  };
}
