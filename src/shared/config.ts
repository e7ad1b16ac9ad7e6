/**
 * The training configuration of the layered model family (`../shared/reference/README.md`, "format 2"):
 * every option, its default (the reference's), its range and its validation.
 *
 * This file is the one contract for configs: the CLI parses flags into it, the renderer's form edits it,
 * IPC payloads are checked with {@link validateTrainConfig}, and sessions store it. Configs of the first
 * landing (one `hidden` size, scalar time constants) are read through {@link upgradeConfig}.
 * Times are in seconds here (as in the reference); the form shows milliseconds.
 */

import { customNeuronErrors, type CustomNeuronSpec } from './customNeuron';
import { describeRange, outOfRange, type NumericRange } from './ranges';
import type { FieldError } from './fieldError';
import type { Span } from './span';
import { augmentErrors, DEFAULT_AUGMENT, type AugmentOptions } from './augment';
import { DEFAULT_SCHEDULE, scheduleErrors, type ScheduleOptions } from './schedule';
import { DEFAULT_VALIDATION, validationErrors, type ValidationOptions } from './validation';
import { LAYER_DELAY_KEYS, type LayerDelayOptions } from './layerDelays';

export type Binning = 'spytorch' | 'uniform';
/**
 * Class score from the readout membrane O_t (t = 0…T): `max` over time (the seed), `mean` over time, or
 * `softmax-sum`: p = mean over t > readoutSkip of softmax(O_t), loss −log p_y.
 */
export type Readout = 'max' | 'mean' | 'softmax-sum';
export type OptimizerName = 'adam' | 'adamax';
/**
 * `lif`: current-based LIF (the seed neuron); `adlif`: adaptive LIF in symplectic-Euler form (SE-adLIF); `brf`:
 * balanced resonate-and-fire (Higuchi et al., ICML 2024); `csilif`: complex-state SSM-inspired LIF (C-SiLIF, Fabre
 * et al., arXiv 2506.06374); `custom`: the researcher's own (`customNeuron`).
 */
export type NeuronKind = 'lif' | 'adlif' | 'brf' | 'csilif' | 'custom';
/** Declared in files of their own (so the option contracts share them without importing this file), named from here too. */
export type { FieldError, Span };

/**
 * One hidden layer. Its delay options (layerDelays.ts) are optional: `recDelayMax`, `recDelayInit`, `ffDelayMax`,
 * `ffDelayInit` as the config's options of those names, for this layer only; absent = the config's value, a max
 * of 0 = no delays of that kind in this layer. A layer's own recDelayMax > 0 needs `recurrent`.
 */
export interface LayerConfig extends LayerDelayOptions {
  /** Neurons H_l. */
  size: number;
  /** Hidden-to-hidden weights W_rec of this layer. @default true */
  recurrent: boolean;
  /**
   * Probability of dropping each of this layer's output spikes during training (inverted dropout: kept
   * spikes are scaled by 1/(1−p); per sample, step and neuron; never on the layer's own recurrence). @default 0
   */
  dropout: number;
}

/**
 * The model (layers, neurons, readout), the data's binning, and the training protocol: optimizer, schedule
 * (schedule.ts: lrSchedule, warmupEpochs, minLr, plateau*), validation split and model selection
 * (validation.ts: validationFraction, validationBy), early stopping, weight decay, clipping, augmentation.
 */
