/**
 * The TrainConfig options as command-line flags, named as `snn_reference.py` names them (`--tau-syn`,
 * `--hidden 128,64`, `--learn-tau`, `--lr`, `--bins`, `--reg`…), times in seconds as there, so one command
 * line describes the same model to both (see referenceArgs.ts for the way back). Shared by every command
 * that takes a model configuration. A config is built as base (defaults, or the caller's) ← `--preset` ←
 * the other flags, and every error names the flag that caused it, never the config key.
 */
import {
  cloneConfig,
  configErrors,
  DEFAULT_CONFIG,
  layerSizes,
  MAX_LAYERS,
  parseSpan,
  spanText,
  type FieldError,
  type LayerConfig,
  type Span,
  type SpanKey,
  type TrainConfig,
  upgradeConfig,
} from '../shared/config';
import type { AugmentOptions } from '../shared/augment';
import { findPreset, PRESETS } from '../shared/presets';
import { LR_SCHEDULES } from '../shared/schedule';
import { MAX_VALIDATION_FRACTION, VALIDATION_BY } from '../shared/validation';
import { readFileSync } from 'node:fs';
import { numberFlag, type FlagSpec } from './args';
import { CliError } from './cliError';

type NumberKey = { [K in keyof TrainConfig]: TrainConfig[K] extends number ? K : never }[keyof TrainConfig];
type ChoiceKey = 'neuron' | 'binning' | 'readout' | 'optimizer' | 'validationBy' | 'lrSchedule';
type AugmentNumberKey = Exclude<keyof AugmentOptions, 'stretch'>;

/** Flag name → config key, for the options that take one number. */
const NUMBER_FLAGS = {
  'adapt-q': 'adaptQ',
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
const AUGMENT_NUMBER_FLAGS = {
  'aug-channel-shift': 'channelShift',
  'aug-time-shift': 'timeShiftS',
  'aug-delete': 'deleteP',
  'aug-blend': 'blend',
} as const satisfies Record<string, AugmentNumberKey>;

/** Flag name → config key, for the options that take `V` or `LO:HI`. */
const SPAN_FLAGS = {
  'tau-syn': 'tauSynS',
  'tau-mem': 'tauMemS',
  'tau-adapt': 'tauAdaptS',
  'adapt-a': 'adaptA',
  'adapt-b': 'adaptB',
} as const satisfies Record<string, SpanKey>;

/** The spans that are times (their help and errors say seconds). */
const TIME_SPANS: readonly SpanKey[] = ['tauSynS', 'tauMemS', 'tauAdaptS'];

const CHOICE_FLAGS = {
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
  learnTau: '--learn-tau/--no-learn-tau',
  augment: '--aug-*',
});

/** Augment field → flag: configErrors reports them as `augment.<field>`, the stretch's ends as `augment.stretch.lo|hi`. */
export const AUGMENT_FLAG_OF: Readonly<Record<keyof AugmentOptions, string>> = Object.freeze({
  ...(flagOf(AUGMENT_NUMBER_FLAGS) as Record<AugmentNumberKey, string>),
  stretch: '--aug-stretch',
});

/** Layer field → flag: the flags set every layer alike, so the layer's index only stays in the message. */
const LAYER_FLAG_OF: Readonly<Record<keyof LayerConfig, string>> = { size: '--hidden', recurrent: '--recurrent/--no-recurrent', dropout: '--dropout' };

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
} satisfies FlagSpec;

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
  if (on && off) throw new CliError(`give --${flag} or --no-${flag}, not both`, 2);
  return on ? true : off ? false : undefined;
}

function spanFlag(flag: string, key: SpanKey, value: string | undefined): Span | undefined {
  if (value === undefined) return undefined;
  const span = parseSpan(value);
  const unit = TIME_SPANS.includes(key) ? ' in seconds' : '';
  if (!span) throw new CliError(`--${flag} must be V or LO:HI${unit} (got "${value}")`, 2);
  return span;
}

/** The sizes `--hidden` lists (one or more, comma-separated); integrality and range are configErrors' job. */
function hiddenFlag(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',');
  const sizes = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (sizes.some((s) => !Number.isFinite(s))) throw new CliError(`--hidden must be H or H1,H2,… (got "${value}")`, 2);
  if (sizes.length > MAX_LAYERS) throw new CliError(`--hidden lists ${sizes.length} sizes; at most ${MAX_LAYERS} layers are possible`, 2);
  return sizes;
}

