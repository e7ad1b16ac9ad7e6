/**
 * A kind's step kernels as WebAssembly SIMD functions (four neurons per instruction), emitted from the same
 * schedule as the JS twins (jsEmit.ts) with the same operations in the same order, so the same bits. Per-neuron
 * parameters [H] are read at byte offset hp, which wraps at 4H, so H must be a multiple of 4 (the drivers run
 * the JS twins otherwise). A node with no f32x4 instruction (exp, cos, sin) makes the kind's kernel unavailable here; the
 * engine then runs its JS twin (same bits, slower).
 */
import { I, type Func } from '../cpu/wasmAssembler';
import type { Expr } from '../definitions/expr';
import type { NeuronDefinition } from '../definitions/neuronDefinition';
import { backwardName, backwardPointers, forwardName, forwardPointers } from './kernelArgs';
import { kernelSchedule, type KernelSchedule, type ScheduleBlock } from './schedule';
import { StepKernel, type Code } from './simdStep';
import { SPIKE_ADJ } from './stepPlan';

const cat = (...parts: Code[]): number[] => parts.flat();

/** Operations WebAssembly SIMD has no instruction for. */
const NO_F32X4: ReadonlySet<Expr['op']> = new Set(['exp', 'cos', 'sin']);

class Emitter {
  readonly k: StepKernel;
  constructor(name: string, pointers: string[], scalars: string[], nodes: Expr[], returnsCount: boolean) {
    const locals = [...new Set(nodes.filter((e) => e.op !== 'detach').map((e) => `v${e.id}`))];
    const masks = nodes.filter((e) => e.op === 'spike' || e.op === 'gt').map((e) => `m${e.id}`);
    for (const e of nodes) if (NO_F32X4.has(e.op)) throw new UnsupportedOp(`${name}: ${e.op} has no f32x4 instruction`);
    this.k = new StepKernel(name, pointers, scalars.map((x) => `s_${x}`), [...locals, ...masks], returnsCount);
  }

  ref = (e: Expr): Code => {
    if (e.op === 'detach') return this.ref(e.a);
    // 1 and 0 are the kernel's constant lanes vOne, vZero.
    if (e.op === 'const' && (e.value === 1 || Object.is(e.value, 0))) return this.k.v(e.value === 1 ? 'vOne' : 'vZero');
    return this.k.v(`v${e.id}`);
  };

  statement(e: Expr, leaf: (e: Expr) => Code): Code {
    const k = this.k;
    const set = (value: Code) => k.let(`v${e.id}`, value);
    const r = this.ref;
    switch (e.op) {
      case 'const': return e.value === 1 || Object.is(e.value, 0) ? [] : set(cat(I.f32Const(e.value), I.f32x4Splat));
      case 'detach': return [];
      case 'state': case 'param': case 'scalar': case 'adj': case 'input': return leaf(e);
      case 'add': return set(k.add(r(e.a), r(e.b)));
      case 'sub': return set(k.sub(r(e.a), r(e.b)));
      case 'mul': return set(k.mul(r(e.a), r(e.b)));
      case 'div': return set(k.div(r(e.a), r(e.b)));
      case 'min': return set(k.min(r(e.a), r(e.b)));
      case 'max': return set(k.max(r(e.a), r(e.b)));
      case 'neg': return set(k.neg(r(e.a)));
      case 'abs': return set(k.abs(r(e.a)));
      case 'sqrt': return set(k.sqrt(r(e.a)));
      case 'gt': return cat(k.let(`m${e.id}`, k.gt(r(e.a), r(e.b))), set(k.and(k.v(`m${e.id}`), k.v('vOne'))));
      case 'spike': return cat(k.let(`m${e.id}`, k.gt(r(e.a), k.v('vZero'))), set(k.and(k.v(`m${e.id}`), k.v('vOne'))));
      case 'exp': case 'cos': case 'sin': throw new UnsupportedOp(e.op);
    }
  }

  /** Constants and the run's scalars: the same in every lane and iteration, set once before the loop. */
  static invariant = (e: Expr): boolean => e.op === 'const' || e.op === 'scalar';

  block(b: ScheduleBlock, leaf: (e: Expr) => Code): Code {
    return cat(...b.nodes.filter((e) => !Emitter.invariant(e)).map((e) => this.statement(e, leaf)));
  }

