/**
 * The training configuration: every option of the seed model, its defaults (those of
 * `../shared/reference/snn_reference.py`), its ranges and its validation.
 *
 * This file is the one contract for configs: the CLI parses flags into it, the renderer's form edits it,
 * IPC payloads are checked with {@link validateTrainConfig}, and sessions store it.
 * Times are in seconds here (as in the reference); the form shows milliseconds.
 */

export type Binning = 'spytorch' | 'uniform';
export type Readout = 'max' | 'mean';
export type OptimizerName = 'adam' | 'adamax';

export interface TrainConfig {
  /** Hidden LIF neurons H. */
  hidden: number;
  /** Recurrent hidden weights V1 on/off. */
  recurrent: boolean;
  /** Synaptic time constant (s); α = exp(−dt/τ_syn). */
  tauSynS: number;
  /** Membrane time constant (s); β = exp(−dt/τ_mem). */
  tauMemS: number;
  /** Simulation time step (s). */
  dtS: number;
  /** Firing threshold θ. */
  threshold: number;
  /** Fast-sigmoid surrogate steepness: dS/dU = 1/(scale·|U−θ|+1)². */
  surrogateScale: number;
  /** Init std numerator: weights ~ N(0, (weightScale/√fan_in)²). */
  weightScale: number;
  /** Number of time bins T. */
  nbSteps: number;
  /** Spikes at or after this time (s) are dropped. */
  maxTimeS: number;
  binning: Binning;
  /** Class score: max over time of the readout membrane (seed) or its mean. */
  readout: Readout;
  /** Coefficient of Σ spikes (reference `reg`). */
  regL1: number;
  /** Coefficient of mean over neurons of (spikes per neuron)² (reference `reg`). */
  regL2: number;
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
}

export const DEFAULT_CONFIG: Readonly<TrainConfig> = Object.freeze({
  hidden: 128,
  recurrent: true,
  tauSynS: 5e-3,
  tauMemS: 10e-3,
  dtS: 1e-3,
  threshold: 1,
  surrogateScale: 100,
  weightScale: 0.2,
  nbSteps: 100,
  maxTimeS: 1.4,
  binning: 'spytorch',
  readout: 'max',
  regL1: 2e-6,
  regL2: 2e-6,
  optimizer: 'adam',
  learningRate: 1e-3,
  batchSize: 256,
  epochs: 15,
  seed: 0,
});

type NumericKey = { [K in keyof TrainConfig]: TrainConfig[K] extends number ? K : never }[keyof TrainConfig];

export interface NumericRange {
  min: number;
  max: number;
  integer: boolean;
  /** Lower bound excluded (e.g. a time constant must be > 0). */
  minExclusive?: boolean;
}

/** Allowed ranges; the form shows them and the validator enforces them. */
export const CONFIG_RANGES: Readonly<Record<NumericKey, NumericRange>> = Object.freeze({
  hidden: { min: 1, max: 4096, integer: true },
  tauSynS: { min: 0, max: 10, integer: false, minExclusive: true },
  tauMemS: { min: 0, max: 10, integer: false, minExclusive: true },
  dtS: { min: 0, max: 1, integer: false, minExclusive: true },
  threshold: { min: 0, max: 1e3, integer: false, minExclusive: true },
  surrogateScale: { min: 0, max: 1e6, integer: false, minExclusive: true },
  weightScale: { min: 0, max: 100, integer: false },
  nbSteps: { min: 1, max: 10_000, integer: true },
  maxTimeS: { min: 0, max: 1e4, integer: false, minExclusive: true },
  regL1: { min: 0, max: 1e3, integer: false },
  regL2: { min: 0, max: 1e3, integer: false },
  learningRate: { min: 0, max: 10, integer: false, minExclusive: true },
  batchSize: { min: 1, max: 65_536, integer: true },
  epochs: { min: 1, max: 100_000, integer: true },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
});

export const BINNINGS: readonly Binning[] = ['spytorch', 'uniform'];
export const READOUTS: readonly Readout[] = ['max', 'mean'];
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'adamax'];

export interface FieldError {
  field: string;
  message: string;
}

function describeRange(r: NumericRange): string {
  const lo = r.minExclusive ? `> ${r.min}` : `≥ ${r.min}`;
  return `${r.integer ? 'an integer' : 'a number'} ${lo} and ≤ ${r.max}`;
}

/**
 * Checks an untrusted value (IPC payload, parsed JSON, session file) against the contract.
 * Returns every problem, each naming its field, so a form can show them next to the inputs.
 */
export function configErrors(value: unknown): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ field: '', message: 'config must be an object' }];
  }
  const v = value as Record<string, unknown>;
  const errors: FieldError[] = [];
  const known = new Set(Object.keys(DEFAULT_CONFIG));
  for (const key of Object.keys(v)) {
    if (!known.has(key)) errors.push({ field: key, message: `unknown option "${key}"` });
  }
  for (const [key, range] of Object.entries(CONFIG_RANGES) as [NumericKey, NumericRange][]) {
    const x = v[key];
    const bad =
      typeof x !== 'number' ||
      !Number.isFinite(x) ||
      (range.integer && !Number.isInteger(x)) ||
      (range.minExclusive ? x <= range.min : x < range.min) ||
      x > range.max;
    if (bad) errors.push({ field: key, message: `${key} must be ${describeRange(range)} (got ${JSON.stringify(x)})` });
  }
  if (typeof v.recurrent !== 'boolean') errors.push({ field: 'recurrent', message: 'recurrent must be true or false' });
  const choice = (key: string, options: readonly string[]) => {
    if (!options.includes(v[key] as string)) {
      errors.push({ field: key, message: `${key} must be one of ${options.join(', ')} (got ${JSON.stringify(v[key])})` });
    }
  };
  choice('binning', BINNINGS);
  choice('readout', READOUTS);
  choice('optimizer', OPTIMIZERS);
  return errors;
}

/** Throws one error listing every problem; returns the value typed when it is valid. */
export function validateTrainConfig(value: unknown): TrainConfig {
  const errors = configErrors(value);
  if (errors.length) throw new Error(`invalid training config: ${errors.map((e) => e.message).join('; ')}`);
  return value as TrainConfig;
}

/** Defaults overlaid with a partial config, then validated. */
export function makeConfig(partial: Partial<TrainConfig> = {}): TrainConfig {
  return validateTrainConfig({ ...DEFAULT_CONFIG, ...partial });
}

/** α = exp(−dt/τ_syn), β = exp(−dt/τ_mem). */
export function decayFactors(c: Pick<TrainConfig, 'dtS' | 'tauSynS' | 'tauMemS'>): { alpha: number; beta: number } {
  return { alpha: Math.exp(-c.dtS / c.tauSynS), beta: Math.exp(-c.dtS / c.tauMemS) };
}