export interface TrainConfig extends ScheduleOptions, ValidationOptions {
  /** Neuron kind of every hidden layer. @default 'lif' */
  neuron: NeuronKind;
  /** Hidden layers, input side first (1–4). @default one recurrent layer of 128 */
  layers: LayerConfig[];
  /** lif: synaptic time constant (s); α = exp(−dt/τ_syn). @default 5 ms */
  tauSynS: Span;
  /** Membrane time constant (s): lif β = exp(−dt/τ_mem), adlif α = exp(−dt/τ_mem). @default 10 ms */
  tauMemS: Span;
  /** adlif: adaptation time constant (s); β = exp(−dt/τ_adapt). @default 60–300 ms */
  tauAdaptS: Span;
  /** adlif: sub-threshold coupling a of the adaptation to the membrane, per neuron. @default 0–1 */
  adaptA: Span;
  /** adlif: spike-triggered adaptation increment b, per neuron. @default 0–2 */
  adaptB: Span;
  /** adlif: scale q of the adaptation's drive. @default 30 */
  adaptQ: number;
  /** brf: initial angular frequency ω per neuron (learned; used as |ω|). @default 5–10 */
  brfOmega: Span;
  /** brf: initial damping offset b_offset per neuron (learned; used as |b_offset|). @default 2–3 */
  brfBOffset: Span;
  /** brf: the neuron's dimensionless step δ (the paper's 0.01; not the binning's dt). @default 0.01 */
  brfDt: number;
  /** brf: decay γ of the refractory trace q. @default 0.9 */
  brfGamma: number;
  /**
   * csilif: initial log(log a) per neuron, a the decay rate of the complex state (learned; the paper's
   * `log_log_alpha`, every neuron log 0.5). @default ln 0.5
   */
  csilifLogLogAlpha: Span;
  /** csilif: initial log Δ per neuron, Δ the neuron's learned step (the paper's `log_dt`: log-uniform Δ in [0.01, 0.5]). @default ln 0.01–ln 0.5 */
  csilifLogDt: Span;
  /** csilif: initial angular frequency ω per neuron, the rotation per step being ω·Δ (learned; the paper's `alpha_img`). @default π */
  csilifAlphaImg: Span;
  /** csilif: initial input scale b per neuron (learned; the paper's `b`). @default 0–1 */
  csilifB: Span;
  /** csilif: the reset r subtracted from the real part after a spike (the paper's `reset_factor`). @default 0.5 */
  csilifReset: number;
  /**
   * custom: the researcher's neuron, as text (customNeuron.ts). Required when neuron is 'custom'; kept, without
   * effect, for the other kinds (so switching back restores it). @default absent
   */
  customNeuron?: CustomNeuronSpec;
  /**
   * Learn the hidden layers' decays (α, β) too; after every step they are clamped to the range their τ was
   * drawn from, or to [v/10, 10·v] for a single value v. (a and b of adlif are always learned.) @default false
   */
  learnTau: boolean;
  /**
   * Learnable recurrent axonal delays (DelRec, Queant et al. 2025): per neuron of every recurrent layer a delay
   * d ∈ [0, recDelayMax] steps on what its spikes reach through W_rec; 0 = off. A layer's own `recDelayMax`
   * overrides it for that layer (layerDelays.ts), as do the three options below. @default 0
   */
  recDelayMax: number;
  /** Initial recurrent delays (steps), drawn uniformly per neuron. @default 0–5 */
  recDelayInit: Span;
  /** Learnable feed-forward axonal delays on what every layer sends up (to the next layer or the readout), ≤ this many steps; 0 = off. @default 0 */
  ffDelayMax: number;
  /** Initial feed-forward delays (steps), drawn uniformly per neuron. @default 0–3 */
  ffDelayInit: Span;
  /** Training: the delays' interpolation kernel spread σ at epoch 1 (DelRec: 10); evaluation uses 0. @default 0 */
  delaySigma: number;
  /** σ_e = delaySigma · (delaySigmaDecay^(100/epochs))^(e−1) at epoch e (DelRec's annealing). @default 0.95 */
  delaySigmaDecay: number;
  /** The delays' own learning rate (DelRec's lr_positions), following the weights' schedule; 0 = the weights'. @default 0 */
  delayLearningRate: number;
  /** Input channel pooling: channel c feeds input c // pool (counts add up). @default 1 */
  pool: number;
  /** Readout synaptic time constant (s), every class. @default 5 ms */
  readoutTauSynS: number;
  /** Readout membrane time constant (s), every class. @default 10 ms */
  readoutTauMemS: number;
  readout: Readout;
  /** softmax-sum: the first steps t = 1…skip of the readout do not count. @default 0 */
  readoutSkip: number;
  /** Simulation time step (s). */
  dtS: number;
  /** Firing threshold θ. */
  threshold: number;
  /** Fast-sigmoid surrogate steepness: dS/dU = 1/(scale·|U−θ|+1)². */
  surrogateScale: number;
  /**
   * Init std numerator: weights ~ N(0, (weightScale/√fan_in)²). A hidden layer that is then silent or saturated
   * on the first training batch has its W_in rescaled to a target rate before training (init calibration,
   * services/engine/training/initCalibration.ts); a layer that fires is left as drawn. @default 0.2
   */
  weightScale: number;
  /** Number of time bins T. */
  nbSteps: number;
  /** Spikes at or after this time (s) are dropped. */
  maxTimeS: number;
  binning: Binning;
  /** Coefficient of Σ spikes, summed over every hidden layer. */
  regL1: number;
  /** Coefficient of mean over a layer's neurons of (spikes per neuron)², summed over layers. */
  regL2: number;
  optimizer: OptimizerName;
  learningRate: number;
  /**
   * Decoupled weight decay λ (AdamW): weight matrices are multiplied by (1 − lr·λ) before each step; decays,
   * a and b are not decayed. @default 0
   */
  weightDecay: number;
  /** Gradient-norm clipping: the learned parameters' total L2 norm is scaled down to this; 0 = off. @default 0 */
  clipGrad: number;
  /** Early stopping: stop after this many epochs without a gain in the smoothed validation score when the latest is worse by more than a standard error, or twice as many on a plateau (shared/modelSelection.ts); 0 = off. @default 0 */
  patience: number;
  /** Augmentation of the training batches (augment.ts); every option off by default. */
  augment: AugmentOptions;
  batchSize: number;
  epochs: number;
  seed: number;
}

