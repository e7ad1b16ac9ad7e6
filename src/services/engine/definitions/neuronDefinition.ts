/**
 * A neuron kind as ONE definition: its states, its per-neuron parameters (how they are drawn, kept in range and
 * learned), the run's constants it reads, its surrogate gradient, and its discrete step written once as
 * expressions (expr.ts). Everything else is generated from it (codegen/): the JS twin and the WebAssembly SIMD
 * kernels of the fused CPU loop, the WGSL of the webgpu backend, the tfjs step, the backward pass of each by
 * reverse-mode differentiation of the step (codegen/stepPlan.ts), and the float64 evaluation the conformance
 * suite checks it all against. docs/neuron-definitions.md shows how to add one.
 *
 * The step maps the states before step t, the input current J_t and the parameters to the spike S_t, the states
 * after the step, and the records (values the probe and the golden files show, e.g. the membrane U_t). The
 * projections that make J_t (W_in, W_rec; delays later) are not the neuron's: the layer drivers own them.
 */
import type { NeuronKind, SpanKey, TrainConfig } from '../../../shared/config';
import { ExprBuilder, type Expr } from './expr';

export type NumericConfigKey = { [K in keyof TrainConfig]-?: TrainConfig[K] extends number ? K : never }[keyof TrainConfig];

export interface StateSpec {
  name: string;
  doc: string;
}

export interface ParamSpec {
  /** The name in the parameter vector and the session file (`layer{l}/<name>`). */
  name: string;
  doc: string;
  /**
   * How it is drawn and kept in range: a decay exp(−dt/τ) with τ uniform in a config span (clamped, when
   * learned, to the decays of [lo/2, 2·hi]-ish bounds, training/optimizer.ts), or a value uniform in a span.
   */
  init: { decayOf: SpanKey } | { span: SpanKey } | { range: { lo: number; hi: number } };
  /** Learned always, only with learnTau (the decays), or never (a user-defined neuron's fixed parameters). */
  learn: 'always' | 'withTau' | 'fixed';
  /** Clamped back into its span after every optimizer step when learned (default true; brf's are not). */
  clamp?: boolean;
}

export interface ScalarSpec {
  /** The name the step uses. */
  name: string;
  /** The config field it is read from… */
  config?: NumericConfigKey;
  /** …or its value (a user-defined neuron's constants). */
  value?: number;
  doc: string;
}

/** A surrogate gradient of the spike Θ(v). */
export interface Surrogate {
  name: string;
  doc: string;
  /** ∂L/∂v given the spike's adjoint g, as expressions (scalars by the definition's names). */
  grad(b: ExprBuilder, v: Expr, g: Expr): Expr;
  /**
   * A smooth stand-in for Θ whose derivative is exactly the surrogate, in float64, for the finite-difference
   * check of the derived backward (a spike's surrogate gradient is no derivative of the step function itself).
   * Without it the check integrates the surrogate numerically (codegen/f64Eval.ts).
   */
  smooth?(v: number, scalar: (name: string) => number): number;
}

export interface StepOutputs {
  spike: Expr;
  next: Record<string, Expr>;
  records: Record<string, Expr>;
}

export interface StepInputs {
  state: Record<string, Expr>;
  param: Record<string, Expr>;
  scalar: Record<string, Expr>;
  J: Expr;
}

export interface NeuronDefinitionSpec {
  kind: NeuronKind;
  title: string;
  /** The paper (and where its equations differ from this step, the reference's README wins; say so here). */
  paper: string;
  /** The step as equations, for the docs and the app. */
  equations: string;
  states: readonly StateSpec[];
  params: readonly ParamSpec[];
  scalars: readonly ScalarSpec[];
  surrogate: Surrogate;
  /** The record shown as the membrane potential, and (optionally) the one shown as the adaptation. */
  probe: { mem: string; adapt?: string };
  step(b: ExprBuilder, x: StepInputs): StepOutputs;
}

export interface NeuronDefinition extends NeuronDefinitionSpec {
  /** What its kernels are named by: the kind for a built-in one, the kind and a digest of its program for a custom one. */
  id: string;
  /** The step's graph, built once in the definition's own builder. */
  graph(): { builder: ExprBuilder; inputs: StepInputs; outputs: StepOutputs };
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Checks a definition's names and its step, and memoises its graph. */
export function defineNeuron(spec: NeuronDefinitionSpec, id: string = spec.kind): NeuronDefinition {
  const where = `neuron kind ${spec.kind}`;
  const names = new Set<string>();
  for (const n of [...spec.states.map((s) => s.name), ...spec.params.map((p) => p.name), ...spec.scalars.map((s) => s.name)]) {
    if (!NAME.test(n)) throw new Error(`${where}: "${n}" is not a name (letters, digits, _; a letter first)`);
    if (names.has(n)) throw new Error(`${where}: the name "${n}" is used twice`);
    names.add(n);
  }
  let built: ReturnType<NeuronDefinition['graph']> | null = null;
  const graph = () => {
    if (built) return built;
    const b = new ExprBuilder();
    const inputs: StepInputs = {
      state: Object.fromEntries(spec.states.map((s) => [s.name, b.leaf('state', s.name)])),
      param: Object.fromEntries(spec.params.map((p) => [p.name, b.leaf('param', p.name)])),
      scalar: Object.fromEntries(spec.scalars.map((s) => [s.name, b.leaf('scalar', s.name)])),
      J: b.input(),
    };
    const outputs = spec.step(b, inputs);
    if (outputs.spike.op !== 'spike') throw new Error(`${where}: the step's spike must be spike(…) of a value (its surrogate gives the gradient)`);
    for (const s of spec.states) if (!outputs.next[s.name]) throw new Error(`${where}: the step gives no next value of the state ${s.name}`);
    for (const k of Object.keys(outputs.next)) if (!spec.states.some((s) => s.name === k)) throw new Error(`${where}: the step updates ${k}, which is not a state`);
    for (const r of [spec.probe.mem, spec.probe.adapt]) if (r && !outputs.records[r]) throw new Error(`${where}: the probe shows the record ${r}, which the step does not give`);
    built = { builder: b, inputs, outputs };
    return built;
  };
  return { ...spec, id, graph };
}

/**
 * The fast-sigmoid surrogate σ'(v) = 1/(scale·|v| + 1)² (SuperSpike; Zenke & Ganguli 2018), as the reference
 * computes it: the adjoint divided by the squared denominator. Its primitive v/(scale·|v| + 1) is the smooth
 * stand-in.
 */
export const fastSigmoid: Surrogate = {
  name: 'fast sigmoid',
  doc: 'σ′(v) = 1/(scale·|v| + 1)²',
  grad: (b, v, g) => b.div(g, b.square(b.add(b.mul(b.leaf('scalar', 'scale'), b.abs(v)), 1))),
  smooth: (v, scalar) => v / (scalar('scale') * Math.abs(v) + 1),
};
