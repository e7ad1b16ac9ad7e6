/**
 * The TrainConfig options as `train` flags, named as `snn_reference.py` names them (`--tau-syn`, `--hidden 128,64`,
 * `--learn-tau`, `--lr`, `--bins`, `--reg`…), times in seconds as there: the flag tables and train's own config
 * parser. A config is built as base (defaults, `--config`, or the caller's) ← `--preset` ← the other flags, and
 * every problem names the flag that caused it, never the config key. The CLI (cli/configFlags.ts adds the help and
 * exit codes), the sweeps' task check (services/sweeps/taskConfig.ts) and the app's Sweeps preview all parse with
 * this one module, so a value is refused with the same words wherever it is typed. Plain TypeScript: the file of
 * `--config FILE` is read by the caller's function.
 */
import { CUSTOM_SURROGATES, customNeuronErrors, type CustomNeuronSpec, type CustomSurrogate } from './customNeuron';
import type { LayerDelayKey } from './layerDelays';
import {
  cloneConfig,
  cloneLayer,
  configErrors,
  DEFAULT_CONFIG,
  layerSizes,
  MAX_LAYERS,
  parseSpan,
  type FieldError,
  type LayerConfig,
  type Span,
  type SpanKey,
  type TrainConfig,
  upgradeConfig,
} from './config';
import type { AugmentOptions } from './augment';
import { findPreset, PRESETS } from './presets';

/** One problem with the flags: the flag at fault (without its dashes; null when none is) and the message. */
export interface FlagProblem {
  flag: string | null;
  message: string;
}

/** Flags that do not make a valid config; the message lists every problem, one per line, in flag terms. */
export class ConfigFlagError extends Error {
  constructor(readonly problems: FlagProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'ConfigFlagError';
  }
}

const refuse = (flag: string | null, message: string): never => {
  throw new ConfigFlagError([{ flag, message }]);
};

/** A flag that must be a finite number. */
function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) refuse(name, `--${name} must be a number${Object.hasOwn(LAYER_DELAY_FLAGS, name) ? ' or one per layer, D1,D2,…' : ''} (got "${value}")`);
  return x;
}

type NumberKey = { [K in keyof TrainConfig]-?: TrainConfig[K] extends number ? K : never }[keyof TrainConfig];
type ChoiceKey = 'neuron' | 'binning' | 'readout' | 'optimizer' | 'validationBy' | 'lrSchedule';
type AugmentNumberKey = Exclude<keyof AugmentOptions, 'stretch'>;

/** Flag name → config key, for the options that take one number. */
export const NUMBER_FLAGS = {
  'adapt-q': 'adaptQ',
  'brf-dt': 'brfDt',
  'rec-delay-max': 'recDelayMax',
  'ff-delay-max': 'ffDelayMax',
  'delay-sigma': 'delaySigma',
  'delay-sigma-decay': 'delaySigmaDecay',
  'delay-lr': 'delayLearningRate',
  'brf-gamma': 'brfGamma',
  'csilif-reset': 'csilifReset',
  pool: 'pool',
  'readout-skip': 'readoutSkip',
  'readout-tau-syn': 'readoutTauSynS',
  'readout-tau-mem': 'readoutTauMemS',
  dt: 'dtS',
  threshold: 'threshold',
  'surrogate-scale': 'surrogateScale',
  'weight-scale': 'weightScale',
  'nb-steps': 'nbSteps',
  'max-time': 'maxTimeS',
  'reg-l1': 'regL1',
  'reg-l2': 'regL2',
  lr: 'learningRate',
  batch: 'batchSize',
  epochs: 'epochs',
  seed: 'seed',
  'validation-fraction': 'validationFraction',
  patience: 'patience',
  'weight-decay': 'weightDecay',
  'clip-grad': 'clipGrad',
  'warmup-epochs': 'warmupEpochs',
  'min-lr': 'minLr',
  'plateau-factor': 'plateauFactor',
  'plateau-patience': 'plateauPatience',
  'plateau-threshold': 'plateauThreshold',
} as const satisfies Record<string, NumberKey>;

/** Flag name → augment field, for the augmentation options that take one number. */
export const AUGMENT_NUMBER_FLAGS = {
  'aug-channel-shift': 'channelShift',
  'aug-time-shift': 'timeShiftS',
  'aug-delete': 'deleteP',
  'aug-blend': 'blend',
} as const satisfies Record<string, AugmentNumberKey>;

