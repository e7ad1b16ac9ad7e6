/**
 * A kind's step as WGSL statements for the webgpu backend's layer kernels (webgpu/layerShaders.ts), emitted from
 * the same schedule as the CPU kernels, one neuron h of one sample per statement block (element
 * i = (t·B + b)·H + h, k this thread's neuron slot). What the statements see:
 *   st_<state>[k]  the states (forward);  ga_<state>[k]  their adjoints (backward);  acc_<param>[k]  gradient sums
 *   p[P_<param> + h]  the parameters;  SC_<scalar>  the run's constants
 *   rec[OFF_<slot> + i] where HAS_<slot>: the kept states (hist_<state>, the state before step t) and the records
 *   (r_<record>);  xw[i]  J_t without (forward) or with (backward) the recurrence;  spk[i]
 *   r  forward S_{t−1}·W_rec, backward G_{t+1}·W_recᵀ (0 when absent);  RECURRENT;  ACC_<param> (gradient wanted)
 * Forward sets S (S_t); backward reads dIn[i] (D_t) and sets G (G_t = ∂J_t). WGSL rounds like float32 but its
 * operations may fuse, so the webgpu backend matches the CPU kernels to the goldens' tolerance, not bit for bit.
 */
import type { Expr } from '../definitions/expr';
import type { NeuronDefinition } from '../definitions/neuronDefinition';
import { kernelSchedule, type ScheduleBlock } from './schedule';
import { SPIKE_ADJ } from './stepPlan';

const literal = (x: number): string => {
  const v = Math.fround(x);
  return `f32(${Object.is(v, -0) ? '-0.0' : Number.isInteger(v) ? `${v}.0` : `${v}`})`;
};

function ref(e: Expr): string {
  if (e.op === 'const') return literal(e.value);
  if (e.op === 'detach') return ref(e.a);
  return `v${e.id}`;
}

function statement(e: Expr, leaf: (e: Expr) => string): string {
  const r = ref;
  const let_ = (code: string) => `let v${e.id} = ${code};`;
  switch (e.op) {
    case 'const':
    case 'detach':
      return '';
    case 'state': case 'param': case 'scalar': case 'adj': case 'input': return leaf(e);
    case 'add': return let_(`${r(e.a)} + ${r(e.b)}`);
    case 'sub': return let_(`${r(e.a)} - ${r(e.b)}`);
    case 'mul': return let_(`${r(e.a)} * ${r(e.b)}`);
    case 'div': return let_(`${r(e.a)} / ${r(e.b)}`);
    case 'min': return let_(`min(${r(e.a)}, ${r(e.b)})`);
    case 'max': return let_(`max(${r(e.a)}, ${r(e.b)})`);
    case 'gt': return let_(`select(0.0, 1.0, ${r(e.a)} > ${r(e.b)})`);
    case 'neg': return let_(`-${r(e.a)}`);
    case 'abs': return let_(`abs(${r(e.a)})`);
    case 'exp': return let_(`exp(${r(e.a)})`);
    case 'sqrt': return let_(`sqrt(${r(e.a)})`);
    case 'cos': return let_(`cos_sin(${r(e.a)}).x`);
    case 'sin': return let_(`cos_sin(${r(e.a)}).y`);
    case 'spike': return let_(`select(0.0, 1.0, ${r(e.a)} > 0.0)`);
  }
}

const lines = (block: ScheduleBlock, leaf: (e: Expr) => string) => block.nodes.map((e) => statement(e, leaf)).filter(Boolean).join('\n    ');

export interface KindWgsl {
  /** Module-scope functions the statements call (for the kernels' preamble); '' when none. */
  functions: string;
  forward: string;
  backward: string;
}

/**
 * cos and sin to about an ulp on every adapter: the WGSL spec allows the builtins an absolute error of 2⁻¹¹ on
 * [−π, π] (SwiftShader's reach 2·10⁻⁴), enough to move spikes. Quadrant reduction by π/2 (Cody–Waite with
 * π/2 = 1.5703125 + 4.8382679…·10⁻⁴, the product exact for |k| < 2¹⁵), then Taylor polynomials on [−π/4, π/4]
 * (truncation below 3·10⁻⁸). Returns (cos x, sin x).
 */
