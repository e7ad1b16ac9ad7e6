/**
 * How each TrainConfig option appears in the hyperparameter form: label, unit, group, and the conversion
 * between what the user types and what the config stores (milliseconds in the form, seconds in the config).
 * Ranges come from the option contracts (CONFIG_RANGES, SPAN_RANGES, SCHEDULE_RANGES, AUGMENT_RANGES) and
 * errors from configErrors, so the form never disagrees with the validator that IPC, the CLI and session files use. The hidden layers have their own editor
 * (layerEdit.ts); every other option is one field here, the augmentation options under dotted keys
 * (`augment.deleteP`, `augment.stretch`), the names configErrors gives their problems.
 */
import {
  BINNINGS,
  CONFIG_RANGES,
  NEURON_NUMBERS,
  NEURON_SPANS,
  NEURONS,
  OPTIMIZERS,
  READOUTS,
  SPAN_RANGES,
  type NumericRange,
  type Span,
  type SpanKey,
  type TrainConfig,
} from '../../../shared/config';
import { AUGMENT_RANGES, STRETCH_RANGE } from '../../../shared/augment';
import { allLayerDelays } from '../../../shared/layerDelays';
import { LR_SCHEDULES, SCHEDULE_RANGES } from '../../../shared/schedule';
import { MAX_VALIDATION_FRACTION, VALIDATION_BY } from '../../../shared/validation';
import { msToSeconds, secondsToMs } from './units';

type AugmentNumberKey = 'augment.channelShift' | 'augment.timeShiftS' | 'augment.deleteP' | 'augment.blend';
export type NumericKey = keyof typeof CONFIG_RANGES | keyof typeof SCHEDULE_RANGES | 'validationFraction' | AugmentNumberKey;
export type FormSpanKey = SpanKey | 'augment.stretch';
export type ChoiceKey = 'neuron' | 'binning' | 'readout' | 'optimizer' | 'lrSchedule' | 'validationBy';

/** Every numeric option's range, whichever module defines it. */
const NUMBER_RANGES: Readonly<Record<NumericKey, NumericRange>> = Object.freeze({
  ...CONFIG_RANGES,
  ...SCHEDULE_RANGES,
  validationFraction: { min: 0, max: MAX_VALIDATION_FRACTION, integer: false },
  ...Object.fromEntries(Object.entries(AUGMENT_RANGES).map(([k, r]) => [`augment.${k}`, r])),
} as Record<NumericKey, NumericRange>);

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
/** A per-neuron range typed as one value (`10`) or `lo:hi` (`5:25`), the reference's notation. */
export interface SpanField extends FieldBase {
  kind: 'span';
  key: FormSpanKey;
  unit: string;
  ms: boolean;
}
export interface ChoiceField extends FieldBase {
  kind: 'choice';
  key: ChoiceKey;
  options: readonly string[];
}
export interface BooleanField extends FieldBase {
  kind: 'boolean';
  key: 'learnTau';
}
export type FormField = NumberField | SpanField | ChoiceField | BooleanField;
export type FieldGroup = 'Neuron' | 'Delays' | 'Readout' | 'Input' | 'Training' | 'Protocol' | 'Augmentation';
export const FIELD_GROUPS: readonly FieldGroup[] = ['Neuron', 'Delays', 'Readout', 'Input', 'Training', 'Protocol', 'Augmentation'];

const num = (key: NumericKey, label: string, unit: string, group: FieldGroup, help: string, ms = false): NumberField => ({
  kind: 'number',
  key,
  label,
  unit,
  group,
  help,
  ms,
});
const span = (key: FormSpanKey, label: string, unit: string, help: string, group: FieldGroup = 'Neuron'): SpanField => ({ kind: 'span', key, label, unit, group, help, ms: unit === 'ms' });