/** Flag name → config key, for the options that take `V` or `LO:HI`. */
export const SPAN_FLAGS = {
  'tau-syn': 'tauSynS',
  'tau-mem': 'tauMemS',
  'tau-adapt': 'tauAdaptS',
  'adapt-a': 'adaptA',
  'adapt-b': 'adaptB',
  'brf-omega': 'brfOmega',
  'rec-delay-init': 'recDelayInit',
  'ff-delay-init': 'ffDelayInit',
  'brf-b-offset': 'brfBOffset',
  'csilif-log-log-alpha': 'csilifLogLogAlpha',
  'csilif-log-dt': 'csilifLogDt',
  'csilif-alpha-img': 'csilifAlphaImg',
  'csilif-b': 'csilifB',
} as const satisfies Record<string, SpanKey>;

/** The spans that are times (their help and errors say seconds). */
export const TIME_SPANS: readonly SpanKey[] = ['tauSynS', 'tauMemS', 'tauAdaptS'];

export const CHOICE_FLAGS = {
  neuron: 'neuron',
  bins: 'binning',
  readout: 'readout',
  optimizer: 'optimizer',
  'validation-by': 'validationBy',
  'lr-schedule': 'lrSchedule',
} as const satisfies Record<string, ChoiceKey>;

const flagOf = (table: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(table).map(([f, k]) => [k, `--${f}`]));

/** Config key → the flag that sets it, for messages (two set the layer list: the count, and the sizes). */
export const FLAG_OF: Readonly<Record<keyof TrainConfig, string>> = Object.freeze({
  ...(flagOf(NUMBER_FLAGS) as Record<NumberKey, string>),
  ...(flagOf(SPAN_FLAGS) as Record<SpanKey, string>),
  ...(flagOf(CHOICE_FLAGS) as Record<ChoiceKey, string>),
  layers: '--layers/--hidden',
  customNeuron: '--neuron-file',
  learnTau: '--learn-tau/--no-learn-tau',
  augment: '--aug-*',
});

/** Augment field → flag: configErrors reports them as `augment.<field>`, the stretch's ends as `augment.stretch.lo|hi`. */
export const AUGMENT_FLAG_OF: Readonly<Record<keyof AugmentOptions, string>> = Object.freeze({
  ...(flagOf(AUGMENT_NUMBER_FLAGS) as Record<AugmentNumberKey, string>),
  stretch: '--aug-stretch',
});

/** Layer field → flag: the flags set every layer alike, so the layer's index only stays in the message. */
const LAYER_FLAG_OF: Readonly<Record<keyof LayerConfig, string>> = {
  size: '--hidden',
  recurrent: '--recurrent/--no-recurrent',
  dropout: '--dropout',
  recDelayMax: '--rec-delay-max',
  recDelayInit: '--rec-delay-init',
  ffDelayMax: '--ff-delay-max',
  ffDelayInit: '--ff-delay-init',
};

const string = { type: 'string' } as const;
const boolean = { type: 'boolean' } as const;
/** A string option for every flag of a table, keeping the flag names in the type (so parsed values are typed). */
const stringFlags = <T extends object>(table: T) => Object.fromEntries(Object.keys(table).map((f) => [f, string])) as { [F in keyof T]: typeof string };

export const CONFIG_FLAGS = {
  config: string,
  preset: string,
  layers: string,
  hidden: string,
  recurrent: boolean,
  'no-recurrent': boolean,
  dropout: string,
  'learn-tau': boolean,
  'no-learn-tau': boolean,
  reg: string,
  ...stringFlags(NUMBER_FLAGS),
  ...stringFlags(SPAN_FLAGS),
  ...stringFlags(CHOICE_FLAGS),
  ...stringFlags(AUGMENT_NUMBER_FLAGS),
  'aug-stretch': string,
  'neuron-file': string,
  'neuron-surrogate': string,
};

/** Parsed flag values (a command's own flags may be among them; only CONFIG_FLAGS' are read). */
export type ConfigFlagValues = { readonly [flag: string]: unknown };

const str = (values: ConfigFlagValues, flag: string): string | undefined => {
  const v = values[flag];
  return typeof v === 'string' ? v : undefined;
};

/** true, false or undefined from a `--x`/`--no-x` pair; both at once is refused. */
function onOff(values: ConfigFlagValues, flag: string): boolean | undefined {
  const on = values[flag] === true;
  const off = values[`no-${flag}`] === true;
  if (on && off) refuse(flag, `give --${flag} or --no-${flag}, not both`);
  return on ? true : off ? false : undefined;
}

