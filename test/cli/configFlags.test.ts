import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../src/cli/args';
import { CliError } from '../../src/cli/cliError';
import { AUGMENT_FLAG_OF, CONFIG_FLAGS, CONFIG_FLAGS_HELP, configFlagsHelp, configFromFlags, configOverrides, FLAG_OF, type ConfigFlagValues } from '../../src/cli/configFlags';
import { referenceArgs } from '../../src/cli/referenceArgs';
import { augmentEnabled, DEFAULT_AUGMENT } from '../../src/shared/augment';
import { cloneConfig, DEFAULT_CONFIG, makeConfig, type TrainConfig } from '../../src/shared/config';
import { findPreset, PRESETS } from '../../src/shared/presets';
import { DEFAULT_VALIDATION } from '../../src/shared/validation';

const parse = (argv: string[]) => parseFlags(argv, CONFIG_FLAGS).values;
const fromArgv = (argv: string[], base?: TrainConfig) => configFromFlags(parse(argv), base);

/** The CliError `fn` throws (so a test can check its exact message and exit code). */
function cliError(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CliError) return err;
    throw err;
  }
  throw new Error('expected a CliError');
}
const messageOf = (argv: string[]) => {
  const err = cliError(() => fromArgv(argv));
  expect(err.exitCode).toBe(2);
  return err.message;
};

const layer = (size: number, recurrent = true, dropout = 0) => ({ size, recurrent, dropout });

