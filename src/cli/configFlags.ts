/**
 * The TrainConfig options as command-line flags: one --kebab-case flag per option, times in seconds as in
 * the reference (`--tau-syn 5e-3`), the reference's own flag names where it has one (`--lr`, `--batch`,
 * `--bins`, `--reg`). Shared by every command that takes a model configuration.
 */
import { configErrors, DEFAULT_CONFIG, type TrainConfig } from '../shared/config';
import { numberFlag, type FlagSpec } from './args';
import { CliError } from './cliError';

type NumberKey = { [K in keyof TrainConfig]: TrainConfig[K] extends number ? K : never }[keyof TrainConfig];
type ChoiceKey = 'binning' | 'readout' | 'optimizer';

/** Flag name → config key, for the options that take a number. */
const NUMBER_FLAGS: Record<string, NumberKey> = {
  hidden: 'hidden',
  'tau-syn': 'tauSynS',
  'tau-mem': 'tauMemS',
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
};

const CHOICE_FLAGS: Record<string, ChoiceKey> = { bins: 'binning', readout: 'readout', optimizer: 'optimizer' };

/** Config key → the flag that sets it, for error messages. */
export const FLAG_OF: Readonly<Record<keyof TrainConfig, string>> = Object.freeze({
  ...(Object.fromEntries([...Object.entries(NUMBER_FLAGS), ...Object.entries(CHOICE_FLAGS)].map(([f, k]) => [k, `--${f}`])) as Record<
    NumberKey | ChoiceKey,
    string
  >),
  recurrent: '--recurrent/--no-recurrent',
});

export const CONFIG_FLAGS = {
  ...Object.fromEntries([...Object.keys(NUMBER_FLAGS), ...Object.keys(CHOICE_FLAGS)].map((f) => [f, { type: 'string' as const }])),
  reg: { type: 'string' },
  recurrent: { type: 'boolean' },
  'no-recurrent': { type: 'boolean' },
} satisfies FlagSpec;

/** The options' help with the defaults of `defaults` (bench, for one, starts from fewer epochs). */
export const configFlagsHelp = (defaults: TrainConfig = DEFAULT_CONFIG): string => `model and training options (defaults in parentheses${defaults === DEFAULT_CONFIG ? ", the reference's" : ''}; times in seconds):
  --hidden N            hidden LIF neurons (${defaults.hidden})
  --recurrent | --no-recurrent   recurrent hidden weights V1 on or off (${defaults.recurrent ? 'on' : 'off'})
  --tau-syn S           synaptic time constant (${defaults.tauSynS})
  --tau-mem S           membrane time constant (${defaults.tauMemS})
  --dt S                simulation time step (${defaults.dtS})
  --threshold X         firing threshold (${defaults.threshold})
  --surrogate-scale X   fast-sigmoid surrogate steepness (${defaults.surrogateScale})
  --weight-scale X      init std = X/sqrt(fan_in) (${defaults.weightScale})
  --nb-steps T          time bins (${defaults.nbSteps})
  --max-time S          spikes at or after this time are dropped (${defaults.maxTimeS})
  --bins spytorch|uniform   binning (${defaults.binning})
  --readout max|mean    class score over time (${defaults.readout})
  --reg X               both spike regularisers, as the reference's --reg (${defaults.regL1.toExponential()})
  --reg-l1 X, --reg-l2 X    each regulariser alone (override --reg)
  --optimizer adam|adamax   (${defaults.optimizer})
  --lr X                learning rate (${defaults.learningRate})
  --batch N             batch size (${defaults.batchSize})
  --epochs N            total epochs (${defaults.epochs})
  --seed N              seed for init and shuffling (${defaults.seed})`;

export const CONFIG_FLAGS_HELP = configFlagsHelp();

type ConfigFlagValues = { [K in keyof typeof CONFIG_FLAGS]?: (typeof CONFIG_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

/** The options given on the command line (and only those), typed; values are checked by {@link configFromFlags}. */
export function configOverrides(values: ConfigFlagValues): Partial<TrainConfig> {
  const out: Partial<Record<keyof TrainConfig, unknown>> = {};
  const reg = numberFlag('reg', values.reg);
  if (reg !== undefined) out.regL1 = out.regL2 = reg;
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) {
    const x = numberFlag(flag, values[flag as keyof ConfigFlagValues] as string | undefined);
    if (x !== undefined) out[key] = x;
  }
  for (const [flag, key] of Object.entries(CHOICE_FLAGS)) {
    const v = values[flag as keyof ConfigFlagValues];
    if (v !== undefined) out[key] = v;
  }
  if (values.recurrent && values['no-recurrent']) throw new CliError('give --recurrent or --no-recurrent, not both', 2);
  if (values.recurrent) out.recurrent = true;
  if (values['no-recurrent']) out.recurrent = false;
  return out as Partial<TrainConfig>;
}

/** `base` overlaid with the flags given, validated; errors name the flags, not the config keys. */
export function configFromFlags(values: ConfigFlagValues, base: TrainConfig = DEFAULT_CONFIG): TrainConfig {
  const config = { ...base, ...configOverrides(values) };
  const errors = configErrors(config);
  if (errors.length) {
    const messages = errors.map((e) => {
      const flag = FLAG_OF[e.field as keyof TrainConfig];
      return flag ? `${flag}: ${e.message}` : e.message;
    });
    throw new CliError(messages.join('\n'), 2);
  }
  return config;
}