export const FORM_FIELDS: readonly FormField[] = [
  { kind: 'choice', key: 'neuron', label: 'Neuron', options: NEURONS, group: 'Neuron', help: 'lif: current-based LIF (the seed); adlif: adaptive LIF (SE-adLIF); brf: balanced resonate-and-fire (Higuchi et al. 2024).' },
  span('tauSynS', 'τ_syn', 'ms', 'Synaptic time constant; α = exp(−dt/τ_syn). One value, or lo:hi drawn per neuron.'),
  span('tauMemS', 'τ_mem', 'ms', 'Membrane time constant. One value, or lo:hi drawn per neuron.'),
  span('tauAdaptS', 'τ_adapt', 'ms', 'Adaptation time constant. One value, or lo:hi drawn per neuron.'),
  span('adaptA', 'Adaptation a', '', 'Sub-threshold coupling of the adaptation to the membrane, per neuron (learned).'),
  span('adaptB', 'Adaptation b', '', 'Spike-triggered adaptation increment, per neuron (learned).'),
  num('adaptQ', 'Adaptation q', '', 'Neuron', 'Scale of the adaptation’s drive.'),
  span('brfOmega', 'Angular frequency ω', 'rad/step', 'Initial ω per neuron (learned; used as |ω|); the neuron resonates at ω·δ radians per step.'),
  span('brfBOffset', 'Damping offset', '', 'Initial b_offset per neuron (learned; used as |b_offset|): damping beyond the divergence boundary.'),
  num('brfDt', 'BRF step δ', '', 'Neuron', 'The neuron’s dimensionless step (the paper’s 0.01; not the binning’s dt).'),
  num('brfGamma', 'Refractory decay γ', '', 'Neuron', 'Decay of the refractory trace that raises threshold and damping after a spike.'),
  span('csilifLogLogAlpha', 'log(log a)', '', 'Initial log(log a) per neuron, a the decay rate of the complex state (learned).'),
  span('csilifLogDt', 'log Δ', '', 'Initial log of the neuron’s own step Δ per neuron (learned); lo:hi is drawn log-uniformly.'),
  span('csilifAlphaImg', 'Angular frequency ω', 'rad', 'Initial ω per neuron; the state turns by ω·Δ each step (learned).'),
  span('csilifB', 'Input scale b', '', 'Initial input scale per neuron (learned).'),
  num('csilifReset', 'Reset r', '', 'Neuron', 'Subtracted from the real part of the state after a spike.'),
  { kind: 'boolean', key: 'learnTau', label: 'Learn τ', group: 'Neuron', help: 'Train the decays too, clamped to their span (or v/10…10·v for one value).' },
  num('threshold', 'Threshold θ', '', 'Neuron', 'Membrane potential at which a neuron spikes.'),
  num('surrogateScale', 'Surrogate scale', '', 'Neuron', 'Fast-sigmoid steepness: dS/dU = 1/(scale·|U−θ|+1)².'),
  num('weightScale', 'Weight scale', '', 'Neuron', 'Initial weights ~ N(0, (scale/√fan_in)²).'),
  num('recDelayMax', 'Recurrent delay max', 'steps', 'Delays', 'Learnable delay per neuron on what its spikes reach through W_rec (every recurrent layer; a layer may set its own in the layer table), up to this many steps; 0: off.'),
  span('recDelayInit', 'Recurrent delay init', 'steps', 'Initial recurrent delays, one value or lo:hi drawn per neuron.', 'Delays'),
  num('ffDelayMax', 'Feed-forward delay max', 'steps', 'Delays', 'Learnable delay per neuron on what it sends up (next layer or readout), in every layer unless the layer table sets its own, up to this many steps; 0: off.'),
  span('ffDelayInit', 'Feed-forward delay init', 'steps', 'Initial feed-forward delays, one value or lo:hi drawn per neuron.', 'Delays'),
  num('delaySigma', 'Delay kernel σ', 'steps', 'Delays', 'Training: spread of the kernel over neighbouring steps at epoch 1 (DelRec: 10); evaluation rounds to whole steps.'),
  num('delaySigmaDecay', 'σ decay', '', 'Delays', 'σ at epoch e = σ·(decay^(100/epochs))^(e−1).'),
  num('delayLearningRate', 'Delay learning rate', '', 'Delays', 'The delays’ own learning rate (DelRec: 0.05), on the weights’ schedule; 0: the weights’ rate.'),
  { kind: 'choice', key: 'readout', label: 'Readout', options: READOUTS, group: 'Readout', help: 'Class score: max or mean over time of the readout membrane, or the mean of its softmax.' },
  num('readoutSkip', 'Readout skip', 'steps', 'Readout', 'softmax-sum only: the first steps do not count.'),
  num('readoutTauSynS', 'Readout τ_syn', 'ms', 'Readout', 'Synaptic time constant of the readout.', true),
  num('readoutTauMemS', 'Readout τ_mem', 'ms', 'Readout', 'Membrane time constant of the readout.', true),
  num('pool', 'Channel pooling', 'channels', 'Input', 'Channel c feeds input c // pool (counts add up).'),
  num('dtS', 'Time step dt', 'ms', 'Input', 'Simulation step.', true),
  num('nbSteps', 'Time steps T', 'steps', 'Input', 'Number of time bins per sample.'),
  num('maxTimeS', 'Max time', 'ms', 'Input', 'Spikes at or after this time are dropped.', true),
  { kind: 'choice', key: 'binning', label: 'Binning', options: BINNINGS, group: 'Input', help: 'spytorch: np.digitize as in the tutorial; uniform: bins of width max_time/T.' },
  num('epochs', 'Epochs', 'epochs', 'Training', 'Passes over the training set.'),
  num('batchSize', 'Batch size', 'samples', 'Training', 'Samples per gradient step.'),
  { kind: 'choice', key: 'optimizer', label: 'Optimizer', options: OPTIMIZERS, group: 'Training', help: 'Adam or Adamax (the SpyTorch tutorial uses Adamax).' },
  num('learningRate', 'Learning rate', '', 'Training', 'Optimizer step size.'),
  num('regL1', 'L1 spike regulariser', '', 'Training', 'Coefficient of the total spike count, all layers.'),
  num('regL2', 'L2 spike regulariser', '', 'Training', 'Coefficient of the mean squared spikes per neuron, summed over layers.'),
  num('seed', 'Seed', '', 'Training', 'Initial weights, shuffling, the validation split and augmentation; same seed, same run.'),
  num('validationFraction', 'Validation fraction', '', 'Protocol', 'Share of the training file held out to pick the epoch; 0: none (the last epoch is kept). The test set never picks.'),
  { kind: 'choice', key: 'validationBy', label: 'Validation split', options: VALIDATION_BY, group: 'Protocol', help: 'speaker: whole speakers held out (as SHD’s test set); class: stratified by class; auto: speaker when the test set holds out voices (as SHD’s), else class.' },
  num('patience', 'Early stopping', 'epochs', 'Protocol', 'Stop after this many epochs without a gain in the smoothed validation score (when the latest is clearly worse; twice as many on a plateau); 0: off.'),
  num('weightDecay', 'Weight decay', '', 'Protocol', 'Decoupled (AdamW): weights shrink by lr·λ each step.'),
  num('clipGrad', 'Gradient clipping', '', 'Protocol', 'Largest total gradient norm; 0: off.'),
  { kind: 'choice', key: 'lrSchedule', label: 'LR schedule', options: LR_SCHEDULES, group: 'Protocol', help: 'constant; cosine down to the min lr; plateau: cut when validation accuracy stalls.' },
  num('warmupEpochs', 'Warm-up', 'epochs', 'Protocol', 'Epochs of linear warm-up before the schedule.'),
  num('minLr', 'Min learning rate', '', 'Protocol', 'The floor of cosine and plateau.'),
  num('plateauFactor', 'Plateau factor', '', 'Protocol', 'The rate is multiplied by this on each plateau.'),
  num('plateauPatience', 'Plateau patience', 'epochs', 'Protocol', 'Epochs without a gain tolerated before a cut.'),
  num('plateauThreshold', 'Plateau threshold', '', 'Protocol', 'Relative gain in validation accuracy that counts.'),
  num('augment.channelShift', 'Channel shift', 'channels', 'Augmentation', 'Each training sample moves by up to ± this many channels; 0: off.'),
  num('augment.timeShiftS', 'Time shift', 'ms', 'Augmentation', 'Each training sample moves by up to ± this in time; 0: off.', true),
  span('augment.stretch', 'Time stretch', '', 'Spike times × a factor drawn from lo:hi; 1: off.', 'Augmentation'),
  num('augment.deleteP', 'Spike deletion', '', 'Augmentation', 'Probability that each training spike is dropped; 0: off.'),
  num('augment.blend', 'Blend', '', 'Augmentation', 'Probability that a sample is mixed with another of its class; 0: off.'),
];