function layersFlag(value: string | undefined): number | undefined {
  const n = numberFlag('layers', value);
  if (n !== undefined && !(Number.isInteger(n) && n >= 1 && n <= MAX_LAYERS)) {
    throw new CliError(`--layers must be an integer from 1 to ${MAX_LAYERS} (got ${value})`, 2);
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
    throw new CliError(`--layers ${count} does not match --hidden ${str(values, 'hidden')}, which lists ${hidden.length} sizes`, 2);
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
  if (!preset) throw new CliError(`--preset "${name}" is not a preset; known presets: ${PRESETS.map((p) => p.id).join(', ')}`, 2);
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
    const x = numberFlag(flag, str(values, flag));
    if (x !== undefined) out[key] = x;
  }
  for (const [flag, key] of Object.entries(SPAN_FLAGS)) {
    const span = spanFlag(flag, key, str(values, flag));
    if (span) out[key] = span;
  }
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
    if (!span) throw new CliError(`--aug-stretch must be a factor V or a range LO:HI (got "${stretchText}")`, 2);
    given.stretch = span;
  }
  if (Object.keys(given).length === 0) return undefined;
  return { ...base.augment, stretch: { ...base.augment.stretch }, ...given };
}

const ownValue = (table: Readonly<Record<string, string>>, key: string): string | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

/**
 * A configErrors message in flag terms: the config key it starts with becomes the flag (`tauMemS.hi must
 * be…` → `--tau-mem must be…`; the `(got …)` still says which end), else the flag is put in front.
 */
function flagMessage(e: FieldError): string {
  const [key, , layerKey] = e.field.split('.');
  if (key === 'augment') return augmentFlagMessage(e);
  // Fields come from untrusted configs too (a session's unknown key), so only own entries count.
  const flag = key === 'layers' && layerKey !== undefined ? ownValue(LAYER_FLAG_OF, layerKey) : ownValue(FLAG_OF, key);
  if (!flag) return e.message;
  for (const lead of [e.field, key]) {
    if (e.message.startsWith(`${lead} `) || e.message.startsWith(`${lead}:`)) return flag + e.message.slice(lead.length);
  }
  return `${flag}: ${e.message}`;
}

/** The same for an augmentation error: `augment.deleteP`, "augment: deleteP must be…" → "--aug-delete must be…". */
function augmentFlagMessage(e: FieldError): string {
  const field = e.field.slice('augment.'.length);
  const flag = ownValue(AUGMENT_FLAG_OF, field.split('.')[0]);
  const message = e.message.startsWith('augment: ') ? e.message.slice('augment: '.length) : e.message;
  if (!flag) return e.message;
  for (const lead of [field, field.split('.')[0]]) {
    if (message.startsWith(`${lead} `) || message.startsWith(`${lead}:`)) return flag + message.slice(lead.length);
  }
  return `${flag}: ${message}`;
}

/**
 * The base config of `--config FILE|JSON` (a TrainConfig as JSON: a file, or the text itself when it starts with
 * "{"; what a sweep spec's `config` key passes), else the defaults.
 */
export function baseConfig(values: ConfigFlagValues): TrainConfig {
  const v = values.config;
  if (typeof v !== 'string') return DEFAULT_CONFIG;
  let parsed: unknown;
  try {
    parsed = JSON.parse(v.trimStart().startsWith('{') ? v : readFileSync(v, 'utf8'));
  } catch (err) {
    throw new CliError(`--config: ${v.trimStart().startsWith('{') ? 'the JSON' : v} is not a readable JSON config (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`, 2);
  }
  const upgraded = upgradeConfig(parsed);
  const errors = configErrors(upgraded);
  if (errors.length) throw new CliError(`--config: ${errors.map((e) => e.message).join('; ')}`, 2);
  return cloneConfig(upgraded as TrainConfig);
}

/** `base` ← `--preset` ← the flags given, validated; errors (one per line) name the flags. */
export function configFromFlags(values: ConfigFlagValues, base: Readonly<TrainConfig> = DEFAULT_CONFIG): TrainConfig {
  const config = cloneConfig({ ...base, ...configOverrides(values, base) });
  const errors = configErrors(config);
  // A single value given for a span fails at both ends with the same words; say it once.
  if (errors.length) throw new CliError([...new Set(errors.map(flagMessage))].join('\n'), 2);
  return config;
}

const onOffText = (on: boolean) => (on ? 'on' : 'off');

/** One value when every layer has it, else the per-layer list (a preset or session may differ by layer). */
function perLayer<T>(layers: readonly LayerConfig[], pick: (l: LayerConfig) => T, text: (v: T) => string): string {
  const vs = layers.map(pick);
  return vs.every((v) => v === vs[0]) ? text(vs[0]) : `per layer ${vs.map(text).join(',')}`;
}

