/**
 * The options a sweep built on the Sweeps tab can vary, in the form's units and with the form's ranges: a person
 * types τ in milliseconds there as on Data & model, and a value the form would refuse is refused here with the
 * same range. The spec holds what `train` takes (its flags, times in seconds): values are converted once, when
 * typed text becomes the spec, and back once, when a task's value is shown.
 */
import { LAYER_RANGES, NEURONS, READOUTS, type NumericRange } from '../../../shared/config';
import type { FlagValue } from '../../../shared/sweep';
import { displayRange, fieldFor, type NumberField, type SpanField } from './formFields';
import { msToSeconds, secondsToMs } from './units';

type Kind = 'number' | 'span' | 'choice' | 'bool';

export interface SweepField {
  /** train's flag, without its dashes. */
  flag: string;
  label: string;
  kind: Kind;
  /** 'ms' where the form shows milliseconds and train takes seconds; '' otherwise. */
  unit: string;
  /** Allowed values in the form's units (number and span). */
  range?: NumericRange;
  options?: readonly string[];
}

/** A field of the form (formFields.ts) as a sweep field: its label, unit and range. */
function fromForm(flag: string, key: string): SweepField {
  const f = fieldFor(key) as NumberField | SpanField;
  return { flag, label: f.label, kind: f.kind === 'span' ? 'span' : 'number', unit: f.unit === 'ms' ? 'ms' : '', range: displayRange(f) };
}

/** Flags the builder offers; others go into a spec file for the CLI. */
export const SWEEP_FIELDS: readonly SweepField[] = [
  fromForm('lr', 'learningRate'),
  fromForm('seed', 'seed'),
  { flag: 'hidden', label: 'Neurons per layer', kind: 'number', unit: '', range: LAYER_RANGES.size },
  fromForm('tau-mem', 'tauMemS'),
  fromForm('tau-syn', 'tauSynS'),
  fromForm('tau-adapt', 'tauAdaptS'),
  { flag: 'dropout', label: 'Dropout', kind: 'number', unit: '', range: LAYER_RANGES.dropout },
  fromForm('batch', 'batchSize'),
  fromForm('epochs', 'epochs'),
  fromForm('weight-decay', 'weightDecay'),
  fromForm('reg-l1', 'regL1'),
  fromForm('reg-l2', 'regL2'),
  fromForm('surrogate-scale', 'surrogateScale'),
  fromForm('weight-scale', 'weightScale'),
  fromForm('nb-steps', 'nbSteps'),
  fromForm('pool', 'pool'),
  // The delays' maxima for every layer (a list per layer, `25,0`, goes into a spec file: commas separate values here).
  fromForm('rec-delay-max', 'recDelayMax'),
  fromForm('ff-delay-max', 'ffDelayMax'),
  fromForm('delay-sigma', 'delaySigma'),
  { flag: 'neuron', label: 'Neuron', kind: 'choice', unit: '', options: NEURONS },
  { flag: 'readout', label: 'Readout', kind: 'choice', unit: '', options: READOUTS },
  { flag: 'learn-tau', label: 'Learn τ', kind: 'bool', unit: '', options: ['true', 'false'] },
];

export function sweepField(flag: string): SweepField | undefined {
  return SWEEP_FIELDS.find((f) => f.flag === flag);
}

/** "τ_mem (ms)", "Learning rate": how a field is named in the builder and the tables. */
export function fieldTitle(f: SweepField): string {
  return f.unit ? `${f.label} (${f.unit})` : f.label;
}

/** "> 0 ms and ≤ 10000 ms, whole number": the range as the form words it. */
function rangeText(f: SweepField, r: NumericRange): string {
  const u = f.unit ? ` ${f.unit}` : '';
  const lo = r.minExclusive ? `> ${r.min}${u}` : `≥ ${r.min}${u}`;
  const hi = r.max === undefined ? '' : ` and ${r.maxExclusive ? '<' : '≤'} ${r.max}${u}`;
  return `${lo}${hi}${r.integer ? ', whole number' : ''}`;
}

