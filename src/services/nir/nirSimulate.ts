/**
 * A NIR graph run in discrete time, written from NIR's definitions (nir/ir/neuron.py; primitives.md) and not
 * from the engine's code, so that what it says about an exported file is a second opinion.
 *
 * NIR is continuous in time and leaves the discretization to each backend ("backends are free to implement as
 * they want, leading to varying outputs across platforms", NIR's primitives.md). This one uses, at step dt:
 *
 * - **Forward Euler per node**: a node's state at t+1 comes from its state and its input at t,
 *     CubaLIF / CubaLI:  I ← I + dt/τ_syn·(−I + w_in·u),   v ← v + dt/τ_mem·(v_leak − v + r·I_old)
 *     LIF / LI:          v ← v + dt/τ·(v_leak − v + r·u)
 *   and Linear (W·u), Affine (W·u + b) and Scale (s·u) pass their input on within the step.
 * - **Delay** (y(t) = x(t − τ), τ per neuron): τ must be a whole number k of steps (within 1e-6 of one), and
 *   y_t = x_{t−k} (0 before the sample starts); k = 0 passes the input on within the step. A Delay inside a cycle
 *   adds its k to the cycle's own step.
 * - **Edges pass values within a step; an edge that closes a cycle carries its source's value from the previous
 *   step** (the graph is ordered from its Input nodes, depth first; an edge back to a node still being visited
 *   closes a cycle). That is how recurrent layers run in snnTorch, Norse and the engine.
 * - **The spike and its reset** (z = [v > v_threshold], v = v_reset where z = 1), in one of two orders:
 *   - `delayed`: the spike is read from the membrane the step starts with, and the reset replaces that step's
 *     integration, v_{t+1} = v_reset. NIR's table defines the reset as a loop from the spike back to v; with the
 *     rule above for loops, this is what it gives. It is the engine's order (the reference README's, after
 *     SpyTorch) and snnTorch's default (`reset_delay=True`, zero reset).
 *   - `immediate`: the membrane integrates, the spike is read from the new value and resets it at once, and the
 *     next step integrates from v_reset. This is Norse's order, Lava's, and what snnTorch's NIR import builds
 *     (`reset_delay=False`).
 *
 * Supported: Input, Output, Linear, Affine, Scale, Delay, LI, LIF, CubaLI, CubaLIF (NIR's other primitives are refused
 * by name). Float64 throughout.
 */
import type { NirResetOrder } from '../../shared/workbenchApi';
import type { NirGraph, NirNode } from './nirGraph';

/** One sample's input: the non-zero (step, channel, count) triples, step-major as the engine's bins are. */
export interface SparseFrames {
  steps: number;
  channels: number;
  /** t·channels + c of each non-zero bin, ascending. */
  flat: ArrayLike<number>;
  counts: ArrayLike<number>;
}

export interface NirRun {
  /** Per spiking node (LIF, CubaLIF): z at t = 0 … T−1, [T · H]. */
  spikes: Record<string, Uint8Array>;
  /** Per neuron node (LI, LIF, CubaLI, CubaLIF): the membrane v at t = 0 … T, [(T + 1) · H]. */
  membranes: Record<string, Float64Array>;
}

type Kind = 'Input' | 'Output' | 'Linear' | 'Affine' | 'Scale' | 'Delay' | 'LI' | 'LIF' | 'CubaLI' | 'CubaLIF';
const KINDS = new Set<string>(['Input', 'Output', 'Linear', 'Affine', 'Scale', 'Delay', 'LI', 'LIF', 'CubaLI', 'CubaLIF']);

interface SimNode {
  name: string;
  kind: Kind;
  size: number;
  /** Incoming edges: source index and whether the edge closes a cycle (then the previous step's value). */
  inputs: { from: number; back: boolean }[];
  inSize: number;
  /** Linear/Affine: W transposed to in × out, for sparse inputs. */
  wT?: Float64Array;
  bias?: Float64Array;
  scale?: Float64Array;
  /** Delay: each neuron's delay in whole steps. */
  lag?: Int32Array;
  p: Record<string, Float64Array>;
}