export function fieldFor(key: string): FormField | undefined {
  return FORM_FIELDS.find((f) => f.key === key);
}

/**
 * Whether the form shows a field for this config: only the spans and constants the neuron kind uses, and the
 * delays' initial spans and σ only where their maximum is on (the others stay in the config, without effect,
 * so switching back restores them).
 */
export function fieldShown(field: FormField, config: Pick<TrainConfig, 'neuron'> & Partial<Pick<TrainConfig, 'lrSchedule' | 'recDelayMax' | 'ffDelayMax' | 'layers'>>): boolean {
  if (field.kind === 'span' && field.group === 'Neuron') return NEURON_SPANS[config.neuron]?.includes(field.key as SpanKey) ?? false;
  // A layer's own delay max (layer editor) turns a kind on too.
  const on = (kind: 'recMax' | 'ffMax', key: 'recDelayMax' | 'ffDelayMax') => (config[key] ?? 0) > 0 || (config.layers ? allLayerDelays({ ...config, layers: config.layers }).some((d) => d[kind] > 0) : false);
  if (field.key === 'recDelayInit') return on('recMax', 'recDelayMax');
  if (field.key === 'ffDelayInit') return on('ffMax', 'ffDelayMax');
  if (field.key === 'delaySigma' || field.key === 'delaySigmaDecay' || field.key === 'delayLearningRate') return on('recMax', 'recDelayMax') || on('ffMax', 'ffDelayMax');
  const kindNumbers = Object.values(NEURON_NUMBERS).flat() as string[];
  if (kindNumbers.includes(field.key)) return (NEURON_NUMBERS[config.neuron] as readonly string[] | undefined)?.includes(field.key) ?? false;
  // The floor means something for the decaying schedules only, the plateau's knobs for plateau only.
  if (field.key === 'minLr') return config.lrSchedule === 'cosine' || config.lrSchedule === 'plateau';
  if (field.key.startsWith('plateau')) return config.lrSchedule === 'plateau';
  return true;
}

