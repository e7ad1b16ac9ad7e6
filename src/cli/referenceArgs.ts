/**
 * A config as `snn_reference.py --format 2` options, so `bench` can time the reference on the same model and
 * tests can evaluate a session there. The reference's flag names are ours by design (configFlags.ts), so
 * these options also parse back into the same config through configFromFlags (with the default validation
 * options: see below).
 *
 * The reference has none of the training protocol's options. Those that change how the network is trained
 * (weight decay, clipping, early stopping, a schedule or warm-up, augmentation) make the two runs different
 * runs, so a config that uses any of them is refused. The validation options are not: they only choose which
 * samples of the training file we train on, and the reference always trains on the whole file. So they are
 * left out here; a caller that wants both sides on the same samples trains with validationFraction 0, as
 * `bench` does.
 */
import { augmentEnabled } from '../shared/augment';
import { layerSizes, spanText, type LayerConfig, type Span, type TrainConfig } from '../shared/config';
import { allLayerDelays } from '../shared/layerDelays';
import { CliError } from './cliError';
import { AUGMENT_FLAG_OF, FLAG_OF } from './configFlags';

/**
 * One option and its value. A value starting with '-' (`--adapt-a -1:1`) would read as an option to
 * argparse (and to node's parseArgs), so it is written `--flag=value`, which both take.
 */
const option = (flag: string, value: string | number): string[] => {
  const text = String(value);
  return text.startsWith('-') ? [`--${flag}=${text}`] : [`--${flag}`, text];
};

/** The value every layer shares, or an error: the reference has one such option for all layers. */
function shared<T>(layers: readonly LayerConfig[], pick: (l: LayerConfig) => T, what: string, flag: string): T {
  const vs = layers.map(pick);
  if (vs.some((v) => v !== vs[0])) {
    throw new CliError(`the reference cannot express layers that differ in ${what} (${vs.map(String).join(', ')}): snn_reference.py has one ${flag} for all layers`);
  }
  return vs[0];
}

/**
 * The delay option every layer that has such delays shares (the reference applies its one value to every layer;
 * recurrent delays to every recurrent layer), or an error naming the layers' values. Layers without recurrence
 * take no part in the recurrent kind; the initial span counts only where the layer has delays of that kind.
 */
function sharedDelays(c: Readonly<TrainConfig>): { recMax: number; recInit: Span; ffMax: number; ffInit: Span } {
  const delays = allLayerDelays(c);
  const differ = (what: string, flag: string, vs: string[]) => {
    if (vs.some((v) => v !== vs[0])) {
      throw new CliError(`the reference cannot express layers that differ in ${what} (${vs.join(', ')}): snn_reference.py has one ${flag} for all layers`);
    }
  };
  const recLayers = delays.filter((_, l) => c.layers[l].recurrent);
  differ('recurrent delay max', '--rec-delay-max', recLayers.map((d) => String(d.recMax)));
  differ('feed-forward delay max', '--ff-delay-max', delays.map((d) => String(d.ffMax)));
  const recOn = recLayers.filter((d) => d.recMax > 0);
  const ffOn = delays.filter((d) => d.ffMax > 0);
  differ('initial recurrent delays', '--rec-delay-init', recOn.map((d) => spanText(d.recInit)));
  differ('initial feed-forward delays', '--ff-delay-init', ffOn.map((d) => spanText(d.ffInit)));
  return {
    recMax: recLayers[0]?.recMax ?? c.recDelayMax,
    recInit: recOn[0]?.recInit ?? c.recDelayInit,
    ffMax: delays[0].ffMax,
    ffInit: ffOn[0]?.ffInit ?? c.ffDelayInit,
  };
}

/**
 * The protocol options of `c` the reference cannot reproduce, as `--flag value`. minLr and the plateau
 * settings only act through a schedule other than constant, so they count only with one.
 */