function spanFlag(flag: string, key: SpanKey, value: string | undefined): Span | undefined {
  if (value === undefined) return undefined;
  const span = parseSpan(value);
  const unit = TIME_SPANS.includes(key) ? ' in seconds' : '';
  const perLayer = Object.hasOwn(LAYER_DELAY_FLAGS, flag) ? ', or one per layer, LO:HI,LO:HI,…' : '';
  if (!span) return refuse(flag, `--${flag} must be V or LO:HI${unit}${perLayer} (got "${value}")`);
  return span;
}

/** The sizes `--hidden` lists (one or more, comma-separated); integrality and range are configErrors' job. */
function hiddenFlag(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',');
  const sizes = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (sizes.some((s) => !Number.isFinite(s))) refuse('hidden', `--hidden must be H or H1,H2,… (got "${value}")`);
  if (sizes.length > MAX_LAYERS) refuse('hidden', `--hidden lists ${sizes.length} sizes; at most ${MAX_LAYERS} layers are possible`);
  return sizes;
}

function layersFlag(value: string | undefined): number | undefined {
  const n = numberFlag('layers', value);
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= MAX_LAYERS)) {
    refuse('layers', `--layers must be an integer from 1 to ${MAX_LAYERS} (got ${value})`);
  }
  return n;
}

/**
 * The layer list the flags describe over `base`, or undefined when no layer flag is given. The list is only
 * rebuilt when the count or sizes change; a rebuilt list takes each layer's recurrence and dropout from the
 * flags, else from the base's first layer (the only per-layer settings the flags can express).
 */
function layersFromFlags(values: ConfigFlagValues, base: Readonly<TrainConfig>): LayerConfig[] | undefined {
  const count = layersFlag(str(values, 'layers'));
  const hidden = hiddenFlag(str(values, 'hidden'));
  const recurrent = onOff(values, 'recurrent');
  const dropout = numberFlag('dropout', str(values, 'dropout'));
  if (count === undefined && hidden === undefined && recurrent === undefined && dropout === undefined) return undefined;
  if (hidden && hidden.length > 1 && count !== undefined && count !== hidden.length) {
    refuse('layers', `--layers ${count} does not match --hidden ${str(values, 'hidden')}, which lists ${hidden.length} sizes`);
  }
  const baseSizes = layerSizes(base);
  const repeat = (n: number, size: number) => Array<number>(n).fill(size);
  const sizes =
    hidden && hidden.length > 1
      ? hidden
      : hidden
        ? repeat(count ?? baseSizes.length, hidden[0])
        : count === undefined || count === baseSizes.length
          ? baseSizes
          : repeat(count, baseSizes[0]);
  const same = sizes.length === baseSizes.length && sizes.every((s, l) => s === baseSizes[l]);
  const template = base.layers[0];
  const layers = same ? base.layers.map((l) => ({ ...l })) : sizes.map((size) => ({ ...template, size }));
  return layers.map((l) => ({ ...l, ...(recurrent !== undefined && { recurrent }), ...(dropout !== undefined && { dropout }) }));
}

/** The preset `--preset` names, or undefined; an unknown name is refused with the list of known ones. */
function presetFlag(name: string | undefined): Readonly<TrainConfig> | undefined {
  if (name === undefined) return undefined;
  const preset = findPreset(name);
  if (!preset) return refuse('preset', `--preset "${name}" is not a preset; known presets: ${PRESETS.map((p) => p.id).join(', ')}`);
  return preset.config;
}

/**
 * The options the command line sets (a preset's every option, then the flags given), typed, over `base`
 * (the layer flags need it to know the layers they change). Values are range-checked by {@link configFromFlags}.
 */
export function configOverrides(values: ConfigFlagValues, base: Readonly<TrainConfig> = DEFAULT_CONFIG): Partial<TrainConfig> {
  const preset = presetFlag(str(values, 'preset'));
  const out: Partial<Record<keyof TrainConfig, unknown>> = preset ? cloneConfig(preset) : {};
  const layers = layersFromFlags(values, preset ?? base);
  if (layers) out.layers = layers;
  const reg = numberFlag('reg', str(values, 'reg'));
  if (reg !== undefined) out.regL1 = out.regL2 = reg;
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) {
    if (Object.hasOwn(LAYER_DELAY_FLAGS, flag)) continue;
    const x = numberFlag(flag, str(values, flag));
    if (x !== undefined) out[key] = x;
  }
  for (const [flag, key] of Object.entries(SPAN_FLAGS)) {
    if (Object.hasOwn(LAYER_DELAY_FLAGS, flag)) continue;
    const span = spanFlag(flag, key, str(values, flag));
    if (span) out[key] = span;
  }
  delaysFromFlags(values, out, preset ?? base);
  for (const [flag, key] of Object.entries(CHOICE_FLAGS)) {
    const v = str(values, flag);
    if (v !== undefined) out[key] = v;
  }
  const learnTau = onOff(values, 'learn-tau');
  if (learnTau !== undefined) out.learnTau = learnTau;
  const augment = augmentFromFlags(values, preset ?? base);
  if (augment) out.augment = augment;
  return out as Partial<TrainConfig>;
}