/** Whether the field can be edited: the readout skip means something for softmax-sum only. */
export function fieldEnabled(field: FormField, config: Pick<TrainConfig, 'readout'>): boolean {
  return field.key !== 'readoutSkip' || config.readout === 'softmax-sum';
}

/**
 * The config after one field changed. Leaving softmax-sum resets the skip to 0, since the validator refuses a
 * skip for the other readouts and the form disables that input (the user could not fix it otherwise).
 */
export function withField(config: TrainConfig, key: FormField['key'], value: unknown): TrainConfig {
  if (key.startsWith('augment.')) return { ...config, augment: { ...config.augment, [key.slice('augment.'.length)]: value } };
  const next = { ...config, [key]: value } as TrainConfig;
  if (key === 'readout' && value !== 'softmax-sum') next.readoutSkip = 0;
  return next;
}

/** The stored value a field edits (one level down for `augment.*`); undefined when the config lacks it. */
export function fieldValue(config: object, key: FormField['key']): unknown {
  const c = config as Record<string, unknown>;
  if (!key.startsWith('augment.')) return c[key];
  const augment = c.augment as Record<string, unknown> | undefined;
  return augment?.[key.slice('augment.'.length)];
}

type Scaled = Pick<NumberField, 'ms'>;

/** What the input shows for a stored value. */
export function toDisplay(field: Scaled, stored: number): number {
  return field.ms ? secondsToMs(stored) : stored;
}