export const MAX_LAYERS = 4;

/** The delay options' defaults: off (the reference's `--rec-delay-init 0:5 --ff-delay-init 0:3 --delay-sigma-decay 0.95`). */
const DELAY_DEFAULTS = Object.freeze({
  recDelayMax: 0,
  recDelayInit: Object.freeze({ lo: 0, hi: 5 }),
  ffDelayMax: 0,
  ffDelayInit: Object.freeze({ lo: 0, hi: 3 }),
  delaySigma: 0,
  delaySigmaDecay: 0.95,
  delayLearningRate: 0,
});

/** The brf options' defaults: the reference's (`--brf-omega 5:10 --brf-b-offset 2:3 --brf-dt 0.01 --brf-gamma 0.9`). */
const BRF_DEFAULTS = Object.freeze({
  brfOmega: Object.freeze({ lo: 5, hi: 10 }),
  brfBOffset: Object.freeze({ lo: 2, hi: 3 }),
  brfDt: 0.01,
  brfGamma: 0.9,
});

/**
 * The csilif options' defaults: the paper's code's (Maxtimer97/SSM-inspired-LIF, models/snns.py CSiLIFLayer;
 * dt_min 0.01 from parsers/model_config.py, dt_max 0.5 from configs/shd_csilif.yaml).
 */
const CSILIF_DEFAULTS = Object.freeze({
  csilifLogLogAlpha: Object.freeze({ lo: Math.log(0.5), hi: Math.log(0.5) }),
  csilifLogDt: Object.freeze({ lo: Math.log(0.01), hi: Math.log(0.5) }),
  csilifAlphaImg: Object.freeze({ lo: Math.PI, hi: Math.PI }),
  csilifB: Object.freeze({ lo: 0, hi: 1 }),
  csilifReset: 0.5,
});

const CSILIF_SPANS = ['csilifLogLogAlpha', 'csilifLogDt', 'csilifAlphaImg', 'csilifB'] as const;

export const DEFAULT_LAYER: Readonly<LayerConfig> = Object.freeze({ size: 128, recurrent: true, dropout: 0 });