/** The options' help with the defaults of `defaults` (bench, for one, starts from fewer epochs). */
export function configFlagsHelp(defaults: Readonly<TrainConfig> = DEFAULT_CONFIG): string {
  const d = defaults;
  const presetWidth = Math.max(...PRESETS.map((p) => p.id.length)) + 2;
  return `model and training options (defaults in parentheses${d === DEFAULT_CONFIG ? ", the reference's" : ''}; times in seconds;
the names are snn_reference.py's; a span is V, or LO:HI drawn uniformly per neuron):
  --config FILE|JSON    start from this config (TrainConfig JSON: a file, or the text itself) instead of
                        these defaults; --preset and the flags below override it
  --preset NAME         start from preset NAME (below) instead of these defaults; flags override it
  --layers N            hidden layers, 1 to ${MAX_LAYERS} (${d.layers.length})
  --hidden H|H1,H2,…    neurons per layer: one size for every layer, or one per layer (${layerSizes(d).join(',')})
  --neuron lif|adlif    neuron kind of every layer: current-based LIF or adaptive LIF (${d.neuron})
  --recurrent | --no-recurrent   recurrent weights in every layer on or off (${perLayer(d.layers, (l) => l.recurrent, onOffText)})
  --dropout P           dropout on every layer's output spikes while training, 0 ≤ P < 1 (${perLayer(d.layers, (l) => l.dropout, String)})
  --tau-syn S|LO:HI     lif: synaptic time constant (${spanText(d.tauSynS)})
  --tau-mem S|LO:HI     membrane time constant (${spanText(d.tauMemS)})
  --tau-adapt S|LO:HI   adlif: adaptation time constant (${spanText(d.tauAdaptS)})
  --adapt-a V|LO:HI     adlif: sub-threshold coupling a, per neuron (${spanText(d.adaptA)})
  --adapt-b V|LO:HI     adlif: spike-triggered adaptation b, per neuron (${spanText(d.adaptB)})
  --adapt-q X           adlif: scale of the adaptation's drive (${d.adaptQ})
  --learn-tau | --no-learn-tau   learn the hidden decays too, kept within their span (${onOffText(d.learnTau)})
  --pool P              input pooling: channel c feeds input c // P (${d.pool})
  --readout max|mean|softmax-sum   class score from the readout over time (${d.readout})
  --readout-skip N      softmax-sum: leading steps that do not count (${d.readoutSkip})
  --readout-tau-syn S   readout synaptic time constant (${d.readoutTauSynS})
  --readout-tau-mem S   readout membrane time constant (${d.readoutTauMemS})
  --dt S                simulation time step (${d.dtS})
  --threshold X         firing threshold (${d.threshold})
  --surrogate-scale X   fast-sigmoid surrogate steepness (${d.surrogateScale})
  --weight-scale X      init std = X/sqrt(fan_in) (${d.weightScale})
  --nb-steps T          time bins (${d.nbSteps})
  --max-time S          spikes at or after this time are dropped (${d.maxTimeS})
  --bins spytorch|uniform   binning (${d.binning})
  --reg X               both spike regularisers (${d.regL1 === d.regL2 ? d.regL1.toExponential() : 'they differ'})
  --reg-l1 X, --reg-l2 X    each regulariser alone, overriding --reg (${d.regL1.toExponential()}, ${d.regL2.toExponential()})
  --optimizer adam|adamax   (${d.optimizer})
  --lr X                learning rate (${d.learningRate})
  --batch N             batch size (${d.batchSize})
  --epochs N            total epochs (${d.epochs})
  --seed N              seed for init and shuffling (${d.seed})
training protocol (snn_reference.py has none of these; the test set never steers training or selection):
  --validation-fraction F   share of the training file held out for validation and model selection,
                        0 to ${MAX_VALIDATION_FRACTION}; 0 = none, the last epoch is selected (${d.validationFraction})
  --validation-by ${VALIDATION_BY.join('|')}   which samples are held out: a share of each class, or whole
                        speakers; auto = speaker when the file names two or more and the test set holds
                        out a voice (as SHD's), else class (${d.validationBy})
  --patience N          early stopping after N epochs without a validation gain; 0 = off (${d.patience})
  --weight-decay X      decoupled (AdamW) weight decay of the weight matrices (${d.weightDecay})
  --clip-grad X         scale the gradients down to total L2 norm X; 0 = off (${d.clipGrad})
  --lr-schedule ${LR_SCHEDULES.join('|')}   learning rate per epoch; plateau lowers it when validation
                        accuracy stalls (${d.lrSchedule})
  --warmup-epochs N     epochs of linear warm-up before the schedule (${d.warmupEpochs})
  --min-lr X            the floor: cosine's last rate, plateau's lowest (${d.minLr})
  --plateau-factor X    plateau: the rate is multiplied by X, 0 < X < 1 (${d.plateauFactor})
  --plateau-patience N  plateau: epochs without improvement tolerated before lowering (${d.plateauPatience})
  --plateau-threshold X   plateau: relative gain that counts as improvement (${d.plateauThreshold})
augmentation of the training batches (seeded per epoch; never the validation or test set):
  --aug-channel-shift K   move each sample's spikes by one random shift in ±K channels (${d.augment.channelShift})
  --aug-time-shift S    move each sample's spike times by one random shift in ±S (${d.augment.timeShiftS})
  --aug-stretch V|LO:HI   multiply each sample's spike times by one random factor in [LO, HI] (${spanText(d.augment.stretch)})
  --aug-delete P        delete each spike with probability P, 0 ≤ P < 1 (${d.augment.deleteP})
  --aug-blend P         with probability P, blend a sample with another of its class (${d.augment.blend})
presets (--preset NAME):
${PRESETS.map((p) => `  ${p.id.padEnd(presetWidth)}${p.name}`).join('\n')}`;
}

export const CONFIG_FLAGS_HELP = configFlagsHelp();