describe('config flags set their fields', () => {
  it('maps every option, times in seconds, to the config', () => {
    const argv = [
      '--layers', '2', '--hidden', '64', '--neuron', 'adlif', '--no-recurrent', '--dropout', '0.1', '--learn-tau',
      '--tau-syn', '0.004', '--tau-mem', '0.005:0.025', '--tau-adapt', '0.1:0.2', '--adapt-a', '0.5:1.5', '--adapt-b', '1',
      '--adapt-q', '20', '--pool', '5', '--readout', 'softmax-sum', '--readout-skip', '10', '--readout-tau-syn', '0.003',
      '--readout-tau-mem', '0.02', '--dt', '0.002', '--threshold', '1.5', '--surrogate-scale', '50', '--weight-scale', '0.3',
      '--nb-steps', '50', '--max-time', '1', '--bins', 'uniform', '--reg-l1', '1e-5', '--reg-l2', '3e-6',
      '--optimizer', 'adamax', '--lr', '0.002', '--batch', '32', '--epochs', '4', '--seed', '7',
      '--validation-fraction', '0.2', '--validation-by', 'speaker', '--patience', '5', '--weight-decay', '0.01',
      '--clip-grad', '2', '--lr-schedule', 'plateau', '--warmup-epochs', '3', '--min-lr', '1e-5', '--plateau-factor', '0.5',
      '--plateau-patience', '4', '--plateau-threshold', '0.001', '--aug-channel-shift', '20', '--aug-time-shift', '0.05',
      '--aug-stretch', '0.9:1.1', '--aug-delete', '0.1', '--aug-blend', '0.5',
      '--brf-omega', '4:8', '--brf-b-offset', '1', '--brf-dt', '0.02', '--brf-gamma', '0.8',
      '--rec-delay-max', '25', '--rec-delay-init', '1:4', '--delay-sigma', '10', '--delay-sigma-decay', '0.9', '--delay-lr', '0.05',
      '--csilif-log-log-alpha=-1', '--csilif-log-dt=-4:-1', '--csilif-alpha-img', '3:4', '--csilif-b', '0.5:2', '--csilif-reset', '0.25',
    ];
    const expected: TrainConfig = {
      neuron: 'adlif', layers: [layer(64, false, 0.1), layer(64, false, 0.1)],
      tauSynS: { lo: 0.004, hi: 0.004 }, tauMemS: { lo: 0.005, hi: 0.025 }, tauAdaptS: { lo: 0.1, hi: 0.2 },
      adaptA: { lo: 0.5, hi: 1.5 }, adaptB: { lo: 1, hi: 1 }, adaptQ: 20, learnTau: true, pool: 5,
      brfOmega: { lo: 4, hi: 8 }, brfBOffset: { lo: 1, hi: 1 }, brfDt: 0.02, brfGamma: 0.8,
      recDelayMax: 25, recDelayInit: { lo: 1, hi: 4 }, ffDelayMax: 0, ffDelayInit: { lo: 0, hi: 3 }, delaySigma: 10, delaySigmaDecay: 0.9, delayLearningRate: 0.05,
      csilifLogLogAlpha: { lo: -1, hi: -1 }, csilifLogDt: { lo: -4, hi: -1 }, csilifAlphaImg: { lo: 3, hi: 4 }, csilifB: { lo: 0.5, hi: 2 },
      csilifReset: 0.25,
      readoutTauSynS: 0.003, readoutTauMemS: 0.02, readout: 'softmax-sum', readoutSkip: 10, dtS: 0.002, threshold: 1.5,
      surrogateScale: 50, weightScale: 0.3, nbSteps: 50, maxTimeS: 1, binning: 'uniform', regL1: 1e-5, regL2: 3e-6,
      optimizer: 'adamax', learningRate: 0.002, batchSize: 32, epochs: 4, seed: 7,
      validationFraction: 0.2, validationBy: 'speaker', patience: 5, weightDecay: 0.01, clipGrad: 2, lrSchedule: 'plateau',
      warmupEpochs: 3, minLr: 1e-5, plateauFactor: 0.5, plateauPatience: 4, plateauThreshold: 0.001,
      augment: { channelShift: 20, timeShiftS: 0.05, stretch: { lo: 0.9, hi: 1.1 }, deleteP: 0.1, blend: 0.5 },
    };
    expect(fromArgv(argv)).toEqual(expected);
  });

  it('gives the defaults when no flag is given, and only the given ones as overrides', () => {
    expect(fromArgv([])).toEqual(DEFAULT_CONFIG);
    expect(configOverrides(parse(['--epochs', '3', '--no-learn-tau']))).toEqual({ epochs: 3, learnTau: false });
    expect(configOverrides(parse(['--recurrent']))).toEqual({ layers: [layer(128, true)] });
  });

  it('reads negative span ends written --flag=LO:HI', () => {
    expect(fromArgv(['--adapt-a=-1:1', '--adapt-b=-0.5']).adaptA).toEqual({ lo: -1, hi: 1 });
    expect(fromArgv(['--adapt-b=-0.5']).adaptB).toEqual({ lo: -0.5, hi: -0.5 });
  });

  it('each protocol flag sets its own field and nothing else', () => {
    const cases: [string[], Partial<TrainConfig>][] = [
      [['--validation-fraction', '0'], { validationFraction: 0 }],
      [['--validation-by', 'class'], { validationBy: 'class' }],
      [['--patience', '3'], { patience: 3 }],
      [['--weight-decay', '0.05'], { weightDecay: 0.05 }],
      [['--clip-grad', '1.5'], { clipGrad: 1.5 }],
      [['--lr-schedule', 'cosine'], { lrSchedule: 'cosine' }],
      [['--warmup-epochs', '2'], { warmupEpochs: 2 }],
      [['--min-lr', '1e-4'], { minLr: 1e-4 }],
      [['--plateau-factor', '0.3'], { plateauFactor: 0.3 }],
      [['--plateau-patience', '2'], { plateauPatience: 2 }],
      [['--plateau-threshold', '0.01'], { plateauThreshold: 0.01 }],
    ];
    for (const [argv, fields] of cases) {
      expect(configOverrides(parse(argv)), argv.join(' ')).toEqual(fields);
      expect(fromArgv(argv), argv.join(' ')).toEqual({ ...cloneConfig(DEFAULT_CONFIG), ...fields });
    }
  });

  it('each augmentation flag sets its field of the base augmentation; a single stretch V is V:V', () => {
    const aug = (a: Partial<TrainConfig['augment']>) => ({ augment: { ...DEFAULT_AUGMENT, stretch: { lo: 1, hi: 1 }, ...a } });
    expect(configOverrides(parse(['--aug-channel-shift', '4']))).toEqual(aug({ channelShift: 4 }));
    expect(configOverrides(parse(['--aug-time-shift', '0.1']))).toEqual(aug({ timeShiftS: 0.1 }));
    expect(configOverrides(parse(['--aug-stretch', '0.8:1.25']))).toEqual(aug({ stretch: { lo: 0.8, hi: 1.25 } }));
    expect(configOverrides(parse(['--aug-stretch', '1.1']))).toEqual(aug({ stretch: { lo: 1.1, hi: 1.1 } }));
    expect(configOverrides(parse(['--aug-delete', '0.2']))).toEqual(aug({ deleteP: 0.2 }));
    expect(configOverrides(parse(['--aug-blend', '1']))).toEqual(aug({ blend: 1 }));
    // Over a base with augmentation: the other fields stay the base's.
    const base = makeConfig({ augment: { channelShift: 5, timeShiftS: 0.02, stretch: { lo: 0.9, hi: 1.1 }, deleteP: 0, blend: 0.5 } });
    expect(fromArgv(['--aug-delete', '0.3'], base).augment).toEqual({ ...base.augment, deleteP: 0.3 });
    expect(configOverrides(parse(['--epochs', '2']), base)).toEqual({ epochs: 2 });
  });

  it('--reg sets both regularisers, --reg-l1/--reg-l2 override it', () => {
    expect(configOverrides(parse(['--reg', '1e-4']))).toEqual({ regL1: 1e-4, regL2: 1e-4 });
    expect(configOverrides(parse(['--reg', '1e-4', '--reg-l2', '0']))).toEqual({ regL1: 1e-4, regL2: 0 });
  });
});