export const DEFAULT_CONFIG: Readonly<TrainConfig> = Object.freeze({
  neuron: 'lif',
  layers: Object.freeze([DEFAULT_LAYER]) as unknown as LayerConfig[],
  tauSynS: Object.freeze({ lo: 5e-3, hi: 5e-3 }),
  tauMemS: Object.freeze({ lo: 10e-3, hi: 10e-3 }),
  tauAdaptS: Object.freeze({ lo: 0.06, hi: 0.3 }),
  adaptA: Object.freeze({ lo: 0, hi: 1 }),
  adaptB: Object.freeze({ lo: 0, hi: 2 }),
  adaptQ: 30,
  ...BRF_DEFAULTS,
  ...CSILIF_DEFAULTS,
  ...DELAY_DEFAULTS,
  learnTau: false,
  pool: 1,
  readoutTauSynS: 5e-3,
  readoutTauMemS: 10e-3,
  readout: 'max',
  readoutSkip: 0,
  dtS: 1e-3,
  threshold: 1,
  surrogateScale: 100,
  weightScale: 0.2,
  nbSteps: 100,
  maxTimeS: 1.4,
  binning: 'spytorch',
  regL1: 2e-6,
  regL2: 2e-6,
  optimizer: 'adam',
  learningRate: 1e-3,
  weightDecay: 0,
  clipGrad: 0,
  patience: 0,
  augment: DEFAULT_AUGMENT as AugmentOptions,
  ...DEFAULT_SCHEDULE,
  ...DEFAULT_VALIDATION,
  batchSize: 256,
  epochs: 15,
  seed: 0,
} satisfies TrainConfig);

/** The config's own numeric options (schedule.ts and validation.ts check theirs). */
type NumericKey = Exclude<{ [K in keyof TrainConfig]-?: TrainConfig[K] extends number ? K : never }[keyof TrainConfig], keyof ScheduleOptions | keyof ValidationOptions>;
export type SpanKey =
  | 'tauSynS'
  | 'tauMemS'
  | 'tauAdaptS'
  | 'adaptA'
  | 'adaptB'
  | 'brfOmega'
  | 'brfBOffset'
  | 'csilifLogLogAlpha'
  | 'csilifLogDt'
  | 'csilifAlphaImg'
  | 'csilifB'
  | 'recDelayInit'
  | 'ffDelayInit';
export type LayerNumericKey = 'size' | 'dropout';

export { describeRange, outOfRange };
export type { NumericRange };

/** Allowed ranges; the form shows them and the validator enforces them. */
export const CONFIG_RANGES: Readonly<Record<NumericKey, NumericRange>> = Object.freeze({
  adaptQ: { min: 0, max: 1e4, integer: false },
  brfDt: { min: 0, max: 1, integer: false, minExclusive: true },
  brfGamma: { min: 0, max: 1, integer: false },
  recDelayMax: { min: 0, max: 1000, integer: false },
  ffDelayMax: { min: 0, max: 1000, integer: false },
  delaySigma: { min: 0, max: 1000, integer: false },
  delaySigmaDecay: { min: 0, max: 1, integer: false, minExclusive: true },
  delayLearningRate: { min: 0, max: 10, integer: false },
  csilifReset: { min: 0, max: 1e3, integer: false },
  pool: { min: 1, max: 4096, integer: true },
  readoutTauSynS: { min: 0, max: 10, integer: false, minExclusive: true },
  readoutTauMemS: { min: 0, max: 10, integer: false, minExclusive: true },
  readoutSkip: { min: 0, max: 9_999, integer: true },
  dtS: { min: 0, max: 1, integer: false, minExclusive: true },
  threshold: { min: 0, max: 1e3, integer: false, minExclusive: true },
  surrogateScale: { min: 0, max: 1e6, integer: false, minExclusive: true },
  weightScale: { min: 0, max: 100, integer: false },
  nbSteps: { min: 1, max: 10_000, integer: true },
  maxTimeS: { min: 0, max: 1e4, integer: false, minExclusive: true },
  regL1: { min: 0, max: 1e3, integer: false },
  regL2: { min: 0, max: 1e3, integer: false },
  learningRate: { min: 0, max: 10, integer: false, minExclusive: true },
  weightDecay: { min: 0, max: 10, integer: false },
  clipGrad: { min: 0, max: 1e6, integer: false },
  patience: { min: 0, max: 100_000, integer: true },
  batchSize: { min: 1, max: 65_536, integer: true },
  epochs: { min: 1, max: 100_000, integer: true },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
});