/** The delay flags, which take one value for every layer or one per layer (`--rec-delay-max 25,0`). */
export const LAYER_DELAY_FLAGS = {
  'rec-delay-max': 'recDelayMax',
  'rec-delay-init': 'recDelayInit',
  'ff-delay-max': 'ffDelayMax',
  'ff-delay-init': 'ffDelayInit',
} as const satisfies Record<string, LayerDelayKey>;

/**
 * The delay flags into `out`: one value sets the config's option for every layer (and drops the layers' own values
 * of it, so that "every layer" holds); a comma-separated list, one value per layer (as many as the layers, after
 * --layers/--hidden), sets each layer's own value and leaves the config's.
 */
function delaysFromFlags(values: ConfigFlagValues, out: Partial<Record<keyof TrainConfig, unknown>>, base: Readonly<TrainConfig>): void {
  for (const [flag, key] of Object.entries(LAYER_DELAY_FLAGS)) {
    const text = str(values, flag);
    if (text === undefined) continue;
    const isSpan = key === 'recDelayInit' || key === 'ffDelayInit';
    const parts = text.split(',');
    const parsed = parts.map((p) => (isSpan ? spanFlag(flag, key, p) : numberFlag(flag, p)));
    const layers = ((out.layers as LayerConfig[] | undefined) ?? base.layers).map(cloneLayer);
    if (parts.length === 1) {
      out[key] = parsed[0];
      if (layers.some((l) => l[key] !== undefined)) {
        out.layers = layers.map((l) => {
          const { [key]: _dropped, ...rest } = l;
          return rest;
        });
      }
      continue;
    }
    if (parts.length !== layers.length) {
      refuse(flag, `--${flag} lists ${parts.length} values but the network has ${layers.length} layer${layers.length === 1 ? '' : 's'}; give one value for every layer or one per layer (got "${text}")`);
    }
    out.layers = layers.map((l, i) => ({ ...l, [key]: parsed[i] }));
  }
}

/**
 * The augmentation the flags describe over the base's (each flag changes its own field only), or undefined when
 * no augmentation flag is given, so that a resumed run sees no change it did not ask for.
 */
function augmentFromFlags(values: ConfigFlagValues, base: Readonly<TrainConfig>): AugmentOptions | undefined {
  const given: Partial<AugmentOptions> = {};
  for (const [flag, key] of Object.entries(AUGMENT_NUMBER_FLAGS)) {
    const x = numberFlag(flag, str(values, flag));
    if (x !== undefined) given[key] = x;
  }
  const stretchText = str(values, 'aug-stretch');
  if (stretchText !== undefined) {
    const span = parseSpan(stretchText);
    if (!span) return refuse('aug-stretch', `--aug-stretch must be a factor V or a range LO:HI (got "${stretchText}")`);
    given.stretch = span;
  }
  if (Object.keys(given).length === 0) return undefined;
  return { ...base.augment, stretch: { ...base.augment.stretch }, ...given };
}

const ownValue = (table: Readonly<Record<string, string>>, key: string): string | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

/** `--learn-tau/--no-learn-tau` → learn-tau: the first flag of a "/" list, without dashes; null for `--aug-*`. */
function flagName(flag: string): string | null {
  const first = flag.split('/')[0];
  return first.endsWith('*') ? null : first.replace(/^--/, '');
}

/**
 * A configErrors problem in flag terms: the config key it starts with becomes the flag (`tauMemS.hi must
 * be…` → `--tau-mem must be…`; the `(got …)` still says which end), else the flag is put in front.
 */
function flagProblem(e: FieldError): FlagProblem {
  const [key, , layerKey] = e.field.split('.');
  if (key === 'augment') return augmentFlagProblem(e);
  // Fields come from untrusted configs too (a session's unknown key), so only own entries count.
  const flag = key === 'layers' && layerKey !== undefined ? ownValue(LAYER_FLAG_OF, layerKey) : ownValue(FLAG_OF, key);
  if (!flag) return { flag: null, message: e.message };
  for (const lead of [e.field, key]) {
    if (e.message.startsWith(`${lead} `) || e.message.startsWith(`${lead}:`)) return { flag: flagName(flag), message: flag + e.message.slice(lead.length) };
  }
  return { flag: flagName(flag), message: `${flag}: ${e.message}` };
}