function vec(node: NirNode, name: string, key: string, fallback?: number, size?: number): Float64Array {
  const a = node.params[key];
  if (!a) {
    if (fallback !== undefined && size !== undefined) return new Float64Array(size).fill(fallback);
    throw new Error(`node ${name} (${node.type}) has no ${key}`);
  }
  const v = Float64Array.from(a.data as ArrayLike<number>, Number);
  if (v.some((x) => !Number.isFinite(x))) throw new Error(`node ${name} (${node.type}): ${key} holds a value that is not finite`);
  return v;
}

export class NirSimulator {
  private readonly nodes: SimNode[];
  readonly inputNode: string;

  constructor(
    graph: NirGraph,
    private readonly dtS: number,
  ) {
    if (!(dtS > 0) || !Number.isFinite(dtS)) throw new Error(`time step ${dtS} s: must be a positive number`);
    const names = Object.keys(graph.nodes);
    const index = new Map(names.map((n, i) => [n, i]));
    for (const [a, b] of graph.edges) {
      if (!index.has(a) || !index.has(b)) throw new Error(`edge ${a} → ${b} names a node the graph does not have`);
    }
    for (const n of names) {
      if (!KINDS.has(graph.nodes[n].type)) throw new Error(`node ${n} is NIR's ${graph.nodes[n].type}, which this simulator does not run (it runs ${[...KINDS].join(', ')})`);
    }
    const inputs = names.filter((n) => graph.nodes[n].type === 'Input');
    if (inputs.length !== 1) throw new Error(`the graph has ${inputs.length} Input nodes; the simulator feeds exactly one`);
    this.inputNode = inputs[0];

    // Depth-first from the Input (then from anything not reached): reverse postorder is the step's order, and an
    // edge to a node still on the stack closes a cycle.
    const out = names.map(() => [] as number[]);
    for (const [a, b] of graph.edges) out[index.get(a)!].push(index.get(b)!);
    const state = new Uint8Array(names.length); // 0 new, 1 on the stack, 2 done
    const back = new Set<string>();
    const post: number[] = [];
    const visit = (root: number) => {
      const stack: [number, number][] = [[root, 0]];
      state[root] = 1;
      while (stack.length) {
        const top = stack[stack.length - 1];
        const [u, k] = top;
        if (k < out[u].length) {
          top[1]++;
          const v = out[u][k];
          if (state[v] === 1) back.add(`${u},${v}`);
          else if (state[v] === 0) {
            state[v] = 1;
            stack.push([v, 0]);
          }
        } else {
          state[u] = 2;
          post.push(u);
          stack.pop();
        }
      }
    };
    visit(index.get(this.inputNode)!);
    for (let i = 0; i < names.length; i++) if (state[i] === 0) visit(i);
    const order = post.reverse();
    const position = new Map(order.map((node, k) => [node, k]));

    const sim: SimNode[] = [];
    for (const i of order) {
      const name = names[i];
      const node = graph.nodes[name];
      const kind = node.type as Kind;
      const incoming = graph.edges
        .filter(([, b]) => b === name)
        .map(([a]) => {
          const from = index.get(a)!;
          return { from: position.get(from)!, back: back.has(`${from},${i}`) };
        });
      if (kind === 'Input' && incoming.length) throw new Error(`node ${name} (Input) has incoming edges`);
      if (kind !== 'Input' && !incoming.length) throw new Error(`node ${name} (${kind}) has no incoming edge`);
      const s: SimNode = { name, kind, size: 0, inputs: incoming, inSize: 0, p: {} };
      if (kind === 'Input') {
        s.size = Number(node.params.shape?.data[0]);
        if (!Number.isInteger(s.size) || s.size < 1) throw new Error(`node ${name} (Input) has no usable shape`);
      } else if (kind === 'Linear' || kind === 'Affine') {
        const w = node.params.weight;
        if (!w || w.shape.length !== 2) throw new Error(`node ${name} (${kind}) needs a 2-D weight (out × in)`);
        const [o, inn] = w.shape;
        const data = vec(node, name, 'weight');
        s.size = o;
        s.inSize = inn;
        s.wT = new Float64Array(o * inn);
        for (let r = 0; r < o; r++) for (let c = 0; c < inn; c++) s.wT[c * o + r] = data[r * inn + c];
        if (kind === 'Affine') {
          s.bias = vec(node, name, 'bias');
          if (s.bias.length !== o) throw new Error(`node ${name} (Affine): bias has ${s.bias.length} entries for ${o} outputs`);
        }
      } else if (kind === 'Scale') {
        s.scale = vec(node, name, 'scale');
        s.size = s.inSize = s.scale.length;
      } else if (kind === 'Delay') {
        const tau = vec(node, name, 'delay');
        s.lag = new Int32Array(tau.length);
        tau.forEach((x, h) => {
          const k = Math.round(x / this.dtS);
          if (!(x >= 0) || Math.abs(x / this.dtS - k) > 1e-6) throw new Error(`node ${name} (Delay): neuron ${h}'s delay ${x} s is not a whole number of steps of dt = ${this.dtS} s, which this simulator steps in`);
          s.lag![h] = k;
        });
        s.size = s.inSize = tau.length;
      } else if (kind === 'Output') {
        s.size = -1; // from its input
      } else {
        const first = kind === 'LI' || kind === 'LIF' ? 'tau' : 'tau_mem';
        const H = vec(node, name, first).length;
        const keys = kind === 'LI' ? ['tau', 'r', 'v_leak'] : kind === 'LIF' ? ['tau', 'r', 'v_leak', 'v_threshold'] : kind === 'CubaLI' ? ['tau_syn', 'tau_mem', 'r', 'v_leak'] : ['tau_syn', 'tau_mem', 'r', 'v_leak', 'v_threshold'];
        for (const k of keys) s.p[k] = vec(node, name, k);
        if (kind === 'CubaLI' || kind === 'CubaLIF') s.p.w_in = vec(node, name, 'w_in', 1, H);
        if (kind === 'LIF' || kind === 'CubaLIF') s.p.v_reset = vec(node, name, 'v_reset', 0, H);
        for (const [k, v] of Object.entries(s.p)) if (v.length !== H) throw new Error(`node ${name} (${kind}): ${k} has ${v.length} entries, ${first} ${H}`);
        for (const k of ['tau', 'tau_syn', 'tau_mem']) if (s.p[k]?.some((t) => !(t > 0))) throw new Error(`node ${name} (${kind}): ${k} must be positive`);
        s.size = s.inSize = H;
      }
      sim.push(s);
    }
    // Sizes: every edge's source must give what its target takes (Output takes whatever reaches it).
    for (const s of sim) {
      if (s.kind === 'Input') continue;
      for (const e of s.inputs) {
        const from = sim[e.from];
        const got = from.size;
        if (s.kind === 'Output') {
          if (got < 1) continue;
          if (s.size === -1) s.size = s.inSize = got;
        }
        if (got >= 1 && got !== s.inSize) throw new Error(`edge ${from.name} → ${s.name}: ${from.name} gives ${got} values, ${s.name} takes ${s.inSize}`);
      }
      if (s.size < 1) throw new Error(`node ${s.name} (${s.kind}): its size cannot be told from the graph`);
    }
    this.nodes = sim;
  }