/** Ranges of both ends of each span (lo ≤ hi is checked too). */
export const SPAN_RANGES: Readonly<Record<SpanKey, NumericRange>> = Object.freeze({
  tauSynS: { min: 0, max: 10, integer: false, minExclusive: true },
  tauMemS: { min: 0, max: 10, integer: false, minExclusive: true },
  tauAdaptS: { min: 0, max: 100, integer: false, minExclusive: true },
  adaptA: { min: -100, max: 100, integer: false },
  adaptB: { min: -100, max: 100, integer: false },
  brfOmega: { min: -1e4, max: 1e4, integer: false },
  brfBOffset: { min: -1e4, max: 1e4, integer: false },
  // log log a and log Δ: e^20 overflows nothing in float32 yet is far past any useful decay or step.
  csilifLogLogAlpha: { min: -20, max: 20, integer: false },
  csilifLogDt: { min: -20, max: 20, integer: false },
  csilifAlphaImg: { min: -1e4, max: 1e4, integer: false },
  recDelayInit: { min: 0, max: 1000, integer: false },
  ffDelayInit: { min: 0, max: 1000, integer: false },
  csilifB: { min: -1e4, max: 1e4, integer: false },
});

export const LAYER_RANGES: Readonly<Record<LayerNumericKey, NumericRange>> = Object.freeze({
  size: { min: 1, max: 4096, integer: true },
  dropout: { min: 0, max: 1, integer: false, maxExclusive: true },
});

export const BINNINGS: readonly Binning[] = ['spytorch', 'uniform'];
export const READOUTS: readonly Readout[] = ['max', 'mean', 'softmax-sum'];
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'adamax'];
export const NEURONS: readonly NeuronKind[] = ['lif', 'adlif', 'brf', 'csilif', 'custom'];

/** The spans each neuron kind uses (the others are kept in the config but have no effect). */
export const NEURON_SPANS: Readonly<Record<NeuronKind, readonly SpanKey[]>> = Object.freeze({
  lif: ['tauSynS', 'tauMemS'],
  adlif: ['tauMemS', 'tauAdaptS', 'adaptA', 'adaptB'],
  brf: ['brfOmega', 'brfBOffset'],
  csilif: CSILIF_SPANS,
  custom: [],
});

/**
 * The numeric options only some kinds read (the others keep them without effect): each kind's constants besides
 * the threshold, as its definition's scalars name them (services/engine/definitions; a test keeps the two equal).
 */