const COS_SIN = `fn cos_sin(x: f32) -> vec2<f32> {
  let k = round(x * 0.63661977236758134);
  let r = (x - k * 1.5703125) - k * 4.8382679489661923e-4;
  let r2 = r * r;
  let s = r + r * r2 * (-0.16666666666666667 + r2 * (0.0083333333333333333 + r2 * (-1.9841269841269841e-4 + r2 * 2.7557319223985891e-6)));
  let c = 1.0 + r2 * (-0.5 + r2 * (0.041666666666666667 + r2 * (-0.0013888888888888889 + r2 * 2.4801587301587302e-5)));
  switch (i32(k) & 3) {
    case 0: { return vec2<f32>(c, s); }
    case 1: { return vec2<f32>(-s, c); }
    case 2: { return vec2<f32>(-c, -s); }
    default: { return vec2<f32>(s, -c); }
  }
}`;

const cache = new Map<NeuronDefinition, KindWgsl>();

export function kindWgsl(def: NeuronDefinition): KindWgsl {
  const hit = cache.get(def);
  if (hit) return hit;
  const s = kernelSchedule(def);
  const p = s.plan;
  const fLeaf = (e: Expr): string => {
    switch (e.op) {
      case 'state': return `let v${e.id} = st_${e.name}[k];\n    if (HAS_hist_${e.name}) { rec[OFF_hist_${e.name} + i] = v${e.id}; }`;
      case 'param': return `let v${e.id} = p[P_${e.name} + h];`;
      case 'scalar': return `let v${e.id} = SC_${e.name};`;
      case 'input': return p.needs.input ? `var v${e.id} = xw[i];\n    if (RECURRENT) { v${e.id} = v${e.id} + r; xw[i] = v${e.id}; }` : `let v${e.id} = xw[i] + r;`;
      default: throw new Error(`a forward step cannot read ${e.op}`);
    }
  };
  const bLeaf = (e: Expr): string => {
    switch (e.op) {
      case 'state': return `let v${e.id} = rec[OFF_hist_${e.name} + i];`;
      case 'param': return `let v${e.id} = p[P_${e.name} + h];`;
      case 'scalar': return `let v${e.id} = SC_${e.name};`;
      case 'input': return `let v${e.id} = xw[i];`;
      case 'adj': return e.name === SPIKE_ADJ ? `let v${e.id} = dIn[i] + r;` : `let v${e.id} = ga_${e.name}[k];`;
      default: throw new Error(`unexpected leaf ${e.op}`);
    }
  };
  const fw = p.forward;
  const bw = p.backward;
  const usesTrig = [...s.forward, ...s.backward].some((blk) => blk.nodes.some((e) => e.op === 'cos' || e.op === 'sin'));
  const out: KindWgsl = {
    functions: usesTrig ? COS_SIN : '',
    forward: `
    ${lines(s.forward[0], fLeaf)}
    ${p.records.map((r) => `if (HAS_r_${r}) { rec[OFF_r_${r} + i] = ${ref(fw.records[r])}; }`).join('\n    ')}
    ${p.states.map((x) => `st_${x}[k] = ${ref(fw.next[x])};`).join('\n    ')}
    S = ${ref(fw.spike)};`,
    backward: `
    ${lines(s.backward[0], bLeaf)}
    ${s.backward.slice(1).map((blk) => `if (ACC_${blk.guard}) {
      ${lines(blk, bLeaf)}
      acc_${blk.guard}[k] = acc_${blk.guard}[k] + ${ref(bw.param[blk.guard!]!)};
    }`).join('\n    ')}
    G = ${ref(bw.g)};
    ${p.states.map((x) => `ga_${x}[k] = ${ref(bw.state[x])};`).join('\n    ')}`,
  };
  cache.set(def, out);
  return out;
}