  /** Runs one sample. The Input's size must be the frames' channel count. */
  run(frames: SparseFrames, order: NirResetOrder): NirRun {
    const T = frames.steps;
    const dt = this.dtS;
    const N = this.nodes.length;
    const input = this.nodes.find((n) => n.kind === 'Input')!;
    if (frames.channels !== input.size) throw new Error(`the input has ${frames.channels} channels, the graph's Input ${input.size}`);
    let cur = this.nodes.map((n) => new Float64Array(n.size));
    let prev = this.nodes.map((n) => new Float64Array(n.size));
    const I = this.nodes.map((n) => (n.kind === 'CubaLI' || n.kind === 'CubaLIF' ? new Float64Array(n.size) : null));
    const v = this.nodes.map((n) => (n.kind === 'LI' || n.kind === 'LIF' || n.kind === 'CubaLI' || n.kind === 'CubaLIF' ? new Float64Array(n.size) : null));
    const spikes: Record<string, Uint8Array> = {};
    const membranes: Record<string, Float64Array> = {};
    for (const [k, n] of this.nodes.entries()) {
      if (n.kind === 'LIF' || n.kind === 'CubaLIF') spikes[n.name] = new Uint8Array(T * n.size);
      if (v[k]) membranes[n.name] = new Float64Array((T + 1) * n.size);
    }
    const u = this.nodes.map((n) => new Float64Array(n.inSize));
    // Delay nodes: their inputs of the last max(k) + 1 steps, a ring indexed by t mod its length.
    const rings = this.nodes.map((n) => (n.lag ? new Float64Array((Math.max(0, ...n.lag) + 1) * n.size) : null));
    let f = 0;
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < N; k++) {
        const n = this.nodes[k];
        const y = cur[k];
        if (n.kind === 'Input') {
          y.fill(0);
          for (; f < frames.flat.length && Math.floor(frames.flat[f] / frames.channels) === t; f++) y[frames.flat[f] % frames.channels] += frames.counts[f];
          continue;
        }
        // The node's input: the sum over its edges, this step's values or (closing a cycle) the previous step's.
        const x = n.kind === 'Output' ? y : u[k];
        x.fill(0);
        for (const e of n.inputs) {
          const src = (e.back ? prev : cur)[e.from];
          for (let i = 0; i < src.length; i++) x[i] += src[i];
        }
        if (n.kind === 'Output') continue;
        if (n.wT) {
          y.fill(0);
          const O = n.size;
          for (let i = 0; i < n.inSize; i++) {
            const xi = x[i];
            if (xi === 0) continue;
            const col = i * O;
            for (let o = 0; o < O; o++) y[o] += n.wT[col + o] * xi;
          }
          if (n.bias) for (let o = 0; o < O; o++) y[o] += n.bias[o];
          continue;
        }
        if (n.scale) {
          for (let i = 0; i < n.size; i++) y[i] = n.scale[i] * x[i];
          continue;
        }
        if (n.lag) {
          const ring = rings[k]!;
          const R = ring.length / n.size;
          ring.set(x, (t % R) * n.size);
          for (let h = 0; h < n.size; h++) y[h] = t >= n.lag[h] ? ring[((t - n.lag[h]) % R) * n.size + h] : 0;
          continue;
        }
        this.neuronStep(n, I[k], v[k]!, x, y, order, dt, spikes[n.name], t);
        membranes[n.name].set(v[k]!, (t + 1) * n.size);
      }
      [prev, cur] = [cur, prev];
    }
    return { spikes, membranes };
  }

  /** One step of a neuron node: writes its output y (spikes, or the membrane for LI/CubaLI) and its new state. */
  private neuronStep(n: SimNode, I: Float64Array | null, v: Float64Array, x: Float64Array, y: Float64Array, order: NirResetOrder, dt: number, z: Uint8Array | undefined, t: number): void {
    const p = n.p;
    const H = n.size;
    const cuba = I !== null;
    const tauMem = cuba ? p.tau_mem : p.tau;
    for (let h = 0; h < H; h++) {
      // The membrane's drive: CubaLI(F)'s current before this step's input (forward Euler), LI(F)'s input itself.
      const drive = cuba ? I[h] : x[h];
      const integrated = v[h] + (dt / tauMem[h]) * (p.v_leak[h] - v[h] + p.r[h] * drive);
      if (cuba) I[h] += (dt / p.tau_syn[h]) * (-I[h] + p.w_in[h] * x[h]);
      if (!z) {
        // LI / CubaLI: the output is the membrane (the delayed order reads it before the step, as it reads spikes).
        y[h] = order === 'delayed' ? v[h] : integrated;
        v[h] = integrated;
        continue;
      }
      let spike: boolean;
      if (order === 'delayed') {
        spike = v[h] > p.v_threshold[h];
        v[h] = spike ? p.v_reset[h] : integrated;
      } else {
        spike = integrated > p.v_threshold[h];
        v[h] = spike ? p.v_reset[h] : integrated;
      }
      y[h] = spike ? 1 : 0;
      z[t * H + h] = y[h];
    }
  }
}
