/**
 * A definition's step and derived backward evaluated in float64, one element at a time: what the conformance
 * suite checks every backend's generated kernels against, and — with the spike replaced by the surrogate's
 * smooth stand-in and the detached values held fixed — what the finite-difference check of the derived
 * backward differentiates numerically.
 */
import { closure, ExprBuilder, type Expr } from '../definitions/expr';
import { stepPlan, type StepPlan } from './stepPlan';
import type { NeuronDefinition } from '../definitions/neuronDefinition';

export interface ElementInputs {
  state: Record<string, number>;
  param: Record<string, number>;
  scalar: Record<string, number>;
  J: number;
  /** The adjoints arriving from after the step (backward only): '$spike' and each state's name. */
  adj?: Record<string, number>;
}

export interface EvalOptions {
  /** Θ replaced by the surrogate's smooth stand-in (for finite differences). */
  smooth?: boolean;
  /** Values of detach nodes to use instead of their operands' (held at the unperturbed point's values). */
  frozen?: Map<number, number>;
}

export function evaluate(plan: StepPlan, roots: Expr[], x: ElementInputs, opts: EvalOptions = {}): Map<number, number> {
  const val = new Map<number, number>();
  const scalar = (name: string) => x.scalar[name];
  for (const e of closure(roots)) {
    const v = (o: Expr) => val.get(o.id)!;
    let r: number;
    switch (e.op) {
      case 'state': r = x.state[e.name]; break;
      case 'param': r = x.param[e.name]; break;
      case 'input': r = x.J; break;
      case 'adj': r = x.adj?.[e.name] ?? 0; break;
      case 'spike': r = opts.smooth ? smoothSpike(plan.def, v(e.a), x.scalar) : v(e.a) > 0 ? 1 : 0; break;
      case 'detach': r = opts.frozen?.get(e.id) ?? v(e.a); break;
      default: r = apply(e, v, x.scalar);
    }
    val.set(e.id, r);
  }
  return val;
}

/** A constant, scalar or arithmetic node's value given its operands' (`v`). */
function apply(e: Expr, v: (o: Expr) => number, scalar: Record<string, number>): number {
  switch (e.op) {
    case 'const': return e.value;
    case 'scalar': return scalar[e.name];
    case 'add': return v(e.a) + v(e.b);
    case 'sub': return v(e.a) - v(e.b);
    case 'mul': return v(e.a) * v(e.b);
    case 'div': return v(e.a) / v(e.b);
    case 'min': return Math.min(v(e.a), v(e.b));
    case 'max': return Math.max(v(e.a), v(e.b));
    case 'gt': return v(e.a) > v(e.b) ? 1 : 0;
    case 'neg': return -v(e.a);
    case 'abs': return Math.abs(v(e.a));
    case 'exp': return Math.exp(v(e.a));
    case 'sqrt': return Math.sqrt(v(e.a));
    case 'cos': return Math.cos(v(e.a));
    case 'sin': return Math.sin(v(e.a));
    case 'spike': return v(e.a) > 0 ? 1 : 0;
    case 'detach': return v(e.a);
    default: throw new Error(`no value for a ${e.op} leaf here`);
  }
}

/** The surrogate σ′(v) in float64, from its expressions (the adjoint 1). */
export function surrogateAt(def: NeuronDefinition, v: number, scalar: Record<string, number>): number {
  let g = surrogateGraphs.get(def);
  if (!g) {
    const b = new ExprBuilder();
    const [vLeaf, gLeaf] = [b.leaf('adj', '$v'), b.leaf('adj', '$g')];
    const out = def.surrogate.grad(b, vLeaf, gLeaf);
    g = { nodes: closure([out]), out, vLeaf };
    surrogateGraphs.set(def, g);
  }
  const { nodes, out, vLeaf } = g;
  const val = new Map<number, number>();
  for (const e of nodes) val.set(e.id, e === vLeaf ? v : e.op === 'adj' ? 1 : apply(e, (o) => val.get(o.id)!, scalar));
  return val.get(out.id)!;
}

const surrogateGraphs = new Map<NeuronDefinition, { nodes: Expr[]; out: Expr; vLeaf: Expr }>();

/** 10-point Gauss–Legendre nodes and weights on [−1, 1]. */
const GL_X = [0.1488743389816312, 0.4333953941292472, 0.6794095682990244, 0.8650633666889845, 0.9739065285171717];
const GL_W = [0.2955242247147529, 0.2692667193099963, 0.219086362515982, 0.1494513491505806, 0.0666713443086881];

/**
 * The smooth stand-in for Θ at v: the surrogate's own primitive where it has one, else ∫₀^v σ′ by Gauss–Legendre
 * quadrature on pieces of width ≤ 1/8 (smooth surrogates are integrated to float64 precision).
 */
export function smoothSpike(def: NeuronDefinition, v: number, scalar: Record<string, number>): number {
  if (def.surrogate.smooth) return def.surrogate.smooth(v, (name) => scalar[name]);
  const pieces = Math.max(1, Math.ceil(Math.abs(v) * 8));
  const h = v / pieces;
  let sum = 0;
  for (let k = 0; k < pieces; k++) {
    const mid = (k + 0.5) * h;
    for (let q = 0; q < GL_X.length; q++) {
      sum += GL_W[q] * (surrogateAt(def, mid + 0.5 * h * GL_X[q], scalar) + surrogateAt(def, mid - 0.5 * h * GL_X[q], scalar));
    }
  }
  return 0.5 * h * sum;
}

export interface StepResult {
  spike: number;
  next: Record<string, number>;
  records: Record<string, number>;
  /** The value of every detach node (to freeze them in perturbed runs). */
  detached: Map<number, number>;
}

export function forwardStep(def: NeuronDefinition, x: ElementInputs, opts: EvalOptions = {}): StepResult {
  const plan = stepPlan(def);
  const f = plan.forward;
  const val = evaluate(plan, [f.spike, ...Object.values(f.next), ...Object.values(f.records)], x, opts);
  const detached = new Map<number, number>();
  for (const e of closure([f.spike, ...Object.values(f.next)])) if (e.op === 'detach') detached.set(e.id, val.get(e.id)!);
  return {
    spike: val.get(f.spike.id)!,
    next: Object.fromEntries(plan.states.map((s) => [s, val.get(f.next[s].id)!])),
    records: Object.fromEntries(plan.records.map((r) => [r, val.get(f.records[r].id)!])),
    detached,
  };
}

export interface BackwardResult {
  g: number;
  state: Record<string, number>;
  param: Record<string, number>;
}

/** The backward of one step (with `smooth`, the spikes it recomputes are the stand-in's values, as in the forward it differentiates). */
export function backwardStep(def: NeuronDefinition, x: ElementInputs, opts: EvalOptions = {}): BackwardResult {
  const plan = stepPlan(def);
  const bw = plan.backward;
  const roots = [bw.g, ...Object.values(bw.state), ...Object.values(bw.param).filter((e): e is Expr => e !== null)];
  const val = evaluate(plan, roots, x, opts);
  return {
    g: val.get(bw.g.id)!,
    state: Object.fromEntries(plan.states.map((s) => [s, val.get(bw.state[s].id)!])),
    param: Object.fromEntries(plan.params.map((p) => [p, bw.param[p] ? val.get(bw.param[p]!.id)! : 0])),
  };
}