/** What the config stores for a typed value. An empty input (null/undefined from a number input) → NaN. */
export function fromDisplay(field: Scaled, shown: number | null | undefined): number {
  if (shown === null || shown === undefined || (typeof shown === 'number' && Number.isNaN(shown))) return Number.NaN;
  return field.ms ? msToSeconds(shown) : shown;
}

/** A stored span as typed: "10" for one value, "5:25" for a range, in the field's units. */
export function spanToText(field: SpanField, s: Span | undefined): string {
  if (!s || !Number.isFinite(s.lo) || !Number.isFinite(s.hi)) return '';
  const lo = toDisplay(field, s.lo);
  const hi = toDisplay(field, s.hi);
  return lo === hi ? String(lo) : `${lo}:${hi}`;
}

/**
 * The span a typed text stores; text that is not `V` or `LO:HI` gives {NaN, NaN}, which configErrors
 * refuses, so the message appears next to the input like any other bad value.
 */
export function spanFromText(field: SpanField, text: string): Span {
  const parts = text.trim().split(':');
  const values = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  if (parts.length > 2 || values.some((v) => !Number.isFinite(v))) return { lo: Number.NaN, hi: Number.NaN };
  const [lo, hi = lo] = values;
  return { lo: fromDisplay(field, lo), hi: fromDisplay(field, hi) };
}

function rangeOf(field: NumberField | SpanField): NumericRange {
  if (field.kind === 'number') return NUMBER_RANGES[field.key];
  return field.key === 'augment.stretch' ? STRETCH_RANGE : SPAN_RANGES[field.key];
}

/** The range in display units, for the hint under the input. */
export function displayRange(field: NumberField | SpanField): NumericRange {
  const r = rangeOf(field);
  if (!field.ms) return r;
  return { ...r, min: secondsToMs(r.min), ...(r.max === undefined ? {} : { max: secondsToMs(r.max) }) };
}

/** "> 0 ms and ≤ 10000 ms, whole number". */
export function describeDisplayRange(field: NumberField | SpanField): string {
  const r = displayRange(field);
  const u = field.unit === 'ms' ? ' ms' : '';
  const lo = r.minExclusive ? `> ${r.min}${u}` : `≥ ${r.min}${u}`;
  const hi = r.maxExclusive ? `< ${r.max}${u}` : `≤ ${r.max}${u}`;
  const whole = r.integer ? ', whole number' : '';
  return r.max === undefined ? `${lo}${whole}` : `${lo} and ${hi}${whole}`;
}

/** The `step` attribute: integers step by 1, others accept any value. */
export function inputStep(field: NumberField): string {
  return NUMBER_RANGES[field.key].integer ? '1' : 'any';
}

/** A typed value in the field's units for messages: "-5 ms", or "no number". */
export function shownValue(field: Scaled & { unit: string }, raw: unknown): string {
  return typeof raw === 'number' && Number.isFinite(raw) ? `${toDisplay(field, raw)}${field.unit === 'ms' ? ' ms' : ''}` : 'no number';
}

/** Whether typed text already stands for the stored span (so the input keeps it as typed); NaN matches NaN. */
export function spanTextMatches(field: SpanField, text: string, stored: Span | undefined): boolean {
  if (!stored) return false;
  const parsed = spanFromText(field, text);
  const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
  return same(parsed.lo, stored.lo) && same(parsed.hi, stored.hi);
}
