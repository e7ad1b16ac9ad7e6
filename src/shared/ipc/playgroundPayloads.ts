/**
 * The validator of a playground run (`playground.run`): every field range-checked, one line each. The gate
 * (checkCall.ts) knows no kind's parameters, so it checks names and magnitudes; the service checks again with the
 * kinds' descriptions, which adds each parameter's range and what the kind reads.
 */
import { CONFIG_RANGES, NEURONS } from '../config';
import { customNeuronErrors } from '../customNeuron';
import { PLAYGROUND_LIMITS, PLAYGROUND_SHAPES, type NeuronDescription } from '../playground';
import { describeRange, outOfRange, type NumericRange } from '../ranges';
import { checkChoice, checkKeys, isRecord, join, short, type Problems } from './fieldChecks';

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_NAMES = 32;
/** The Poisson train's mean count per step, bounded where its draw stays exact. */
const MAX_SPIKES_PER_STEP = 30;
const { magnitude } = PLAYGROUND_LIMITS;
const ANY: NumericRange = { min: -magnitude, max: magnitude, integer: false };

function checkNumber(v: unknown, field: string, r: NumericRange, out: Problems): void {
  if (outOfRange(v, r)) out.push({ field, message: `${field} must be ${describeRange(r)} (got ${short(v)})` });
}

/** A record of numbers by name: at most 32 names, each a name, each value in `rangeOf(name)` (null: not allowed). */
function checkNamed(v: unknown, field: string, rangeOf: (name: string) => NumericRange | null, what: string, out: Problems): void {
  if (!isRecord(v)) {
    out.push({ field, message: `${field} must be an object of numbers by name (got ${short(v)})` });
    return;
  }
  const names = Object.keys(v);
  if (names.length > MAX_NAMES) {
    out.push({ field, message: `${field} has ${names.length} entries; at most ${MAX_NAMES}` });
    return;
  }
  for (const name of names) {
    const at = join(field, name);
    const r = NAME.test(name) ? rangeOf(name) : null;
    if (!r) out.push({ field: at, message: `${at}: "${name.slice(0, 40)}" is not ${what} of this neuron kind` });
    else checkNumber(v[name], at, r, out);
  }
}

// Own keys only: "constructor" is no config field.
const scalarRange = (name: string): NumericRange | null => (Object.hasOwn(CONFIG_RANGES, name) ? (CONFIG_RANGES as Record<string, NumericRange>)[name] : null);

function inputErrors(v: unknown, steps: number, out: Problems): void {
  if (!isRecord(v)) {
    out.push({ field: 'input', message: `input must be an object (got ${short(v)})` });
    return;
  }
  checkKeys(v, ['shape', 'amplitude', 'onsetStep', 'noiseStd', 'rateHz', 'seed'], 'input', out);
  checkChoice(v.shape, 'input.shape', PLAYGROUND_SHAPES, out);
  checkNumber(v.amplitude, 'input.amplitude', ANY, out);
  checkNumber(v.onsetStep, 'input.onsetStep', { min: 0, max: Math.max(0, steps - 1), integer: true }, out);
  checkNumber(v.noiseStd, 'input.noiseStd', { min: 0, max: magnitude, integer: false }, out);
  checkNumber(v.rateHz, 'input.rateHz', PLAYGROUND_LIMITS.rateHz, out);
  checkNumber(v.seed, 'input.seed', PLAYGROUND_LIMITS.seed, out);
}

function fiErrors(v: unknown, out: Problems): void {
  if (!isRecord(v)) {
    out.push({ field: 'fi', message: `fi must be an object (got ${short(v)})` });
    return;
  }
  checkKeys(v, ['minAmplitude', 'maxAmplitude', 'points'], 'fi', out);
  checkNumber(v.minAmplitude, 'fi.minAmplitude', ANY, out);
  checkNumber(v.maxAmplitude, 'fi.maxAmplitude', ANY, out);
  checkNumber(v.points, 'fi.points', PLAYGROUND_LIMITS.fiPoints, out);
  if (typeof v.minAmplitude === 'number' && typeof v.maxAmplitude === 'number' && !(v.minAmplitude < v.maxAmplitude)) {
    out.push({ field: 'fi.maxAmplitude', message: `fi.maxAmplitude must be above fi.minAmplitude (got ${v.minAmplitude} to ${v.maxAmplitude})` });
  }
}