  prelude(blocks: ScheduleBlock[], leaf: (e: Expr) => Code): Code {
    return cat(...blocks.flatMap((b) => b.nodes).filter(Emitter.invariant).map((e) => this.statement(e, leaf)));
  }
}

export class UnsupportedOp extends Error {}

function forwardFunc(s: KernelSchedule): Func {
  const p = s.plan;
  const e = new Emitter(forwardName(p.def.id), forwardPointers(s), p.scalars, s.forward[0].nodes, true);
  const { k } = e;
  const leaf = (x: Expr): Code => {
    const v = `v${x.id}`;
    switch (x.op) {
      case 'state': return cat(k.let(v, k.ld(`st_${x.name}`)), k.ifPtr(`hist_${x.name}`, k.st(`hist_${x.name}`, k.v(v))));
      case 'param': return k.let(v, k.ldH(`p_${x.name}`));
      case 'scalar': return k.let(v, k.splat(`s_${x.name}`));
      case 'input': return cat(k.let(v, k.ld('xw')), k.ifPtr('rec', cat(k.let(v, k.add(k.v(v), k.ld('rec'))), p.needs.input ? k.st('xw', k.v(v)) : [])));
      default: throw new Error(`a forward step cannot read ${x.op}`);
    }
  };
  const fw = p.forward;
  return k.build([
    e.block(s.forward[0], leaf),
    ...p.records.map((r) => k.ifPtr(`r_${r}`, k.st(`r_${r}`, e.ref(fw.records[r])))),
    ...p.states.map((x) => k.st(`st_${x}`, e.ref(fw.next[x]))),
    k.st('spk', e.ref(fw.spike)),
    // defineNeuron makes the spike output a spike(…) node, whose lane mask is m<id>.
    k.appendLanes(`m${fw.spike.id}`, 'list'),
  ], [e.prelude(s.forward, leaf)]);
}

function backwardFunc(s: KernelSchedule): Func {
  const p = s.plan;
  const all = s.backward.flatMap((b) => b.nodes);
  const e = new Emitter(backwardName(p.def.id), backwardPointers(s), p.scalars, all, false);
  const { k } = e;
  const leaf = (x: Expr): Code => {
    const v = `v${x.id}`;
    switch (x.op) {
      case 'state': return k.let(v, k.ld(`hist_${x.name}`));
      case 'param': return k.let(v, k.ldH(`p_${x.name}`));
      case 'scalar': return k.let(v, k.splat(`s_${x.name}`));
      case 'input': return k.let(v, k.ld('xw'));
      case 'adj':
        return x.name === SPIKE_ADJ ? cat(k.let(v, k.ld('dIn')), k.ifPtr('rec', k.let(v, k.add(k.v(v), k.ld('rec'))))) : k.let(v, k.ld(`ga_${x.name}`));
      default: throw new Error(`unexpected leaf ${x.op}`);
    }
  };
  const bw = p.backward;
  return k.build([
    e.block(s.backward[0], leaf),
    ...s.backward.slice(1).map((b) => k.ifPtr(`acc_${b.guard}`, cat(e.block(b, leaf), k.st(`acc_${b.guard}`, k.add(k.ld(`acc_${b.guard}`), e.ref(bw.param[b.guard!]!)))))),
    k.st('g', e.ref(bw.g)),
    ...p.states.map((x) => k.st(`ga_${x}`, e.ref(bw.state[x]))),
  ], [e.prelude(s.backward, leaf)]);
}

/** Builders of a kind's SIMD kernels, each only where its operations all have SIMD instructions. */
export function wasmStepFuncs(def: NeuronDefinition): (() => Func)[] {
  const s = kernelSchedule(def);
  return [forwardFunc, backwardFunc].flatMap((make) => (simdAvailable(() => make(s)) ? [() => make(s)] : []));
}

/** Whether a kernel has a SIMD version (the builder throws UnsupportedOp where an operation has none). */
function simdAvailable(make: () => Func): boolean {
  try {
    make();
    return true;
  } catch (err) {
    if (err instanceof UnsupportedOp) return false;
    throw err;
  }
}

/** Which of a kind's kernels run as WebAssembly SIMD (the others as their JS twins on the wasm backend). */
export function simdKernels(def: NeuronDefinition): { forward: boolean; backward: boolean } {
  const s = kernelSchedule(def);
  return { forward: simdAvailable(() => forwardFunc(s)), backward: simdAvailable(() => backwardFunc(s)) };
}