describe('the layer flags', () => {
  const base = makeConfig({ layers: [layer(256, false, 0.2), layer(32, true, 0)] });

  it('--hidden H repeats one size over --layers, or over the base layer count without it', () => {
    expect(fromArgv(['--layers', '3', '--hidden', '48']).layers).toEqual([layer(48), layer(48), layer(48)]);
    expect(fromArgv(['--hidden', '48'], base).layers).toEqual([layer(48, false, 0.2), layer(48, false, 0.2)]);
  });

  it('--hidden H1,H2,… gives one layer per size; a matching --layers is accepted', () => {
    expect(fromArgv(['--hidden', '100,50,25']).layers).toEqual([layer(100), layer(50), layer(25)]);
    expect(fromArgv(['--layers', '2', '--hidden', '100,50']).layers).toEqual([layer(100), layer(50)]);
  });

  it('--layers N alone gives N layers of the base first layer, with its recurrence and dropout', () => {
    expect(fromArgv(['--layers', '3'], base).layers).toEqual([layer(256, false, 0.2), layer(256, false, 0.2), layer(256, false, 0.2)]);
    expect(fromArgv(['--layers', '2']).layers).toEqual([layer(128), layer(128)]);
  });

  it('keeps the base layers as they are when count and sizes do not change', () => {
    expect(fromArgv(['--hidden', '256,32'], base).layers).toEqual(base.layers);
    expect(fromArgv(['--layers', '2'], base).layers).toEqual(base.layers);
  });

  it('--recurrent/--no-recurrent and --dropout set every layer, rebuilt or not', () => {
    expect(fromArgv(['--recurrent', '--dropout', '0.3'], base).layers).toEqual([layer(256, true, 0.3), layer(32, true, 0.3)]);
    expect(fromArgv(['--hidden', '10,20', '--no-recurrent']).layers).toEqual([layer(10, false), layer(20, false)]);
  });
});

describe('--preset', () => {
  const tutorial = findPreset('spytorch-tutorial')!.config;

  it('starts from the preset instead of the base; explicit flags override it', () => {
    expect(fromArgv(['--preset', 'spytorch-tutorial'])).toEqual(tutorial);
    expect(fromArgv(['--preset', 'spytorch-tutorial'], makeConfig({ epochs: 3, seed: 9 }))).toEqual(tutorial);
    expect(fromArgv(['--preset', 'spytorch-tutorial', '--epochs', '5', '--lr', '1e-3'])).toEqual({ ...cloneConfig(tutorial), epochs: 5, learningRate: 1e-3 });
  });

  it('layer flags change the preset layers', () => {
    expect(fromArgv(['--preset', 'spytorch-tutorial', '--layers', '2']).layers).toEqual([layer(200), layer(200)]);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(messageOf(['--preset', 'zenke'])).toBe(`--preset "zenke" is not a preset; known presets: ${PRESETS.map((p) => p.id).join(', ')}`);
  });
});