/** A user-defined neuron's program (`playground.kinds`' argument, a request's `custom`): each problem in one line under `field`. */
export function customProgramErrors(v: unknown, field = 'custom'): Problems {
  return customNeuronErrors(v).map((m) => ({ field, message: `${field}: ${m}` }));
}

/**
 * The problems of a playground request. With `kinds` (the services' descriptions), each parameter is checked
 * against its kind's range and every one must be given, and only the kind's own run constants may be set.
 */
export function playgroundRequestErrors(v: unknown, kinds?: readonly NeuronDescription[]): Problems {
  if (!isRecord(v)) return [{ field: 'request', message: `the playground request must be an object (got ${short(v)})` }];
  const out: Problems = [];
  checkKeys(v, ['neuron', 'custom', 'params', 'scalars', 'dtS', 'steps', 'input', 'fi'], '', out);
  const names = kinds ? kinds.map((k) => k.kind) : NEURONS;
  // The user-defined neuron's program travels with the request (the kind list does not hold it without one).
  if (v.custom !== undefined) {
    if (v.neuron !== 'custom') out.push({ field: 'custom', message: `custom is the program of neuron "custom" (got neuron ${short(v.neuron)})` });
    else out.push(...customProgramErrors(v.custom));
  } else if (v.neuron === 'custom') out.push({ field: 'custom', message: 'neuron "custom" needs its program: custom (name, source, surrogate)' });
  if (!(v.neuron === 'custom' && out.some((p) => p.field === 'custom'))) checkChoice(v.neuron, 'neuron', names, out);
  const kind = kinds?.find((k) => k.kind === v.neuron);
  // Without the kind (at the gate, or a kind refused above) only names and magnitudes can be checked.
  const paramRange = (name: string): NumericRange | null => (kind ? (kind.params.find((p) => p.name === name)?.range ?? null) : ANY);
  checkNamed(v.params, 'params', paramRange, 'a parameter', out);
  if (kind && isRecord(v.params)) {
    for (const p of kind.params) if (!(p.name in v.params)) out.push({ field: join('params', p.name), message: `params.${p.name} is missing (${kind.kind}: ${p.doc})` });
  }
  const scalarOf = (name: string): NumericRange | null => (kind && !kind.scalars.some((s) => s.config === name) ? null : scalarRange(name));
  checkNamed(v.scalars, 'scalars', scalarOf, 'a run constant', out);
  checkNumber(v.dtS, 'dtS', CONFIG_RANGES.dtS, out);
  checkNumber(v.steps, 'steps', PLAYGROUND_LIMITS.steps, out);
  // The onset is checked against the run's length only when that is valid (one problem, one line).
  inputErrors(v.input, outOfRange(v.steps, PLAYGROUND_LIMITS.steps) ? PLAYGROUND_LIMITS.steps.max : (v.steps as number), out);
  fiErrors(v.fi, out);
  const rateHz = isRecord(v.input) ? v.input.rateHz : undefined;
  if (!outOfRange(rateHz, PLAYGROUND_LIMITS.rateHz) && !outOfRange(v.dtS, CONFIG_RANGES.dtS) && (rateHz as number) * (v.dtS as number) > MAX_SPIKES_PER_STEP) {
    out.push({ field: 'input.rateHz', message: `input.rateHz × dtS must be at most ${MAX_SPIKES_PER_STEP} input spikes per step (got ${String(rateHz)} Hz × ${String(v.dtS)} s)` });
  }
  return out;
}