export const NEURON_NUMBERS: Readonly<Record<NeuronKind, readonly NumericKey[]>> = Object.freeze({
  lif: ['surrogateScale'],
  adlif: ['surrogateScale', 'adaptQ'],
  brf: ['brfDt', 'brfGamma'],
  csilif: ['csilifReset'],
  // A custom neuron reads the surrogate scale with the fast-sigmoid surrogate; its constants are its own.
  custom: ['surrogateScale'],
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(v: Record<string, unknown>, known: readonly string[], prefix: string, errors: FieldError[]): void {
  for (const key of Object.keys(v)) {
    if (!known.includes(key)) errors.push({ field: prefix + key, message: `unknown option "${prefix}${key}"` });
  }
}

function spanErrors(key: SpanKey, value: unknown, errors: FieldError[]): void {
  const r = SPAN_RANGES[key];
  if (!isRecord(value)) {
    errors.push({ field: key, message: `${key} must be {lo, hi} (got ${JSON.stringify(value)})` });
    return;
  }
  unknownKeys(value, ['lo', 'hi'], `${key}.`, errors);
  let ok = true;
  for (const end of ['lo', 'hi'] as const) {
    if (outOfRange(value[end], r)) {
      ok = false;
      errors.push({ field: `${key}.${end}`, message: `${key}.${end} must be ${describeRange(r)} (got ${JSON.stringify(value[end])})` });
    }
  }
  if (ok && (value.lo as number) > (value.hi as number)) {
    errors.push({ field: `${key}.hi`, message: `${key}: the upper end ${String(value.hi)} is below the lower end ${String(value.lo)}` });
  }
}

function layerErrors(value: unknown, errors: FieldError[]): void {
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_LAYERS) {
    errors.push({ field: 'layers', message: `layers must be a list of 1 to ${MAX_LAYERS} hidden layers (got ${Array.isArray(value) ? value.length : JSON.stringify(value)})` });
    return;
  }
  value.forEach((layer: unknown, l) => {
    const prefix = `layers.${l}.`;
    if (!isRecord(layer)) {
      errors.push({ field: `layers.${l}`, message: `layer ${l + 1} must be {size, recurrent, dropout}` });
      return;
    }
    unknownKeys(layer, [...Object.keys(DEFAULT_LAYER), ...LAYER_DELAY_KEYS], prefix, errors);
    for (const [key, r] of Object.entries(LAYER_RANGES) as [LayerNumericKey, NumericRange][]) {
      if (outOfRange(layer[key], r)) {
        errors.push({ field: prefix + key, message: `layer ${l + 1} ${key} must be ${describeRange(r)} (got ${JSON.stringify(layer[key])})` });
      }
    }
    if (typeof layer.recurrent !== 'boolean') errors.push({ field: `${prefix}recurrent`, message: `layer ${l + 1} recurrent must be true or false` });
    layerDelayErrors(layer, l, errors);
  });
}

/** A layer's own delay options (each optional): ranges as the config's, and recurrent delays only with W_rec. */
function layerDelayErrors(layer: Record<string, unknown>, l: number, errors: FieldError[]): void {
  const prefix = `layers.${l}.`;
  for (const key of ['recDelayMax', 'ffDelayMax'] as const) {
    if (layer[key] !== undefined && outOfRange(layer[key], CONFIG_RANGES[key])) {
      errors.push({ field: prefix + key, message: `layer ${l + 1} ${key} must be ${describeRange(CONFIG_RANGES[key])} (got ${JSON.stringify(layer[key])})` });
    }
  }
  for (const key of ['recDelayInit', 'ffDelayInit'] as const) {
    if (layer[key] === undefined) continue;
    const own: FieldError[] = [];
    spanErrors(key, layer[key], own);
    for (const e of own) errors.push({ field: prefix + e.field, message: `layer ${l + 1} ${e.message}` });
  }
  if (layer.recurrent === false && typeof layer.recDelayMax === 'number' && layer.recDelayMax > 0) {
    errors.push({ field: `${prefix}recDelayMax`, message: `layer ${l + 1} recDelayMax ${layer.recDelayMax}: recurrent delays need recurrent weights; make layer ${l + 1} recurrent or set its recDelayMax to 0` });
  }
}

/**
 * Checks an untrusted value (IPC payload, parsed JSON, session file) against the contract.
 * Returns every problem, each naming its field, so a form can show them next to the inputs.
 */
export function configErrors(value: unknown): FieldError[] {
  if (!isRecord(value)) return [{ field: '', message: 'config must be an object' }];
  const v = value;
  const errors: FieldError[] = [];
  unknownKeys(v, [...Object.keys(DEFAULT_CONFIG), 'customNeuron'], '', errors);
  if (v.customNeuron !== undefined || v.neuron === 'custom') {
    if (v.customNeuron === undefined) errors.push({ field: 'customNeuron', message: 'neuron "custom" needs customNeuron (its name, source and surrogate)' });
    else for (const m of customNeuronErrors(v.customNeuron)) errors.push({ field: 'customNeuron', message: `customNeuron: ${m}` });
  }
  for (const [key, range] of Object.entries(CONFIG_RANGES) as [NumericKey, NumericRange][]) {
    if (outOfRange(v[key], range)) errors.push({ field: key, message: `${key} must be ${describeRange(range)} (got ${JSON.stringify(v[key])})` });
  }
  for (const key of Object.keys(SPAN_RANGES) as SpanKey[]) spanErrors(key, v[key], errors);
  layerErrors(v.layers, errors);
  const pick = (keys: readonly string[]) => Object.fromEntries(keys.filter((k) => k in v).map((k) => [k, v[k]]));
  errors.push(...scheduleErrors(pick(Object.keys(DEFAULT_SCHEDULE))));
  errors.push(...validationErrors(pick(Object.keys(DEFAULT_VALIDATION))));
  errors.push(...augmentErrors(v.augment).map((e) => ({ field: e.field ? `augment.${e.field}` : 'augment', message: `augment: ${e.message}` })));
  if (typeof v.learnTau !== 'boolean') errors.push({ field: 'learnTau', message: 'learnTau must be true or false' });
  const choice = (key: string, options: readonly string[]) => {
    if (!options.includes(v[key] as string)) {
      errors.push({ field: key, message: `${key} must be one of ${options.join(', ')} (got ${JSON.stringify(v[key])})` });
    }
  };
  choice('neuron', NEURONS);
  choice('binning', BINNINGS);
  choice('readout', READOUTS);
  choice('optimizer', OPTIMIZERS);
  // Combinations: the softmax-sum readout averages over t = skip+1 … T, so at least one step must be left.
  if (typeof v.readoutSkip === 'number' && !outOfRange(v.nbSteps, CONFIG_RANGES.nbSteps) && v.readoutSkip >= (v.nbSteps as number)) {
    errors.push({ field: 'readoutSkip', message: `readoutSkip must be below the number of time steps (${v.nbSteps}), got ${v.readoutSkip}` });
  }
  if (v.readout !== 'softmax-sum' && typeof v.readoutSkip === 'number' && v.readoutSkip !== 0) {
    errors.push({ field: 'readoutSkip', message: `readoutSkip applies to the softmax-sum readout only; set it to 0 for ${String(v.readout)}` });
  }
  return errors;
}

/** Throws one error listing every problem; returns the value typed when it is valid. */
export function validateTrainConfig(value: unknown): TrainConfig {
  const errors = configErrors(value);
  if (errors.length) throw new Error(`invalid training config: ${errors.map((e) => e.message).join('; ')}`);
  return value as TrainConfig;
}

/** A deep copy (configs hold arrays and spans; frozen defaults must not leak into editable state). */
export function cloneConfig(c: Readonly<TrainConfig>): TrainConfig {
  return {
    ...c,
    layers: c.layers.map(cloneLayer),
    tauSynS: { ...c.tauSynS },
    tauMemS: { ...c.tauMemS },
    tauAdaptS: { ...c.tauAdaptS },
    adaptA: { ...c.adaptA },
    adaptB: { ...c.adaptB },
    brfOmega: { ...c.brfOmega },
    brfBOffset: { ...c.brfBOffset },
    recDelayInit: { ...c.recDelayInit },
    ffDelayInit: { ...c.ffDelayInit },
    ...Object.fromEntries(CSILIF_SPANS.map((k) => [k, { ...c[k] }])),
    augment: cloneAugment(c.augment),
    ...(c.customNeuron ? { customNeuron: { ...c.customNeuron } } : {}),
  };
}

/** A layer's deep copy (its own delay spans included). */
export function cloneLayer(l: Readonly<LayerConfig>): LayerConfig {
  return { ...l, ...(l.recDelayInit && { recDelayInit: { ...l.recDelayInit } }), ...(l.ffDelayInit && { ffDelayInit: { ...l.ffDelayInit } }) };
}

/** Defaults overlaid with a partial config, then validated. */
export function makeConfig(partial: Partial<TrainConfig> = {}): TrainConfig {
  return validateTrainConfig(cloneConfig({ ...DEFAULT_CONFIG, ...partial }));
}

/** A span of one value. */
export const single = (v: number): Span => ({ lo: v, hi: v });

export const spanText = (s: Span): string => (s.lo === s.hi ? String(s.lo) : `${s.lo}:${s.hi}`);

/** Parses `V` or `LO:HI` (the reference's notation); null when it is not two finite numbers. */
export function parseSpan(text: string): Span | null {
  const parts = text.trim().split(':');
  if (parts.length > 2 || parts.some((p) => p.trim() === '')) return null;
  const [lo, hi] = parts.map(Number);
  const span = { lo, hi: parts.length === 2 ? hi : lo };
  return Number.isFinite(span.lo) && Number.isFinite(span.hi) ? span : null;
}

/** JSON with object keys sorted, so that values compare regardless of the order their keys were written in. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) => (isRecord(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) : x));
}

/** Keys whose values differ between two configs, `epochs` included (spans and layers by value). */
export function configDifferences(a: Readonly<TrainConfig>, b: Readonly<TrainConfig>): (keyof TrainConfig)[] {
  return (Object.keys(DEFAULT_CONFIG) as (keyof TrainConfig)[]).filter((k) => canonical(a[k]) !== canonical(b[k]));
}

/** Field-by-field equality of two configs (spans and layers by value). */
export function configsEqual(a: Readonly<TrainConfig>, b: Readonly<TrainConfig>): boolean {
  return configDifferences(a, b).length === 0;
}

/** The hidden sizes, input side first. */
export const layerSizes = (c: Pick<TrainConfig, 'layers'>): number[] => c.layers.map((l) => l.size);

/** Inputs of the first layer for a dataset of `channels` channels: ceil(channels / pool). */
export const pooledInputs = (channels: number, pool: number): number => Math.ceil(channels / pool);

/**
 * A config of an earlier version as today's: the first landing's (format 1: one LIF layer of `hidden`
 * neurons, `recurrent`, scalar τ in seconds, readout max/mean with the hidden layer's τ) becomes the family's
 * one recurrent LIF layer with pool 1 and the readout's τ equal to the layer's; one without the training
 * protocol's options gets them, switched off. Anything else is returned as it is, for
 * {@link validateTrainConfig} to judge.
 */
export function upgradeConfig(value: unknown): unknown {
  if (!isRecord(value)) return value;
  // Configs from before the training protocol: trained on the whole training file, constant rate, no
  // augmentation; they keep doing so when resumed (validationFraction 0, not today's default).
  const protocol = 'validationFraction' in value ? {} : { ...PROTOCOL_DEFAULTS, augment: cloneAugment(DEFAULT_AUGMENT), validationFraction: 0 };
  // Configs from before the brf neuron lack its options; they have no effect on lif and adlif.
  const brf = 'brfOmega' in value ? {} : { ...BRF_DEFAULTS, brfOmega: { ...BRF_DEFAULTS.brfOmega }, brfBOffset: { ...BRF_DEFAULTS.brfBOffset } };
  // …and the delays (off).
  const delays = 'recDelayMax' in value ? {} : { ...DELAY_DEFAULTS, recDelayInit: { ...DELAY_DEFAULTS.recDelayInit }, ffDelayInit: { ...DELAY_DEFAULTS.ffDelayInit } };
  // Likewise the csilif options.
  const csilif = 'csilifLogDt' in value ? {} : { ...CSILIF_DEFAULTS, ...Object.fromEntries(CSILIF_SPANS.map((k) => [k, { ...CSILIF_DEFAULTS[k] }])) };
  if ('layers' in value || !('hidden' in value)) return { ...protocol, ...brf, ...csilif, ...delays, ...value };
  const { hidden, recurrent, tauSynS, tauMemS, ...rest } = value;
  return {
    ...cloneConfig(DEFAULT_CONFIG),
    ...protocol,
    ...rest,
    neuron: 'lif',
    layers: [{ size: hidden, recurrent, dropout: 0 }],
    tauSynS: typeof tauSynS === 'number' ? single(tauSynS) : tauSynS,
    tauMemS: typeof tauMemS === 'number' ? single(tauMemS) : tauMemS,
    readoutTauSynS: tauSynS,
    readoutTauMemS: tauMemS,
    learnTau: false,
    pool: 1,
    readoutSkip: 0,
  };
}

const cloneAugment = (a: Readonly<AugmentOptions>): AugmentOptions => ({ ...a, stretch: { ...a.stretch } });

/** The training-protocol options and their defaults (all off but the default validation split). */
const PROTOCOL_DEFAULTS = { weightDecay: 0, clipGrad: 0, patience: 0, ...DEFAULT_SCHEDULE, ...DEFAULT_VALIDATION };

/** decay = exp(−dt/τ). */
export const decayOf = (tauS: number, dtS: number): number => Math.exp(-dtS / tauS);

/** τ = −dt / ln(decay), the inverse of {@link decayOf}. */
export const tauOf = (decay: number, dtS: number): number => -dtS / Math.log(decay);

/**
 * The range a learned decay is clamped to after every optimizer step (the reference's `decay_bounds`): the
 * decays of the span's ends, or of [v/10, 10·v] for a single value v. Returned as [low, high] decay.
 */
export function decayBounds(span: Span, dtS: number): [number, number] {
  const [lo, hi] = span.lo === span.hi ? [span.lo / 10, span.hi * 10] : [span.lo, span.hi];
  return [decayOf(lo, dtS), decayOf(hi, dtS)];
}