/** One number typed in the form's units, checked against the range; the error names the entry. */
function checkedNumber(f: SweepField, text: string): number | string {
  const x = Number(text);
  const r = f.range!;
  if (text === '' || !Number.isFinite(x)) return `${f.label}: "${text}" is not a number`;
  if (r.integer && !Number.isInteger(x)) return `${f.label}: "${text}" is not a whole number`;
  const below = r.minExclusive ? x <= r.min : x < r.min;
  const above = r.max !== undefined && (r.maxExclusive ? x >= r.max : x > r.max);
  if (below || above) return `${f.label}: "${text}" must be ${rangeText(f, r)}`;
  return x;
}

const toTrain = (f: SweepField, x: number) => (f.unit === 'ms' ? msToSeconds(x) : x);
const fromTrain = (f: SweepField, x: number) => (f.unit === 'ms' ? secondsToMs(x) : x);

/** One typed entry as the value train takes, or the error. */
function parseEntry(f: SweepField, p: string): FlagValue | { error: string } {
  switch (f.kind) {
    case 'bool':
      return p === 'true' || p === 'false' ? p === 'true' : { error: `${f.label}: "${p}" is not true or false` };
    case 'choice':
      return f.options!.includes(p) ? p : { error: `${f.label}: "${p}" is not one of ${f.options!.join(', ')}` };
    case 'number': {
      const x = checkedNumber(f, p);
      return typeof x === 'string' ? { error: x } : toTrain(f, x);
    }
    case 'span': {
      // V or LO:HI, as the form takes a span; train takes the same notation in its own units.
      const ends = p.split(':').map((s) => s.trim());
      if (ends.length > 2) return { error: `${f.label}: "${p}" is not V or LO:HI` };
      const xs: number[] = [];
      for (const e of ends) {
        const x = checkedNumber(f, e);
        if (typeof x === 'string') return { error: x };
        xs.push(x);
      }
      if (xs.length === 2 && xs[0] > xs[1]) return { error: `${f.label}: "${p}" has its upper end below its lower end` };
      // "10:10" is the span "10" (and then a repeat of it).
      return [...new Set(xs)].map((x) => toTrain(f, x)).join(':');
    }
  }
}

/** "10, 20" (τ in ms) → ["0.01", "0.02"] as train takes them; the error names the field and the bad entry. */
export function parseValues(flag: string, text: string): { values: FlagValue[] } | { error: string } {
  const f = sweepField(flag);
  if (!f) return { error: `${flag}: not a field the builder varies` };
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return { error: `${f.label}: give one or more values, separated by commas` };
  const values: FlagValue[] = [];
  for (const p of parts) {
    const v = parseEntry(f, p);
    if (typeof v === 'object') return v;
    values.push(v);
  }
  if (new Set(values.map(String)).size !== values.length) return { error: `${f.label}: a value is repeated` };
  return { values };
}

/** A task's value of `flag` (train's units) as the form shows it: 0.01 s of τ_mem is "10", "0.005:0.025" is "5:25". */
export function displayValue(flag: string, value: FlagValue | undefined): string {
  if (value === undefined) return '—';
  const f = sweepField(flag);
  if (!f || f.unit !== 'ms') return String(value);
  const ends = String(value).split(':').map(Number);
  if (!ends.every(Number.isFinite)) return String(value);
  return ends.map((x) => String(fromTrain(f, x))).join(':');
}

/** A varied flag's value (train's units) as a number for plotting, in the form's units; null for text. */
export function displayNumber(flag: string, value: FlagValue | undefined): number | null {
  const shown = Number(displayValue(flag, value));
  const given = typeof value === 'number' || (typeof value === 'string' && value.trim() !== '');
  return given && Number.isFinite(shown) ? shown : null;
}

/** A column's heading for a varied flag: the flag (what the CLI and the sweep folder name it) and its unit. */
export function columnTitle(flag: string): string {
  const f = sweepField(flag);
  return f?.unit ? `${flag} (${f.unit})` : flag;
}

/** What to type into a field's values: "10, 20 or 5:25 (ms)", "lif, adlif". */
export function valuesHint(f: SweepField): string {
  switch (f.kind) {
    case 'bool':
    case 'choice':
      return f.options!.join(', ');
    case 'span':
      return `values in ${f.unit || 'its units'}, V or LO:HI, separated by commas`;
    case 'number':
      return `values${f.unit ? ` in ${f.unit}` : ''}, separated by commas`;
  }
}