function unsupportedProtocol(c: Readonly<TrainConfig>): string[] {
  const out: string[] = [];
  const num = (key: 'weightDecay' | 'clipGrad' | 'patience' | 'warmupEpochs') => {
    if (c[key] !== 0) out.push(`${FLAG_OF[key]} ${c[key]}`);
  };
  num('weightDecay');
  num('clipGrad');
  num('patience');
  if (c.lrSchedule !== 'constant') out.push(`${FLAG_OF.lrSchedule} ${c.lrSchedule}`);
  num('warmupEpochs');
  if (augmentEnabled(c.augment)) {
    const a = c.augment;
    if (a.channelShift !== 0) out.push(`${AUGMENT_FLAG_OF.channelShift} ${a.channelShift}`);
    if (a.timeShiftS !== 0) out.push(`${AUGMENT_FLAG_OF.timeShiftS} ${a.timeShiftS}`);
    if (a.stretch.lo !== 1 || a.stretch.hi !== 1) out.push(`${AUGMENT_FLAG_OF.stretch} ${spanText(a.stretch)}`);
    if (a.deleteP !== 0) out.push(`${AUGMENT_FLAG_OF.deleteP} ${a.deleteP}`);
    if (a.blend !== 0) out.push(`${AUGMENT_FLAG_OF.blend} ${a.blend}`);
  }
  return out;
}

/**
 * The reference's command-line options for the model and training of `config` (not the data: --train,
 * --test, --channels are the caller's). Numbers are written as JavaScript prints them, the shortest text
 * that reads back as the same double in Python too. Throws a CliError when layers differ in recurrence,
 * dropout or delays (layers may set their own; the reference has one value of each for all layers), or when a training-protocol option is on, which the reference cannot describe; the validation
 * split is ignored (the reference trains on the whole training file).
 */
export function referenceArgs(config: Readonly<TrainConfig>): string[] {
  const c = config;
  const unsupported = unsupportedProtocol(c);
  if (unsupported.length) {
    throw new CliError(
      `the reference cannot reproduce ${unsupported.join(', ')}: snn_reference.py has no weight decay, clipping, early stopping, learning-rate schedule or augmentation (leave them off to compare with it)`,
    );
  }
  const recurrent = shared(c.layers, (l) => l.recurrent, 'recurrence', '--recurrent');
  const dropout = shared(c.layers, (l) => l.dropout, 'dropout', '--dropout');
  const delays = sharedDelays(c);
  return [
    ...option('format', 2),
    ...option('layers', c.layers.length),
    ...option('hidden', layerSizes(c).join(',')),
    ...option('neuron', c.neuron),
    recurrent ? '--recurrent' : '--no-recurrent',
    c.learnTau ? '--learn-tau' : '--no-learn-tau',
    ...option('tau-syn', spanText(c.tauSynS)),
    ...option('tau-mem', spanText(c.tauMemS)),
    ...option('tau-adapt', spanText(c.tauAdaptS)),
    ...option('adapt-a', spanText(c.adaptA)),
    ...option('adapt-b', spanText(c.adaptB)),
    ...option('adapt-q', c.adaptQ),
    ...option('brf-omega', spanText(c.brfOmega)),
    ...option('brf-b-offset', spanText(c.brfBOffset)),
    ...option('brf-dt', c.brfDt),
    ...option('brf-gamma', c.brfGamma),
    ...option('rec-delay-max', delays.recMax),
    ...option('rec-delay-init', spanText(delays.recInit)),
    ...option('ff-delay-max', delays.ffMax),
    ...option('ff-delay-init', spanText(delays.ffInit)),
    ...option('delay-sigma', c.delaySigma),
    ...option('delay-sigma-decay', c.delaySigmaDecay),
    ...option('pool', c.pool),
    ...option('readout', c.readout),
    ...option('readout-skip', c.readoutSkip),
    ...option('readout-tau-syn', c.readoutTauSynS),
    ...option('readout-tau-mem', c.readoutTauMemS),
    ...option('reg-l1', c.regL1),
    ...option('reg-l2', c.regL2),
    ...option('threshold', c.threshold),
    ...option('surrogate-scale', c.surrogateScale),
    ...option('weight-scale', c.weightScale),
    ...option('dt', c.dtS),
    ...option('nb-steps', c.nbSteps),
    ...option('max-time', c.maxTimeS),
    ...option('bins', c.binning),
    ...option('optimizer', c.optimizer),
    ...option('lr', c.learningRate),
    ...option('batch', c.batchSize),
    ...option('epochs', c.epochs),
    ...option('seed', c.seed),
    ...option('dropout', dropout),
  ];
}