describe('errors name the flag', () => {
  it('has a flag for every config key', () => {
    expect(Object.keys(FLAG_OF).sort()).toEqual([...Object.keys(DEFAULT_CONFIG), 'customNeuron'].sort());
    expect(FLAG_OF.tauMemS).toBe('--tau-mem');
    expect(FLAG_OF.binning).toBe('--bins');
    expect(FLAG_OF.learnTau).toBe('--learn-tau/--no-learn-tau');
    expect(FLAG_OF.layers).toBe('--layers/--hidden');
    expect(FLAG_OF.validationFraction).toBe('--validation-fraction');
    expect(FLAG_OF.lrSchedule).toBe('--lr-schedule');
    expect(FLAG_OF.augment).toBe('--aug-*');
    expect(Object.keys(AUGMENT_FLAG_OF).sort()).toEqual(Object.keys(DEFAULT_AUGMENT).sort());
    expect(AUGMENT_FLAG_OF).toEqual({
      channelShift: '--aug-channel-shift', timeShiftS: '--aug-time-shift', stretch: '--aug-stretch', deleteP: '--aug-delete', blend: '--aug-blend',
    });
    // Every flag these tables name is one the parser takes.
    for (const flag of [...Object.values(FLAG_OF), ...Object.values(AUGMENT_FLAG_OF)].flatMap((f) => f.split('/'))) {
      if (flag !== '--aug-*') expect(Object.keys(CONFIG_FLAGS), flag).toContain(flag.slice(2));
    }
  });

  it('maps every config field to the flag that sets it', () => {
    const cases: [string[], string][] = [
      [['--tau-syn=-1'], '--tau-syn must be a number > 0 and ≤ 10 (got -1)'],
      [['--tau-mem', '0.005:20'], '--tau-mem must be a number > 0 and ≤ 10 (got 20)'],
      [['--tau-mem', '0.02:0.01'], '--tau-mem: the upper end 0.01 is below the lower end 0.02'],
      [['--tau-adapt', '0'], '--tau-adapt must be a number > 0 and ≤ 100 (got 0)'],
      [['--adapt-a=-200:0'], '--adapt-a must be a number ≥ -100 and ≤ 100 (got -200)'],
      [['--adapt-b', '0:101'], '--adapt-b must be a number ≥ -100 and ≤ 100 (got 101)'],
      [['--adapt-q=-1'], '--adapt-q must be a number ≥ 0 and ≤ 10000 (got -1)'],
      [['--hidden', '1.5'], '--hidden: layer 1 size must be an integer ≥ 1 and ≤ 4096 (got 1.5)'],
      [['--hidden', '64,0'], '--hidden: layer 2 size must be an integer ≥ 1 and ≤ 4096 (got 0)'],
      [['--dropout', '1'], '--dropout: layer 1 dropout must be a number ≥ 0 and < 1 (got 1)'],
      [['--neuron', 'izh'], '--neuron must be one of lif, adlif, brf, csilif, custom (got "izh")'],
      [['--bins', 'log'], '--bins must be one of spytorch, uniform (got "log")'],
      [['--readout', 'last'], '--readout must be one of max, mean, softmax-sum (got "last")'],
      [['--optimizer', 'sgd'], '--optimizer must be one of adam, adamax (got "sgd")'],
      [['--readout-skip', '3'], '--readout-skip applies to the softmax-sum readout only; set it to 0 for max'],
      [['--readout', 'softmax-sum', '--readout-skip', '100'], '--readout-skip must be below the number of time steps (100), got 100'],
      [['--readout-tau-syn', '0'], '--readout-tau-syn must be a number > 0 and ≤ 10 (got 0)'],
      [['--readout-tau-mem', '11'], '--readout-tau-mem must be a number > 0 and ≤ 10 (got 11)'],
      [['--pool', '0'], '--pool must be an integer ≥ 1 and ≤ 4096 (got 0)'],
      [['--dt', '0'], '--dt must be a number > 0 and ≤ 1 (got 0)'],
      [['--threshold', '0'], '--threshold must be a number > 0 and ≤ 1000 (got 0)'],
      [['--surrogate-scale', '0'], '--surrogate-scale must be a number > 0 and ≤ 1000000 (got 0)'],
      [['--weight-scale=-1'], '--weight-scale must be a number ≥ 0 and ≤ 100 (got -1)'],
      [['--nb-steps', '10001'], '--nb-steps must be an integer ≥ 1 and ≤ 10000 (got 10001)'],
      [['--max-time', '0'], '--max-time must be a number > 0 and ≤ 10000 (got 0)'],
      [['--reg-l1=-1'], '--reg-l1 must be a number ≥ 0 and ≤ 1000 (got -1)'],
      [['--reg-l2=-1'], '--reg-l2 must be a number ≥ 0 and ≤ 1000 (got -1)'],
      [['--lr', '0'], '--lr must be a number > 0 and ≤ 10 (got 0)'],
      [['--batch', '0'], '--batch must be an integer ≥ 1 and ≤ 65536 (got 0)'],
      [['--epochs', '0'], '--epochs must be an integer ≥ 1 and ≤ 100000 (got 0)'],
      [['--seed=-1'], '--seed must be an integer ≥ 0 and ≤ 4294967295 (got -1)'],
      [['--validation-fraction', '0.6'], '--validation-fraction must be a number ≥ 0 and ≤ 0.5 (got 0.6)'],
      [['--validation-by', 'voice'], '--validation-by must be one of auto, class, speaker (got "voice")'],
      [['--patience', '1.5'], '--patience must be an integer ≥ 0 and ≤ 100000 (got 1.5)'],
      [['--weight-decay=-0.1'], '--weight-decay must be a number ≥ 0 and ≤ 10 (got -0.1)'],
      [['--clip-grad=-1'], '--clip-grad must be a number ≥ 0 and ≤ 1000000 (got -1)'],
      [['--lr-schedule', 'step'], '--lr-schedule must be one of constant, cosine, plateau (got "step")'],
      [['--warmup-epochs', '0.5'], '--warmup-epochs must be an integer ≥ 0 and ≤ 100000 (got 0.5)'],
      [['--min-lr', '11'], '--min-lr must be a number ≥ 0 and ≤ 10 (got 11)'],
      [['--plateau-factor', '1'], '--plateau-factor must be a number > 0 and < 1 (got 1)'],
      [['--plateau-patience=-1'], '--plateau-patience must be an integer ≥ 0 and ≤ 100000 (got -1)'],
      [['--plateau-threshold', '2'], '--plateau-threshold must be a number ≥ 0 and ≤ 1 (got 2)'],
      [['--aug-channel-shift', '1.5'], '--aug-channel-shift must be an integer ≥ 0 and ≤ 65535 (got 1.5)'],
      [['--aug-time-shift=-0.1'], '--aug-time-shift must be a finite number ≥ 0 (got -0.1)'],
      [['--aug-stretch', '0'], '--aug-stretch must be a finite number > 0 (got 0)'],
      [['--aug-stretch', '1.2:0.8'], '--aug-stretch: the upper end 0.8 is below the lower end 1.2'],
      [['--aug-delete', '1'], '--aug-delete must be a number ≥ 0 and < 1 (got 1)'],
      [['--aug-blend', '1.5'], '--aug-blend must be a number ≥ 0 and ≤ 1 (got 1.5)'],
    ];
    for (const [argv, message] of cases) expect(messageOf(argv), argv.join(' ')).toBe(message);
  });

  it('says a single bad span value once, and every bad layer', () => {
    expect(messageOf(['--tau-mem', '20'])).toBe('--tau-mem must be a number > 0 and ≤ 10 (got 20)');
    expect(messageOf(['--layers', '2', '--hidden', '0'])).toBe(
      '--hidden: layer 1 size must be an integer ≥ 1 and ≤ 4096 (got 0)\n--hidden: layer 2 size must be an integer ≥ 1 and ≤ 4096 (got 0)',
    );
  });

  it('refuses malformed values before any range check', () => {
    expect(messageOf(['--tau-mem', '5:'])).toBe('--tau-mem must be V or LO:HI in seconds (got "5:")');
    expect(messageOf(['--tau-syn', '1:2:3'])).toBe('--tau-syn must be V or LO:HI in seconds (got "1:2:3")');
    expect(messageOf(['--adapt-a', 'a:b'])).toBe('--adapt-a must be V or LO:HI (got "a:b")');
    expect(messageOf(['--hidden', '64,'])).toBe('--hidden must be H or H1,H2,… (got "64,")');
    expect(messageOf(['--hidden', '1,2,3,4,5'])).toBe('--hidden lists 5 sizes; at most 4 layers are possible');
    expect(messageOf(['--layers', '5'])).toBe('--layers must be an integer from 1 to 4 (got 5)');
    expect(messageOf(['--layers', '1.5'])).toBe('--layers must be an integer from 1 to 4 (got 1.5)');
    expect(messageOf(['--layers', 'two'])).toBe('--layers must be a number (got "two")');
    expect(messageOf(['--lr', 'fast'])).toBe('--lr must be a number (got "fast")');
    expect(messageOf(['--dropout', 'x'])).toBe('--dropout must be a number (got "x")');
    expect(messageOf(['--reg', ''])).toBe('--reg must be a number (got "")');
    expect(messageOf(['--patience', 'ten'])).toBe('--patience must be a number (got "ten")');
    expect(messageOf(['--aug-delete', 'x'])).toBe('--aug-delete must be a number (got "x")');
    expect(messageOf(['--aug-stretch', '0.9:'])).toBe('--aug-stretch must be a factor V or a range LO:HI (got "0.9:")');
  });

  it('refuses contradictions', () => {
    expect(messageOf(['--layers', '3', '--hidden', '64,32'])).toBe('--layers 3 does not match --hidden 64,32, which lists 2 sizes');
    expect(messageOf(['--recurrent', '--no-recurrent'])).toBe('give --recurrent or --no-recurrent, not both');
    expect(messageOf(['--learn-tau', '--no-learn-tau'])).toBe('give --learn-tau or --no-learn-tau, not both');
  });

  it('the delay flags take one value for every layer, or one per layer', () => {
    const two = ['--hidden', '64,32'];
    const c = fromArgv([...two, '--rec-delay-max', '25,0', '--rec-delay-init', '0:5,0:3', '--ff-delay-max', '4']);
    expect(c.layers).toEqual([
      { ...layer(64), recDelayMax: 25, recDelayInit: { lo: 0, hi: 5 } },
      { ...layer(32), recDelayMax: 0, recDelayInit: { lo: 0, hi: 3 } },
    ]);
    // The config's own values stay (each layer has its own); one value is the config's, for every layer.
    expect([c.recDelayMax, c.ffDelayMax]).toEqual([0, 4]);
    // One value over a base whose layers have their own drops theirs: "every layer" holds.
    const again = fromArgv(['--rec-delay-max', '6'], c);
    expect(again.recDelayMax).toBe(6);
    expect(again.layers.map((l) => l.recDelayMax)).toEqual([undefined, undefined]);
    expect(again.layers[0].recDelayInit).toEqual({ lo: 0, hi: 5 });
    // Flags that do not name delays leave the layers' own values alone.
    expect(fromArgv(['--epochs', '2'], c).layers).toEqual(c.layers);
  });

  it('refuses a delay list that does not match the layers, a bad value, or recurrent delays without recurrence', () => {
    expect(messageOf(['--rec-delay-max', '25,0'])).toBe('--rec-delay-max lists 2 values but the network has 1 layer; give one value for every layer or one per layer (got "25,0")');
    expect(messageOf(['--hidden', '8,8,8', '--ff-delay-init', '0:3,0:2'])).toBe(
      '--ff-delay-init lists 2 values but the network has 3 layers; give one value for every layer or one per layer (got "0:3,0:2")',
    );
    expect(messageOf(['--hidden', '8,8', '--rec-delay-max', '25,x'])).toBe('--rec-delay-max must be a number or one per layer, D1,D2,… (got "x")');
    expect(messageOf(['--hidden', '8,8', '--rec-delay-init', '0:5,5:'])).toBe('--rec-delay-init must be V or LO:HI, or one per layer, LO:HI,LO:HI,… (got "5:")');
    expect(messageOf(['--hidden', '8,8', '--ff-delay-max', '3,-1'])).toBe('--ff-delay-max: layer 2 ffDelayMax must be a number ≥ 0 and ≤ 1000 (got -1)');
    expect(messageOf(['--hidden', '8,8', '--no-recurrent', '--rec-delay-max', '25,0'])).toBe(
      '--rec-delay-max: layer 1 recDelayMax 25: recurrent delays need recurrent weights; make layer 1 recurrent or set its recDelayMax to 0',
    );
  });

  it('refuses unknown flags (parseFlags)', () => {
    expect(() => parse(['--hiden', '3'])).toThrow("Unknown option '--hiden'");
  });
});

