/**
 * The order in which a generated kernel computes a step's nodes: each node once, operands first, in blocks —
 * the unconditional part, then one block per optional output (a parameter's gradient, computed only where the
 * caller wants it) holding the nodes only that output needs. Every backend's emitter walks the same schedule,
 * so the backends compute the same operations in the same order.
 */
import { closure, type Expr } from '../definitions/expr';
import { stepPlan, type StepPlan } from './stepPlan';
import type { NeuronDefinition } from '../definitions/neuronDefinition';

export interface ScheduleBlock {
  /** The optional output this block serves (a parameter's name), or null for the unconditional part. */
  guard: string | null;
  nodes: Expr[];
}

function blocks(main: Expr[], guarded: [string, Expr][]): ScheduleBlock[] {
  const first = closure(main);
  const done = new Set(first.map((e) => e.id));
  return [
    { guard: null, nodes: first },
    ...guarded.map(([guard, root]) => ({ guard, nodes: closure([root]).filter((e) => !done.has(e.id)) })),
  ];
}

export interface KernelSchedule {
  plan: StepPlan;
  forward: ScheduleBlock[];
  backward: ScheduleBlock[];
  /** The parameters with a gradient (a block each in the backward). */
  gradParams: string[];
}

export function kernelSchedule(def: NeuronDefinition): KernelSchedule {
  const plan = stepPlan(def);
  const f = plan.forward;
  const gradParams = plan.params.filter((p) => plan.backward.param[p] !== null);
  return {
    plan,
    forward: blocks([f.spike, ...Object.values(f.next), ...Object.values(f.records)], []),
    backward: blocks([plan.backward.g, ...Object.values(plan.backward.state)], gradParams.map((p) => [p, plan.backward.param[p]!])),
    gradParams,
  };
}

/** How many times each node is used as an operand within `nodes`. */
export function useCounts(nodes: Expr[]): Map<number, number> {
  const uses = new Map<number, number>();
  for (const e of nodes) for (const o of 'b' in e ? [e.a, e.b] : 'a' in e ? [e.a] : []) uses.set(o.id, (uses.get(o.id) ?? 0) + 1);
  return uses;
}
