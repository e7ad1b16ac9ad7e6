/**
 * What every backend's kernels are generated from: a definition's forward step and its backward, derived by
 * reverse-mode differentiation of the step's expressions (the spike by the definition's surrogate, detach and
 * comparisons by 0), in the definition's builder so that forward and backward share subexpressions.
 *
 * The backward of step t runs on the states BEFORE step t (kept by the forward pass where the backward needs
 * them) and J_t, recomputes what it needs of the step, and maps the adjoints arriving from after the step — of
 * the spike S_t (D_t + G_{t+1}·W_recᵀ, adj('$spike')) and of each state's next value (adj(name)) — to
 *   G_t = ∂L/∂J_t, the adjoint of each state before the step, and each parameter's gradient contribution.
 */
import { closure, isConst, type Expr, type ExprBuilder } from '../definitions/expr';
import type { NeuronDefinition } from '../definitions/neuronDefinition';

export const SPIKE_ADJ = '$spike';

export interface StepPlan {
  def: NeuronDefinition;
  b: ExprBuilder;
  states: string[];
  params: string[];
  scalars: string[];
  records: string[];
  forward: { spike: Expr; next: Record<string, Expr>; records: Record<string, Expr> };
  backward: {
    /** G_t = ∂L/∂J_t. */
    g: Expr;
    /** The adjoint of each state before the step. */
    state: Record<string, Expr>;
    /** Each parameter's gradient contribution of this step and element, or null when it has none. */
    param: Record<string, Expr | null>;
  };
  /** The states whose values before each step the backward reads: always, and for each parameter's gradient. */
  needs: { states: Set<string>; byParam: Record<string, Set<string>>; input: boolean };
}

/** adj[x] += contribution, for the reverse sweep. */
function differentiate(b: ExprBuilder, def: NeuronDefinition, outputs: { spike: Expr; next: Record<string, Expr> }): Map<number, Expr> {
  const adj = new Map<number, Expr>();
  const push = (e: Expr, g: Expr | null) => {
    if (!g || isConst(g, 0)) return;
    const have = adj.get(e.id) ?? null;
    // x + (−y) as x − y: the same value, one operation fewer.
    adj.set(e.id, have && g.op === 'neg' ? b.sub(have, g.a) : b.sum(have, g));
  };
  push(outputs.spike, b.leaf('adj', SPIKE_ADJ));
  for (const [name, e] of Object.entries(outputs.next)) push(e, b.leaf('adj', name));
  const nodes = closure([outputs.spike, ...Object.values(outputs.next)]);
  for (let q = nodes.length - 1; q >= 0; q--) {
    const e = nodes[q];
    const g = adj.get(e.id);
    if (!g) continue;
    switch (e.op) {
      case 'add':
        push(e.a, g);
        push(e.b, g);
        break;
      case 'sub':
        push(e.a, g);
        push(e.b, b.neg(g));
        break;
      case 'mul':
        push(e.a, b.prod(g, e.b));
        push(e.b, b.prod(g, e.a));
        break;
      case 'div':
        push(e.a, b.div(g, e.b));
        // ∂(a/b)/∂b = −(a/b)/b
        push(e.b, b.neg(b.div(b.mul(g, e), e.b)));
        break;
      case 'min':
      case 'max': {
        // The operand that is taken gets the adjoint (the first on a tie).
        const bTaken = e.op === 'min' ? b.gt(e.a, e.b) : b.gt(e.b, e.a);
        push(e.a, b.prod(g, b.sub(1, bTaken)));
        push(e.b, b.prod(g, bTaken));
        break;
      }
      case 'neg':
        push(e.a, b.neg(g));
        break;
      case 'abs':
        push(e.a, b.mul(g, b.sub(b.gt(e.a, 0), b.gt(0, e.a))));
        break;
      case 'exp':
        push(e.a, b.mul(g, e));
        break;
      case 'sqrt':
        push(e.a, b.div(g, b.mul(2, e)));
        break;
      case 'cos':
        push(e.a, b.neg(b.mul(g, b.sin(e.a))));
        break;
      case 'sin':
        push(e.a, b.mul(g, b.cos(e.a)));
        break;
      case 'spike':
        push(e.a, def.surrogate.grad(b, e.a, g));
        break;
      default:
        // detach, gt and the leaves pass nothing on.
        break;
    }
  }
  return adj;
}

const plans = new Map<NeuronDefinition, StepPlan>();

export function stepPlan(def: NeuronDefinition): StepPlan {
  const cached = plans.get(def);
  if (cached) return cached;
  const { builder: b, inputs, outputs } = def.graph();
  const adj = differentiate(b, def, outputs);
  const zero = b.c(0);
  const of = (e: Expr) => adj.get(e.id) ?? zero;
  const backward = {
    g: of(inputs.J),
    state: Object.fromEntries(def.states.map((s) => [s.name, of(inputs.state[s.name])])),
    param: Object.fromEntries(def.params.map((p) => [p.name, adj.get(inputs.param[p.name].id) ?? null])),
  };
  const leavesOf = (roots: Expr[]) => {
    const states = new Set<string>();
    let input = false;
    for (const e of closure(roots)) {
      if (e.op === 'state') states.add(e.name);
      if (e.op === 'input') input = true;
    }
    return { states, input };
  };
  const base = leavesOf([backward.g, ...Object.values(backward.state)]);
  const byParam: Record<string, Set<string>> = {};
  let input = base.input;
  for (const [name, e] of Object.entries(backward.param)) {
    const l = leavesOf(e ? [e] : []);
    byParam[name] = l.states;
    input ||= l.input;
  }
  const plan: StepPlan = {
    def,
    b,
    states: def.states.map((s) => s.name),
    params: def.params.map((p) => p.name),
    scalars: def.scalars.map((s) => s.name),
    records: Object.keys(outputs.records),
    forward: outputs,
    backward,
    needs: { states: base.states, byParam, input },
  };
  plans.set(def, plan);
  return plan;
}

/** The states the forward pass must keep for a backward pass that computes the gradients of `params`. */
export function keptStates(plan: StepPlan, params: Iterable<string>): string[] {
  const keep = new Set(plan.needs.states);
  for (const p of params) for (const s of plan.needs.byParam[p] ?? []) keep.add(s);
  return plan.states.filter((s) => keep.has(s));
}