/** The same for an augmentation error: `augment.deleteP`, "augment: deleteP must be…" → "--aug-delete must be…". */
function augmentFlagProblem(e: FieldError): FlagProblem {
  const field = e.field.slice('augment.'.length);
  const flag = ownValue(AUGMENT_FLAG_OF, field.split('.')[0]);
  const message = e.message.startsWith('augment: ') ? e.message.slice('augment: '.length) : e.message;
  if (!flag) return { flag: null, message: e.message };
  for (const lead of [field, field.split('.')[0]]) {
    if (message.startsWith(`${lead} `) || message.startsWith(`${lead}:`)) return { flag: flagName(flag), message: flag + message.slice(lead.length) };
  }
  return { flag: flagName(flag), message: `${flag}: ${message}` };
}

/**
 * The base config of `--config FILE|JSON` (a TrainConfig as JSON: a file, read by `readText`, or the text itself
 * when it starts with "{"; what a sweep spec's `config` key passes), else the defaults.
 */
export function baseConfig(values: ConfigFlagValues, readText: (path: string) => string): TrainConfig {
  const base = jsonBaseConfig(values, readText);
  return withNeuronFile(base, values, readText);
}

/**
 * `--neuron-file FILE`: the user-defined neuron's program (shared/customNeuron.ts) from a text file, named after
 * it, with `--neuron-surrogate` (fast-sigmoid by default); the neuron kind becomes custom.
 */
function withNeuronFile(base: TrainConfig, values: ConfigFlagValues, readText: (path: string) => string): TrainConfig {
  const file = str(values, 'neuron-file');
  const surrogate = str(values, 'neuron-surrogate');
  if (file === undefined) {
    if (surrogate !== undefined) refuse('neuron-surrogate', '--neuron-surrogate needs --neuron-file');
    return base;
  }
  if (surrogate !== undefined && !CUSTOM_SURROGATES.includes(surrogate as CustomSurrogate)) {
    refuse('neuron-surrogate', `--neuron-surrogate must be one of ${CUSTOM_SURROGATES.join(', ')} (got "${surrogate}")`);
  }
  let source: string;
  try {
    source = readText(file);
  } catch (err) {
    return refuse('neuron-file', `--neuron-file: cannot read ${file} (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  const name = (file.split(/[\\/]/).pop() ?? file).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_ -]/g, '_').slice(0, 40) || 'custom';
  const spec: CustomNeuronSpec = { name, source, surrogate: (surrogate as CustomSurrogate | undefined) ?? 'fast-sigmoid' };
  const problems = customNeuronErrors(spec);
  if (problems.length) refuse('neuron-file', `--neuron-file ${file}: ${problems.join('; ')}`);
  return { ...base, neuron: 'custom', customNeuron: spec };
}

function jsonBaseConfig(values: ConfigFlagValues, readText: (path: string) => string): TrainConfig {
  const v = values.config;
  if (typeof v !== 'string') return DEFAULT_CONFIG;
  let parsed: unknown;
  try {
    parsed = JSON.parse(v.trimStart().startsWith('{') ? v : readText(v));
  } catch (err) {
    return refuse('config', `--config: ${v.trimStart().startsWith('{') ? 'the JSON' : v} is not a readable JSON config (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
  }
  const upgraded = upgradeConfig(parsed);
  const errors = configErrors(upgraded);
  if (errors.length) refuse('config', `--config: ${errors.map((e) => e.message).join('; ')}`);
  return cloneConfig(upgraded as TrainConfig);
}

/** `base` ← `--preset` ← the flags given, validated; errors (one per line) name the flags. */
export function configFromFlags(values: ConfigFlagValues, base: Readonly<TrainConfig> = DEFAULT_CONFIG): TrainConfig {
  const config = cloneConfig({ ...base, ...configOverrides(values, base) });
  const errors = configErrors(config);
  if (errors.length) {
    // A single value given for a span fails at both ends with the same words; say it once.
    const seen = new Set<string>();
    const problems = errors.map(flagProblem).filter((p) => !seen.has(p.message) && seen.add(p.message));
    throw new ConfigFlagError(problems);
  }
  return config;
}