/** The flags a help text documents: those in the syntax column (before the first gap of 2+ spaces) of its option lines. */
function documentedFlags(help: string): string[] {
  return help
    .split('\n')
    .filter((l) => /^ {2}--/.test(l))
    .flatMap((l) => l.trim().split(/ {2,}/)[0].match(/--[a-z0-9-]+/g) ?? []);
}

describe('configFlagsHelp', () => {
  it('documents every flag of CONFIG_FLAGS exactly once', () => {
    const expected = Object.keys(CONFIG_FLAGS).map((f) => `--${f}`).sort();
    expect(documentedFlags(CONFIG_FLAGS_HELP).sort()).toEqual(expected);
  });

  it('shows the defaults it is given, spans as LO:HI, and says seconds', () => {
    const line = (help: string, flag: string) => help.split('\n').find((l) => l.startsWith(`  ${flag} `));
    expect(CONFIG_FLAGS_HELP).toContain("defaults in parentheses, the reference's; times in seconds");
    expect(line(CONFIG_FLAGS_HELP, '--tau-adapt')).toBe('  --tau-adapt S|LO:HI   adlif: adaptation time constant (0.06:0.3)');
    expect(line(CONFIG_FLAGS_HELP, '--tau-mem')).toBe('  --tau-mem S|LO:HI     membrane time constant (0.01)');
    const custom = makeConfig({ epochs: 3, tauMemS: { lo: 0.005, hi: 0.025 }, learnTau: true, layers: [layer(64, true), layer(32, false)] });
    const help = configFlagsHelp(custom);
    expect(help).not.toContain("the reference's");
    expect(line(help, '--epochs')).toBe('  --epochs N            total epochs (3)');
    expect(line(help, '--tau-mem')).toBe('  --tau-mem S|LO:HI     membrane time constant (0.005:0.025)');
    expect(line(help, '--hidden')).toBe('  --hidden H|H1,H2,…    neurons per layer: one size for every layer, or one per layer (64,32)');
    expect(line(help, '--layers')).toBe('  --layers N            hidden layers, 1 to 4 (2)');
    expect(line(help, '--recurrent')).toBe('  --recurrent | --no-recurrent   recurrent weights in every layer on or off (per layer on,off)');
    expect(line(help, '--learn-tau')).toBe('  --learn-tau | --no-learn-tau   learn the hidden decays too, kept within their span (on)');
  });

  it('lists every preset with its one-line name', () => {
    const lines = CONFIG_FLAGS_HELP.split('\n');
    const start = lines.indexOf('presets (--preset NAME):');
    expect(lines.slice(start + 1)).toEqual(PRESETS.map((p) => `  ${p.id.padEnd(19)}${p.name}`));
  });
});

