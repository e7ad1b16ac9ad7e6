/**
 * How each TrainConfig option appears in the hyperparameter form: label, unit, group, and the conversion
 * between what the user types and what the config stores (milliseconds in the form, seconds in the config).
 * Ranges come from CONFIG_RANGES and errors from configErrors, so the form never disagrees with the
 * validator that IPC, the CLI and session files use.
 */
import {
  BINNINGS,
  CONFIG_RANGES,
  configErrors,
  OPTIMIZERS,
  READOUTS,
  type NumericRange,
  type TrainConfig,
} from '../../../shared/config';
import { msToSeconds, secondsToMs } from './units';

export type NumericKey = keyof typeof CONFIG_RANGES;
export type ChoiceKey = 'binning' | 'readout' | 'optimizer';

interface FieldBase {
  label: string;
  /** One line on what the option does, shown as the input's description. */
  help: string;
  group: FieldGroup;
}
export interface NumberField extends FieldBase {
  kind: 'number';
  key: NumericKey;
  /** Unit shown beside the input. */
  unit: string;
  /** Stored seconds, shown milliseconds. */
  ms: boolean;
}
export interface ChoiceField extends FieldBase {
  kind: 'choice';
  key: ChoiceKey;
  options: readonly string[];
}
export interface BooleanField extends FieldBase {
  kind: 'boolean';
  key: 'recurrent';
}
export type FormField = NumberField | ChoiceField | BooleanField;
export type FieldGroup = 'Network' | 'Neuron' | 'Input' | 'Training';
export const FIELD_GROUPS: readonly FieldGroup[] = ['Network', 'Neuron', 'Input', 'Training'];

const num = (key: NumericKey, label: string, unit: string, group: FieldGroup, help: string, ms = false): NumberField => ({
  kind: 'number',
  key,
  label,
  unit,
  group,
  help,
  ms,
});

export const FORM_FIELDS: readonly FormField[] = [
  num('hidden', 'Hidden neurons', 'neurons', 'Network', 'Size H of the recurrent LIF layer.'),
  { kind: 'boolean', key: 'recurrent', label: 'Recurrent weights', group: 'Network', help: 'Hidden-to-hidden weights V1.' },
  num('weightScale', 'Weight scale', '', 'Network', 'Initial weights ~ N(0, (scale/√fan_in)²).'),
  { kind: 'choice', key: 'readout', label: 'Readout', options: READOUTS, group: 'Network', help: 'Class score: max or mean over time of the readout membrane.' },
  num('tauSynS', 'τ_syn', 'ms', 'Neuron', 'Synaptic time constant; α = exp(−dt/τ_syn).', true),
  num('tauMemS', 'τ_mem', 'ms', 'Neuron', 'Membrane time constant; β = exp(−dt/τ_mem).', true),
  num('threshold', 'Threshold θ', '', 'Neuron', 'Membrane potential at which a neuron spikes.'),
  num('surrogateScale', 'Surrogate scale', '', 'Neuron', 'Fast-sigmoid steepness: dS/dU = 1/(scale·|U−θ|+1)².'),
  num('dtS', 'Time step dt', 'ms', 'Input', 'Simulation step.', true),
  num('nbSteps', 'Time steps T', 'steps', 'Input', 'Number of time bins per sample.'),
  num('maxTimeS', 'Max time', 'ms', 'Input', 'Spikes at or after this time are dropped.', true),
  { kind: 'choice', key: 'binning', label: 'Binning', options: BINNINGS, group: 'Input', help: 'spytorch: np.digitize as in the tutorial; uniform: bins of width max_time/T.' },
  num('epochs', 'Epochs', 'epochs', 'Training', 'Passes over the training set.'),
  num('batchSize', 'Batch size', 'samples', 'Training', 'Samples per gradient step.'),
  { kind: 'choice', key: 'optimizer', label: 'Optimizer', options: OPTIMIZERS, group: 'Training', help: 'Adam or Adamax (the SpyTorch tutorial uses Adamax).' },
  num('learningRate', 'Learning rate', '', 'Training', 'Optimizer step size.'),
  num('regL1', 'L1 spike regulariser', '', 'Training', 'Coefficient of the total spike count.'),
  num('regL2', 'L2 spike regulariser', '', 'Training', 'Coefficient of the mean squared spikes per neuron.'),
  num('seed', 'Seed', '', 'Training', 'Initial weights and shuffling; same seed, same run.'),
];

export function fieldFor(key: string): FormField | undefined {
  return FORM_FIELDS.find((f) => f.key === key);
}

/** What the input shows for a stored value. */
export function toDisplay(field: NumberField, stored: number): number {
  return field.ms ? secondsToMs(stored) : stored;
}

/** What the config stores for a typed value. An empty input (null/undefined from a number input) → NaN. */
export function fromDisplay(field: NumberField, shown: number | null | undefined): number {
  if (shown === null || shown === undefined || (typeof shown === 'number' && Number.isNaN(shown))) return Number.NaN;
  return field.ms ? msToSeconds(shown) : shown;
}

/** The range in display units, for the input's min/max and the hint under it. */
export function displayRange(field: NumberField): NumericRange {
  const r = CONFIG_RANGES[field.key];
  return field.ms ? { ...r, min: secondsToMs(r.min), max: secondsToMs(r.max) } : r;
}

/** "> 0 ms and ≤ 10000 ms, integer". */
export function describeDisplayRange(field: NumberField): string {
  const r = displayRange(field);
  const u = field.unit === 'ms' ? ' ms' : '';
  const lo = r.minExclusive ? `> ${r.min}${u}` : `≥ ${r.min}${u}`;
  return `${lo} and ≤ ${r.max}${u}${r.integer ? ', whole number' : ''}`;
}

/** The `step` attribute: integers step by 1, others accept any value. */
export function inputStep(field: NumberField): string {
  return CONFIG_RANGES[field.key].integer ? '1' : 'any';
}

/**
 * The form's messages, keyed by config field. Which fields are wrong is decided by configErrors (the one
 * validator); the text is rewritten in the form's units and words, so "tauMemS must be a number > 0 …
 * (got -0.005)" reads "τ_mem must be > 0 ms and ≤ 10000 ms (got -5 ms)".
 */
export function formErrors(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of configErrors(config)) {
    const field = fieldFor(e.field);
    if (field?.kind === 'number') {
      const raw = config[field.key];
      const got = typeof raw === 'number' && Number.isFinite(raw) ? `${toDisplay(field, raw)}${field.unit === 'ms' ? ' ms' : ''}` : 'no number';
      out[e.field] = `${field.label} must be ${describeDisplayRange(field)} (got ${got})`;
    } else {
      out[e.field || 'config'] = e.message;
    }
  }
  return out;
}
