/**
 * The TrainConfig options as command-line flags: train's own parser lives in shared/configFlags.ts (the sweeps'
 * task check and the app's Sweeps preview use it too); this adds what only a command line has: `--config FILE`
 * read from disk, exit code 2 for a bad flag, and the options' help. Shared by every command that takes a model
 * configuration.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG, layerSizes, MAX_LAYERS, spanText, type LayerConfig, type Span, type TrainConfig } from '../shared/config';
import type { LayerDelayKey } from '../shared/layerDelays';
import {
  baseConfig as sharedBaseConfig,
  ConfigFlagError,
  configFromFlags as sharedConfigFromFlags,
  configOverrides as sharedConfigOverrides,
  CONFIG_FLAGS as SHARED_CONFIG_FLAGS,
  type ConfigFlagValues,
} from '../shared/configFlags';
import { PRESETS } from '../shared/presets';
import { LR_SCHEDULES } from '../shared/schedule';
import { MAX_VALIDATION_FRACTION, VALIDATION_BY } from '../shared/validation';
import type { FlagSpec } from './args';
import { CliError } from './cliError';

export { AUGMENT_FLAG_OF, FLAG_OF, type ConfigFlagValues } from '../shared/configFlags';

export const CONFIG_FLAGS = SHARED_CONFIG_FLAGS satisfies FlagSpec;

/** A flag problem as the CLI reports it: the message as it is, exit code 2. */
function asCli<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ConfigFlagError) throw new CliError(err.message, 2);
    throw err;
  }
}

/**
 * The options the command line sets (a preset's every option, then the flags given), typed, over `base`
 * (the layer flags need it to know the layers they change). Values are range-checked by {@link configFromFlags}.
 */
export function configOverrides(values: ConfigFlagValues, base: Readonly<TrainConfig> = DEFAULT_CONFIG): Partial<TrainConfig> {
  return asCli(() => sharedConfigOverrides(values, base));
}

/** The base config of `--config FILE|JSON` (a file, or the JSON text itself), else the defaults. */
export function baseConfig(values: ConfigFlagValues): TrainConfig {
  return asCli(() => sharedBaseConfig(values, (path) => readFileSync(path, 'utf8')));
}

/** `base` ← `--preset` ← the flags given, validated; errors (one per line) name the flags. */
export function configFromFlags(values: ConfigFlagValues, base: Readonly<TrainConfig> = DEFAULT_CONFIG): TrainConfig {
  return asCli(() => sharedConfigFromFlags(values, base));
}

const onOffText = (on: boolean) => (on ? 'on' : 'off');

/** One value when every layer has it, else the per-layer list (a preset or session may differ by layer). */
function perLayer<T>(layers: readonly LayerConfig[], pick: (l: LayerConfig) => T, text: (v: T) => string): string {
  const vs = layers.map(pick);
  return vs.every((v) => v === vs[0]) ? text(vs[0]) : `per layer ${vs.map(text).join(',')}`;
}

/** A delay option's default as the flag would take it: one value, or one per layer where the layers set their own. */
function perLayerDelay(d: Readonly<TrainConfig>, key: LayerDelayKey): string {
  const text = (v: number | Span) => (typeof v === 'number' ? String(v) : spanText(v));
  return perLayer(d.layers, (l) => text(l[key] ?? d[key]), (v) => v);
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
  --neuron lif|adlif|brf|csilif|custom  neuron kind of every layer: current-based LIF, adaptive LIF, balanced
                        resonate-and-fire, complex-state SSM-inspired LIF (C-SiLIF), or your own (${d.neuron})
  --neuron-file FILE    your own neuron: its program (states, params, update lines; docs/neuron-definitions.md)
                        from a text file; sets --neuron custom
  --neuron-surrogate fast-sigmoid|double-gaussian   with --neuron-file: the spike's surrogate (fast-sigmoid)
  --recurrent | --no-recurrent   recurrent weights in every layer on or off (${perLayer(d.layers, (l) => l.recurrent, onOffText)})
  --dropout P           dropout on every layer's output spikes while training, 0 ≤ P < 1 (${perLayer(d.layers, (l) => l.dropout, String)})
  --tau-syn S|LO:HI     lif: synaptic time constant (${spanText(d.tauSynS)})
  --tau-mem S|LO:HI     membrane time constant (${spanText(d.tauMemS)})
  --tau-adapt S|LO:HI   adlif: adaptation time constant (${spanText(d.tauAdaptS)})
  --adapt-a V|LO:HI     adlif: sub-threshold coupling a, per neuron (${spanText(d.adaptA)})
  --adapt-b V|LO:HI     adlif: spike-triggered adaptation b, per neuron (${spanText(d.adaptB)})
  --adapt-q X           adlif: scale of the adaptation's drive (${d.adaptQ})
  --brf-omega V|LO:HI   brf: initial angular frequency ω, per neuron, learned (${spanText(d.brfOmega)})
  --brf-b-offset V|LO:HI  brf: initial damping offset, per neuron, learned (${spanText(d.brfBOffset)})
  --brf-dt X            brf: the neuron's dimensionless step δ (${d.brfDt})
  --brf-gamma X         brf: decay of the refractory trace (${d.brfGamma})
  --csilif-log-log-alpha V|LO:HI  csilif: initial log(log a), a the decay rate, per neuron, learned
                        (${spanText(d.csilifLogLogAlpha)})
  --csilif-log-dt V|LO:HI  csilif: initial log Δ, the neuron's step, per neuron, learned (${spanText(d.csilifLogDt)})
  --csilif-alpha-img V|LO:HI  csilif: initial angular frequency ω (rotation ω·Δ per step), per neuron, learned
                        (${spanText(d.csilifAlphaImg)})
  --csilif-b V|LO:HI    csilif: initial input scale b, per neuron, learned (${spanText(d.csilifB)})
  --csilif-reset X      csilif: reset subtracted from the real part after a spike (${d.csilifReset})
  --rec-delay-max D|D1,D2,…   learnable recurrent axonal delays of up to D steps per neuron (DelRec), in
                        every recurrent layer or one value per layer; 0 = off (${perLayerDelay(d, 'recDelayMax')})
  --rec-delay-init LO:HI|LO:HI,…  initial recurrent delays, steps, for every layer or per layer (${perLayerDelay(d, 'recDelayInit')})
  --ff-delay-max D|D1,D2,…    learnable feed-forward axonal delays of up to D steps per neuron, every layer or
                        one value per layer; 0 = off (${perLayerDelay(d, 'ffDelayMax')})
  --ff-delay-init LO:HI|LO:HI,…   initial feed-forward delays, steps, for every layer or per layer (${perLayerDelay(d, 'ffDelayInit')})
  --delay-sigma S       training: the delays' kernel spread at epoch 1 (DelRec 10); evaluation uses 0 (${d.delaySigma})
  --delay-sigma-decay X   σ_e = S·(X^(100/epochs))^(e−1) (${d.delaySigmaDecay})
  --delay-lr LR         the delays' own learning rate, on the weights' schedule; 0 = --lr (${d.delayLearningRate})
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
  --patience N          early stopping after N epochs without a gain in the smoothed validation score when the
                        latest is worse by over a standard error, or 2N on a plateau; 0 = off (${d.patience})
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
