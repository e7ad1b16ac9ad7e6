/**
 * A kind's step kernels as JavaScript (the "JS twins"): generated source, compiled once with `new Function`
 * (Node only; the renderer never runs kernels). Every operation is rounded to float32 with Math.fround exactly
 * where an f32x4 instruction of the WebAssembly kernels (wasmEmit.ts) rounds, so the two give the same bits;
 * they are the cpu backend's kernels and the fallback where SIMD is missing or n is not a multiple of 4.
 */
import type { Expr } from '../definitions/expr';
import { backwardName, backwardPointers, forwardName, forwardPointers } from './kernelArgs';
import { kernelSchedule, type KernelSchedule, type ScheduleBlock } from './schedule';
import { SPIKE_ADJ } from './stepPlan';
import type { NeuronDefinition } from '../definitions/neuronDefinition';

export type StepKernelFn = (...args: number[]) => number;

const literal = (x: number): string => {
  const v = Math.fround(x);
  return Object.is(v, -0) ? '(-0)' : v < 0 ? `(${v})` : `${v}`;
};

/** The JS expression of a node's value (a local, a literal, or the operand of a detach). */
function ref(e: Expr): string {
  if (e.op === 'const') return literal(e.value);
  if (e.op === 'detach') return ref(e.a);
  return `v${e.id}`;
}

/** The statement computing node e (leaves by `leaf`); '' for nodes that need none. */
function statement(e: Expr, leaf: (e: Expr) => string): string {
  const r = (x: Expr) => ref(x);
  switch (e.op) {
    case 'const':
    case 'detach':
      return '';
    case 'state':
    case 'param':
    case 'scalar':
    case 'adj':
    case 'input':
      return leaf(e);
    case 'add': return `const v${e.id} = f(${r(e.a)} + ${r(e.b)});`;
    case 'sub': return `const v${e.id} = f(${r(e.a)} - ${r(e.b)});`;
    case 'mul': return `const v${e.id} = f(${r(e.a)} * ${r(e.b)});`;
    case 'div': return `const v${e.id} = f(${r(e.a)} / ${r(e.b)});`;
    case 'min': return `const v${e.id} = Math.min(${r(e.a)}, ${r(e.b)});`;
    case 'max': return `const v${e.id} = Math.max(${r(e.a)}, ${r(e.b)});`;
    case 'gt': return `const v${e.id} = ${r(e.a)} > ${r(e.b)} ? 1 : 0;`;
    case 'neg': return `const v${e.id} = -${r(e.a)};`;
    case 'abs': return `const v${e.id} = Math.abs(${r(e.a)});`;
    case 'exp': return `const v${e.id} = f(Math.exp(${r(e.a)}));`;
    case 'sqrt': return `const v${e.id} = f(Math.sqrt(${r(e.a)}));`;
    case 'cos': return `const v${e.id} = f(Math.cos(${r(e.a)}));`;
    case 'sin': return `const v${e.id} = f(Math.sin(${r(e.a)}));`;
    case 'spike': return `const v${e.id} = ${r(e.a)} > 0 ? 1 : 0;`;
  }
}

const lines = (block: ScheduleBlock, leaf: (e: Expr) => string) => block.nodes.map((e) => statement(e, leaf)).filter(Boolean).join('\n      ');

function header(name: string, pointers: string[], scalars: string[]): string {
  return `return function ${name}(n, H, ${[...pointers, ...scalars.map((s) => `s_${s}`)].join(', ')}) {
    const { F, N } = view();
    ${pointers.map((p) => `const o_${p} = ${p} >>> 2;`).join(' ')}
    ${scalars.map((s) => `const sc_${s} = f(s_${s});`).join(' ')}`;
}

function forwardSource(s: KernelSchedule): string {
  const p = s.plan;
  const writeJ = p.needs.input;
  const leaf = (e: Expr): string => {
    switch (e.op) {
      case 'state': return `const v${e.id} = F[o_st_${e.name} + i]; if (hist_${e.name}) F[o_hist_${e.name} + i] = v${e.id};`;
      case 'param': return `const v${e.id} = F[o_p_${e.name} + h];`;
      case 'scalar': return `const v${e.id} = sc_${e.name};`;
      case 'input': return `let v${e.id} = F[o_xw + i]; if (rec) { v${e.id} = f(v${e.id} + F[o_rec + i]);${writeJ ? ` F[o_xw + i] = v${e.id};` : ''} }`;
      default: throw new Error(`a forward step cannot read ${e.op}`);
    }
  };
  const fw = p.forward;
  return `${header(forwardName(p.def.id), forwardPointers(s), p.scalars)}
    let count = 0;
    for (let i = 0; i < n; i++) {
      const h = i % H;
      ${lines(s.forward[0], leaf)}
      ${p.records.map((r) => `if (r_${r}) F[o_r_${r} + i] = ${ref(fw.records[r])};`).join('\n      ')}
      ${p.states.map((x) => `F[o_st_${x} + i] = ${ref(fw.next[x])};`).join('\n      ')}
      F[o_spk + i] = ${ref(fw.spike)};
      if (${ref(fw.spike)} !== 0) N[o_list + count++] = i;
    }
    return count;
  };`;
}

function backwardSource(s: KernelSchedule): string {
  const p = s.plan;
  const leaf = (e: Expr): string => {
    switch (e.op) {
      case 'state': return `const v${e.id} = F[o_hist_${e.name} + i];`;
      case 'param': return `const v${e.id} = F[o_p_${e.name} + h];`;
      case 'scalar': return `const v${e.id} = sc_${e.name};`;
      case 'input': return `const v${e.id} = F[o_xw + i];`;
      case 'adj': return e.name === SPIKE_ADJ ? `const v${e.id} = rec ? f(F[o_dIn + i] + F[o_rec + i]) : F[o_dIn + i];` : `const v${e.id} = F[o_ga_${e.name} + i];`;
      default: throw new Error(`unexpected leaf ${e.op}`);
    }
  };
  const bw = p.backward;
  // The parameters' blocks run before the adjoints are stored: they may read the incoming ones.
  const guarded = s.backward.slice(1).map((blk) => `if (acc_${blk.guard}) {
        ${lines(blk, leaf)}
        F[o_acc_${blk.guard} + i] += ${ref(bw.param[blk.guard!]!)};
      }`);
  return `${header(backwardName(p.def.id), backwardPointers(s), p.scalars)}
    for (let i = 0; i < n; i++) {
      const h = i % H;
      ${lines(s.backward[0], leaf)}
      ${guarded.join('\n      ')}
      F[o_g + i] = ${ref(bw.g)};
      ${p.states.map((x) => `F[o_ga_${x} + i] = ${ref(bw.state[x])};`).join('\n      ')}
    }
  };`;
}

/** The generated source of a kind's two kernels (for the docs and for reading what the generator makes). */
export function jsKernelSource(def: NeuronDefinition): { forward: string; backward: string } {
  const s = kernelSchedule(def);
  return { forward: forwardSource(s), backward: backwardSource(s) };
}

type ViewFn = () => { F: Float32Array; N: Int32Array };

/** The two kernels of a kind on the memory behind `view`, by their names (`<kind>Forward`, `<kind>Backward`). */
export function jsStepKernels(def: NeuronDefinition, view: ViewFn): Record<string, StepKernelFn> {
  const src = jsKernelSource(def);
  const make = (body: string) => new Function('view', 'f', body)(view, Math.fround) as StepKernelFn;
  return { [forwardName(def.id)]: make(src.forward), [backwardName(def.id)]: make(src.backward) };
}
