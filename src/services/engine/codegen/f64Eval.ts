/**
 * A definition's step and derived backward evaluated in float64, one element at a time: what the conformance
 * suite checks every backend's generated kernels against, and — with the spike replaced by the surrogate's
 * smooth stand-in and the detached values held fixed — what the finite-difference check of the derived
 * backward differentiates numerically.
 */
import { closure, type Expr } from '../definitions/expr';
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
      case 'const': r = e.value; break;
      case 'state': r = x.state[e.name]; break;
      case 'param': r = x.param[e.name]; break;
      case 'scalar': r = x.scalar[e.name]; break;
      case 'input': r = x.J; break;
      case 'adj': r = x.adj?.[e.name] ?? 0; break;
      case 'add': r = v(e.a) + v(e.b); break;
      case 'sub': r = v(e.a) - v(e.b); break;
      case 'mul': r = v(e.a) * v(e.b); break;
      case 'div': r = v(e.a) / v(e.b); break;
      case 'min': r = Math.min(v(e.a), v(e.b)); break;
      case 'max': r = Math.max(v(e.a), v(e.b)); break;
      case 'gt': r = v(e.a) > v(e.b) ? 1 : 0; break;
      case 'neg': r = -v(e.a); break;
      case 'abs': r = Math.abs(v(e.a)); break;
      case 'exp': r = Math.exp(v(e.a)); break;
      case 'sqrt': r = Math.sqrt(v(e.a)); break;
      case 'spike': r = opts.smooth ? plan.def.surrogate.smooth(v(e.a), scalar) : v(e.a) > 0 ? 1 : 0; break;
      case 'detach': r = opts.frozen?.get(e.id) ?? v(e.a); break;
    }
    val.set(e.id, r);
  }
  return val;
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
