/**
 * Every neuron kind as the playground and the app show it, read from its definition (definitions/index.ts): states,
 * parameters with their spans and ranges, run constants, records, probe, equations and paper. A kind added to
 * NEURON_DEFINITIONS appears here without a line of its own; a user-defined neuron is described from the definition
 * its program makes (customKind.ts): its parameters with the ranges the program declares, its constants as values.
 */
import { DEFAULT_CONFIG, SPAN_RANGES, CONFIG_RANGES, decayOf } from '../../shared/config';
import { customNeuronErrors, type CustomNeuronSpec } from '../../shared/customNeuron';
import type { NeuronDescription, NeuronParamDescription, NeuronScalarDescription } from '../../shared/playground';
import type { NumericRange } from '../../shared/ranges';
import { NEURON_DEFINITIONS, isDecay, paramSpan } from '../engine/definitions';
import { customDefinition } from '../engine/definitions/customKind';
import type { NeuronDefinition, ParamSpec, ScalarSpec } from '../engine/definitions/neuronDefinition';
import { stepPlan } from '../engine/codegen/stepPlan';
import { runNeurons } from './neuronRun';

/** The value of every parameter at the middle of its default span, as the step reads it (decays as factors). */
export function defaultParamValues(def: NeuronDefinition, dtS: number): Record<string, number> {
  return Object.fromEntries(
    def.params.map((p) => {
      const s = paramSpan(p, DEFAULT_CONFIG);
      const mid = (s.lo + s.hi) / 2;
      return [p.name, isDecay(p) ? decayOf(mid, dtS) : mid];
    }),
  );
}

/** The value of a run constant: from the config field it reads (the default config's when not given), or its own. */
export function scalarValue(s: ScalarSpec, byConfig: Record<string, number> = {}): number {
  if (s.config === undefined) return s.value!;
  return byConfig[s.config] ?? DEFAULT_CONFIG[s.config];
}

/** The run constants of the default config, by the step's names. */
export function defaultScalarValues(def: NeuronDefinition): Record<string, number> {
  return Object.fromEntries(def.scalars.map((s) => [s.name, scalarValue(s)]));
}

/** The grid the firing current is looked for on: 10^(k/4) for k = −16 … 12. */
export const FIRING_GRID = Array.from({ length: 29 }, (_, k) => 10 ** ((k - 16) / 4));
const FIRING_STEPS = 1000;

/** The smallest grid current that makes a default neuron fire within 1000 steps of 1 ms (one batch, one neuron per current). */
export function firingCurrent(def: NeuronDefinition): number | null {
  const dtS = 1e-3;
  const run = runNeurons(def, {
    params: defaultParamValues(def, dtS),
    scalars: defaultScalarValues(def),
    n: FIRING_GRID.length,
    steps: FIRING_STEPS,
    drive: (_t, J) => J.set(FIRING_GRID),
    traced: 0,
  });
  const k = run.counts.findIndex((c) => c > 0);
  return k < 0 ? null : FIRING_GRID[k];
}

function configRange(def: NeuronDefinition, key: string): NumericRange {
  const r = (CONFIG_RANGES as Record<string, NumericRange | undefined>)[key];
  if (!r) throw new Error(`neuron kind ${def.kind}: its run constant reads the config field ${key}, which has no range in CONFIG_RANGES`);
  return { ...r };
}

function describeParam(p: ParamSpec): NeuronParamDescription {
  const s = paramSpan(p, DEFAULT_CONFIG);
  // A user-defined neuron's parameter: its own range, which training keeps it in (the optimizer clamps to it).
  if ('range' in p.init) return { name: p.name, doc: p.doc, decay: false, span: null, defaultSpan: { lo: s.lo, hi: s.hi }, range: { min: s.lo, max: s.hi, integer: false }, unit: null };
  const span = 'decayOf' in p.init ? p.init.decayOf : p.init.span;
  return { name: p.name, doc: p.doc, decay: isDecay(p), span, defaultSpan: { lo: s.lo, hi: s.hi }, range: { ...SPAN_RANGES[span] }, unit: isDecay(p) ? 's' : null };
}

function describeScalar(def: NeuronDefinition, s: ScalarSpec): NeuronScalarDescription {
  if (s.config === undefined) return { name: s.name, config: null, doc: s.doc, default: s.value!, range: { min: s.value!, max: s.value!, integer: false } };
  return { name: s.name, config: s.config, doc: s.doc, default: DEFAULT_CONFIG[s.config], range: configRange(def, s.config) };
}

const cache = new Map<NeuronDefinition, NeuronDescription>();

export function describeNeuron(def: NeuronDefinition): NeuronDescription {
  const known = cache.get(def);
  if (known) return known;
  const d: NeuronDescription = {
    kind: def.kind,
    title: def.title,
    paper: def.paper,
    equations: def.equations,
    states: def.states.map((s) => ({ name: s.name, doc: s.doc })),
    params: def.params.map(describeParam),
    scalars: def.scalars.map((s) => describeScalar(def, s)),
    records: stepPlan(def).records,
    probe: { ...def.probe },
    surrogate: { name: def.surrogate.name, doc: def.surrogate.doc },
    firingCurrent: firingCurrent(def),
  };
  cache.set(def, d);
  return d;
}

/** The definition of a user-defined neuron's program, refused in one line when the program has a mistake. */
export function customNeuronDefinition(spec: CustomNeuronSpec): NeuronDefinition {
  const problems = customNeuronErrors(spec);
  if (problems.length) throw new Error(`the custom neuron: ${problems.join('; ')}`);
  return customDefinition(spec);
}

/** The built-in kinds, and after them the user-defined neuron of `custom` when given (its description carries the program). */
export function neuronDescriptions(custom?: CustomNeuronSpec | null): NeuronDescription[] {
  const builtIn = Object.values(NEURON_DEFINITIONS).map(describeNeuron);
  if (!custom) return builtIn;
  return [...builtIn, { ...describeNeuron(customNeuronDefinition(custom)), custom: { ...custom } }];
}
