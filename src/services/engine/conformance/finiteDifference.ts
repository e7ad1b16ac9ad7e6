/**
 * The finite-difference check of a definition's derived backward, in float64, from the definition alone: a
 * rollout of the step over a few steps from random states, parameters and inputs, with the loss
 *
 *     L = Σ_t d_t·S_t + Σ_state c_state·state_T        (random d, c)
 *
 * differentiated two ways — by the derived backward (codegen/stepPlan.ts, evaluated in float64) and by central
 * differences — with respect to every parameter, every input J_t and every initial state. A surrogate gradient
 * is not the derivative of Θ, so the rollout differentiated numerically runs the surrogate's smooth stand-in in
 * place of Θ (its derivative is exactly the surrogate) and holds every detached value at the unperturbed run's.
 * It runs for every kind in the conformance suite, and (issue 25) on a user-defined kind before it trains.
 */
import { DEFAULT_CONFIG, decayOf, type TrainConfig } from '../../../shared/config';
import { SeededRandom } from '../../random/seededRandom';
import { scalarValues } from '../codegen/layerKernelPlan';
import { backwardStep, forwardStep, type ElementInputs } from '../codegen/f64Eval';
import { stepPlan } from '../codegen/stepPlan';
import { isDecay, paramSpan } from '../definitions';
import type { NeuronDefinition } from '../definitions/neuronDefinition';

export interface FdMismatch {
  /** What was perturbed: `param alpha`, `J_3`, `initial u`. */
  what: string;
  analytic: number;
  numeric: number;
}

export interface FdReport {
  kind: string;
  /** Derivatives compared. */
  checked: number;
  /** The largest |analytic − numeric| / max(1, |numeric|) seen. */
  worst: number;
  /** Those beyond the tolerance. */
  mismatches: FdMismatch[];
}

interface Problem {
  state0: Record<string, number>;
  param: Record<string, number>;
  scalar: Record<string, number>;
  J: number[];
  d: number[];
  c: Record<string, number>;
}

/** A random problem: parameters drawn as the engine draws them, states and inputs around the threshold. */
function drawProblem(def: NeuronDefinition, config: TrainConfig, steps: number, rng: SeededRandom): Problem {
  const plan = stepPlan(def);
  const theta = config.threshold;
  const param: Record<string, number> = {};
  for (const p of def.params) {
    const span = paramSpan(p, config);
    const x = span.lo + (span.hi - span.lo) * rng.next();
    param[p.name] = isDecay(p) ? decayOf(x, config.dtS) : x;
  }
  return {
    state0: Object.fromEntries(plan.states.map((s) => [s, theta * 0.6 * rng.normal()])),
    param,
    scalar: scalarValues(def, config),
    J: Array.from({ length: steps }, () => theta * (0.5 + rng.normal())),
    d: Array.from({ length: steps }, () => rng.normal()),
    c: Object.fromEntries(plan.states.map((s) => [s, rng.normal()])),
  };
}

/** The rollout's loss with smooth spikes; `frozen[t]` holds step t's detached values (recorded when absent). */
function loss(def: NeuronDefinition, p: Problem, frozen: Map<number, number>[]): number {
  let state = { ...p.state0 };
  let L = 0;
  for (let t = 0; t < p.J.length; t++) {
    const x: ElementInputs = { state, param: p.param, scalar: p.scalar, J: p.J[t] };
    const r = forwardStep(def, x, { smooth: true, frozen: frozen[t] });
    if (!frozen[t]) frozen[t] = r.detached;
    L += p.d[t] * r.spike;
    state = r.next;
  }
  for (const [s, c] of Object.entries(p.c)) L += c * state[s];
  return L;
}

/** The derived backward of the same loss: ∂L/∂(param, J_t, initial state). */
function analytic(def: NeuronDefinition, p: Problem): { param: Record<string, number>; J: number[]; state0: Record<string, number> } {
  const states: Record<string, number>[] = [{ ...p.state0 }];
  for (let t = 0; t < p.J.length; t++) states.push(forwardStep(def, { state: states[t], param: p.param, scalar: p.scalar, J: p.J[t] }, { smooth: true }).next);
  let adj = { ...p.c };
  const param = Object.fromEntries(def.params.map((x) => [x.name, 0]));
  const J = new Array<number>(p.J.length).fill(0);
  for (let t = p.J.length - 1; t >= 0; t--) {
    const r = backwardStep(def, { state: states[t], param: p.param, scalar: p.scalar, J: p.J[t], adj: { $spike: p.d[t], ...adj } }, { smooth: true });
    J[t] = r.g;
    for (const k of Object.keys(param)) param[k] += r.param[k];
    adj = r.state;
  }
  return { param, J, state0: adj };
}

export function finiteDifferenceCheck(
  def: NeuronDefinition,
  opts: { config?: TrainConfig; steps?: number; draws?: number; seed?: number; eps?: number; tolerance?: number } = {},
): FdReport {
  const config = opts.config ?? DEFAULT_CONFIG;
  const steps = opts.steps ?? 8;
  const eps = opts.eps ?? 1e-6;
  const tol = opts.tolerance ?? 1e-5;
  const rng = new SeededRandom(opts.seed ?? 7);
  const report: FdReport = { kind: def.kind, checked: 0, worst: 0, mismatches: [] };
  for (let draw = 0; draw < (opts.draws ?? 12); draw++) {
    const p = drawProblem(def, config, steps, rng);
    const frozen: Map<number, number>[] = [];
    loss(def, p, frozen);
    const a = analytic(def, p);
    const compare = (what: string, got: number, bump: (q: Problem, h: number) => Problem) => {
      const numeric = (loss(def, bump(p, eps), frozen) - loss(def, bump(p, -eps), frozen)) / (2 * eps);
      const err = Math.abs(got - numeric) / Math.max(1, Math.abs(numeric));
      report.checked++;
      report.worst = Math.max(report.worst, err);
      if (!(err <= tol)) report.mismatches.push({ what: `${what} (draw ${draw})`, analytic: got, numeric });
    };
    for (const name of Object.keys(p.param)) compare(`param ${name}`, a.param[name], (q, h) => ({ ...q, param: { ...q.param, [name]: q.param[name] + h } }));
    for (let t = 0; t < steps; t++) compare(`J_${t}`, a.J[t], (q, h) => ({ ...q, J: q.J.map((v, i) => (i === t ? v + h : v)) }));
    for (const name of Object.keys(p.state0)) compare(`initial ${name}`, a.state0[name], (q, h) => ({ ...q, state0: { ...q.state0, [name]: q.state0[name] + h } }));
  }
  return report;
}