/** The tiny argument parser of the round trip: `--x V`, `--x=V`, and bare `--x` as true. */
function parseReferenceArgs(argv: string[]): ConfigFlagValues {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) throw new Error(`stray value ${token}`);
    const eq = token.indexOf('=');
    if (eq > 0) out[token.slice(2, eq)] = token.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[token.slice(2)] = argv[++i];
    else out[token.slice(2)] = true;
  }
  return out;
}

describe('referenceArgs', () => {
  it('writes the reference options of the default config', () => {
    expect(referenceArgs(DEFAULT_CONFIG)).toEqual([
      '--format', '2', '--layers', '1', '--hidden', '128', '--neuron', 'lif', '--recurrent', '--no-learn-tau',
      '--tau-syn', '0.005', '--tau-mem', '0.01', '--tau-adapt', '0.06:0.3', '--adapt-a', '0:1', '--adapt-b', '0:2',
      '--adapt-q', '30', '--brf-omega', '5:10', '--brf-b-offset', '2:3', '--brf-dt', '0.01', '--brf-gamma', '0.9',
      '--rec-delay-max', '0', '--rec-delay-init', '0:5', '--ff-delay-max', '0', '--ff-delay-init', '0:3', '--delay-sigma', '0', '--delay-sigma-decay', '0.95', '--pool', '1', '--readout', 'max', '--readout-skip', '0', '--readout-tau-syn', '0.005',
      '--readout-tau-mem', '0.01', '--reg-l1', '0.000002', '--reg-l2', '0.000002', '--threshold', '1',
      '--surrogate-scale', '100', '--weight-scale', '0.2', '--dt', '0.001', '--nb-steps', '100', '--max-time', '1.4',
      '--bins', 'spytorch', '--optimizer', 'adam', '--lr', '0.001', '--batch', '256', '--epochs', '15', '--seed', '0',
      '--dropout', '0',
    ]);
  });

  /** Whether the reference can train `c` as we do (no protocol option on; the validation split does not count). */
  const reproducible = (c: TrainConfig) =>
    c.weightDecay === 0 && c.clipGrad === 0 && c.patience === 0 && c.lrSchedule === 'constant' && c.warmupEpochs === 0 && !augmentEnabled(c.augment);
  const configs: [string, TrainConfig][] = [
    ['defaults', cloneConfig(DEFAULT_CONFIG)],
    ...PRESETS.filter((p) => reproducible(cloneConfig(p.config))).map((p): [string, TrainConfig] => [p.id, cloneConfig(p.config)]),
    [
      'two adlif layers, learned τ, negative a',
      makeConfig({
        neuron: 'adlif', layers: [layer(100, false, 0.25), layer(30, false, 0.25)], tauMemS: { lo: 0.005, hi: 0.025 },
        tauAdaptS: { lo: 0.07, hi: 0.21 }, adaptA: { lo: -1, hi: 1 }, adaptB: { lo: -0.5, hi: -0.5 }, adaptQ: 12.5,
        learnTau: true, pool: 5, readout: 'softmax-sum', readoutSkip: 7, readoutTauSynS: 1 / 3, readoutTauMemS: 0.1 + 0.2,
        dtS: 2e-3, threshold: 0.7, surrogateScale: 10, weightScale: 1, nbSteps: 250, maxTimeS: 1e-1, binning: 'uniform',
        regL1: 1e-7, regL2: 0, optimizer: 'adamax', learningRate: 0.01, batchSize: 64, epochs: 40, seed: 4294967295,
      }),
    ],
  ];
  for (const [name, config] of configs) {
    it(`parses back into the same config through configFromFlags: ${name}`, () => {
      // The validation split is not the reference's business: it comes back as the default.
      const expected = { ...config, ...DEFAULT_VALIDATION };
      expect(configFromFlags(parseReferenceArgs(referenceArgs(config)))).toEqual(expected);
      // From another base too: every field is written, so nothing of the base may leak through.
      expect(configFromFlags(parseReferenceArgs(referenceArgs(config)), makeConfig({ layers: [layer(7), layer(8), layer(9)], epochs: 2 }))).toEqual(expected);
    });
  }

  for (const p of PRESETS.filter((q) => !reproducible(cloneConfig(q.config)))) {
    it(`refuses the preset ${p.id}, whose protocol the reference cannot reproduce`, () => {
      expect(cliError(() => referenceArgs(p.config)).message).toMatch(/^the reference cannot reproduce --/);
    });
  }

  it('leaves the validation split out: the reference trains on the whole training file', () => {
    const split = makeConfig({ validationFraction: 0.25, validationBy: 'speaker' });
    expect(referenceArgs(split)).toEqual(referenceArgs(makeConfig({ validationFraction: 0 })));
    expect(referenceArgs(split).join(' ')).not.toMatch(/valid/);
    // So the way back gives the default split options.
    expect(configFromFlags(parseReferenceArgs(referenceArgs(split)))).toEqual(cloneConfig(DEFAULT_CONFIG));
  });

  it('refuses the training-protocol options the reference cannot reproduce, naming each', () => {
    const refused = (partial: Partial<TrainConfig>) => cliError(() => referenceArgs(makeConfig(partial))).message;
    const tail = ': snn_reference.py has no weight decay, clipping, early stopping, learning-rate schedule or augmentation (leave them off to compare with it)';
    expect(refused({ weightDecay: 0.01 })).toBe(`the reference cannot reproduce --weight-decay 0.01${tail}`);
    expect(refused({ clipGrad: 1, patience: 3, lrSchedule: 'cosine', warmupEpochs: 2 })).toBe(
      `the reference cannot reproduce --clip-grad 1, --patience 3, --lr-schedule cosine, --warmup-epochs 2${tail}`,
    );
    expect(refused({ augment: { channelShift: 3, timeShiftS: 0.01, stretch: { lo: 0.9, hi: 1.1 }, deleteP: 0.1, blend: 0.5 } })).toBe(
      `the reference cannot reproduce --aug-channel-shift 3, --aug-time-shift 0.01, --aug-stretch 0.9:1.1, --aug-delete 0.1, --aug-blend 0.5${tail}`,
    );
    // The floor and the plateau settings act only through a schedule, so with the constant one they do not count.
    expect(() => referenceArgs(makeConfig({ minLr: 1e-4, plateauFactor: 0.5, plateauPatience: 2, plateauThreshold: 0.01 }))).not.toThrow();
  });

  it('passes per-layer delays the reference can express as its one value, and refuses those it cannot', () => {
    const args = (c: TrainConfig) => referenceArgs(c).join(' ');
    // Every recurrent layer at 25 through its own value: the reference's one --rec-delay-max 25; the non-recurrent
    // layer takes no part.
    const same = makeConfig({ layers: [{ ...layer(8), recDelayMax: 25 }, { ...layer(8), recDelayMax: 25, recDelayInit: { lo: 0, hi: 5 } }] });
    expect(args(same)).toContain('--rec-delay-max 25 --rec-delay-init 0:5 --ff-delay-max 0');
    expect(configFromFlags(parseReferenceArgs(referenceArgs(same))).recDelayMax).toBe(25);
    const refused = (c: TrainConfig) => cliError(() => referenceArgs(c)).message;
    expect(refused(makeConfig({ layers: [{ ...layer(8), recDelayMax: 25 }, { ...layer(8), recDelayMax: 0 }] }))).toBe(
      'the reference cannot express layers that differ in recurrent delay max (25, 0): snn_reference.py has one --rec-delay-max for all layers',
    );
    expect(refused(makeConfig({ ffDelayMax: 3, layers: [layer(8), { ...layer(8), ffDelayInit: { lo: 1, hi: 2 } }] }))).toBe(
      'the reference cannot express layers that differ in initial feed-forward delays (0:3, 1:2): snn_reference.py has one --ff-delay-init for all layers',
    );
    // Layers that differ in recurrence are refused before their delays; a span that differs only on a layer without
    // delays of that kind does not count.
    const rec = makeConfig({ recDelayMax: 6, layers: [layer(8), { ...layer(8, false), recDelayInit: { lo: 1, hi: 2 } }] });
    expect(cliError(() => referenceArgs(rec)).message).toMatch(/differ in recurrence/);
    const ff = makeConfig({ ffDelayMax: 3, layers: [layer(8), { ...layer(8), ffDelayInit: { lo: 1, hi: 2 } }, { ...layer(8), ffDelayMax: 3 }] });
    expect(() => referenceArgs({ ...ff, layers: ff.layers.map((l, i) => (i === 1 ? { ...l, ffDelayInit: { lo: 0, hi: 3 } } : l)) })).not.toThrow();
  });

  it('refuses layers the reference cannot express', () => {
    expect(cliError(() => referenceArgs(makeConfig({ layers: [layer(10, true), layer(10, false)] }))).message).toBe(
      'the reference cannot express layers that differ in recurrence (true, false): snn_reference.py has one --recurrent for all layers',
    );
    expect(cliError(() => referenceArgs(makeConfig({ layers: [layer(10, true, 0), layer(10, true, 0.5)] }))).message).toBe(
      'the reference cannot express layers that differ in dropout (0, 0.5): snn_reference.py has one --dropout for all layers',
    );
  });
});
