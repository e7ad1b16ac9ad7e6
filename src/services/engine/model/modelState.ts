/**
 * What a training run is made of, as plain typed arrays: the network's parameters, the optimizer's moments
 * and the history. The trainer produces it, session files store it, resume feeds it back, evaluation reads it.
 *
 * Every parameter tensor of a network is a named view into ONE flat Float32Array (`NetworkParams.flat`), in
 * the order of `layout`: the optimizer, the gradient sums of the worker threads and the shared memory they
 * read all work on that one vector. Names are the reference's (`params/…` of its golden files):
 *
 *     layer{l}/w_in  [in_l, H_l]   x·W orientation: input current += x_t · W_in   (in_0 = ceil(channels/pool))
 *     layer{l}/w_rec [H_l, H_l]    only for a recurrent layer: += S_{t−1} · W_rec
 *     layer{l}/alpha [H_l]         decay: lif exp(−dt/τ_syn), adlif exp(−dt/τ_mem)
 *     layer{l}/beta  [H_l]         decay: lif exp(−dt/τ_mem), adlif exp(−dt/τ_adapt)
 *     layer{l}/a, b  [H_l]         adlif only: adaptation coupling and spike increment
 *     (in general: the kind's parameters, by their definition's names and in its order, definitions/)
 *     readout/w      [H_last, K]
 *     readout/alpha, beta [K]      the readout's decays (never learned)
 */
import type { NeuronKind, OptimizerName, TrainConfig } from '../../../shared/config';
import type { CustomNeuronSpec } from '../../../shared/customNeuron';
import type { BackendName, EpochRecord } from '../../../shared/events';
import type { ValidationSplitInfo } from '../../../shared/validation';
import type { ScheduleState } from '../training/lrSchedule';
import { neuronDefinition } from '../definitions';
import { allLayerDelays } from '../../../shared/layerDelays';

export interface LayerShape {
  kind: NeuronKind;
  /** kind 'custom': the program (config.customNeuron); absent for the built-in kinds. */
  custom?: CustomNeuronSpec;
  /** Learnable recurrent axonal delays `rec_delay` [size] (model/delays.ts); absent = none. */
  recDelay?: true;
  /** Learnable feed-forward axonal delays `ff_delay` [size] on what the layer sends up; absent = none. */
  ffDelay?: true;
  /** Inputs of this layer: the pooled channels for layer 0, the previous layer's size after that. */
  inputs: number;
  size: number;
  recurrent: boolean;
}

export interface NetworkShape {
  /** Channels of the data (before pooling). */
  channels: number;
  pool: number;
  layers: LayerShape[];
  classes: number;
}

export interface ParamEntry {
  name: string;
  /** [rows, cols] for matrices, [n] for vectors. */
  shape: number[];
  /** Start in the flat vector (floats). */
  offset: number;
  length: number;
}

export interface NetworkParams {
  shape: NetworkShape;
  layout: ParamEntry[];
  flat: Float32Array;
}

/** One hidden layer's tensors, views into the flat vector. */
export interface LayerTensors {
  shape: LayerShape;
  wIn: Float32Array;
  wRec: Float32Array | null;
  /** The neuron kind's per-neuron parameters by their definition's names. */
  params: Record<string, Float32Array>;
  /** The layer's delays (steps), or null where it has none. */
  recDelay: Float32Array | null;
  ffDelay: Float32Array | null;
  /** lif and adlif: the decays; adlif: a and b (null for kinds without them). */
  alpha: Float32Array;
  beta: Float32Array;
  a: Float32Array | null;
  b: Float32Array | null;
}

export interface ReadoutTensors {
  w: Float32Array;
  alpha: Float32Array;
  beta: Float32Array;
}

/** The names of a layer's tensors, in layout order: the projections, then the kind's parameters in its definition's order. */
export function layerParamNames(l: number, s: LayerShape): string[] {
  return [
    `layer${l}/w_in`,
    ...(s.recurrent ? [`layer${l}/w_rec`] : []),
    ...neuronDefinition(s).params.map((p) => `layer${l}/${p.name}`),
    ...(s.recDelay ? [`layer${l}/rec_delay`] : []),
    ...(s.ffDelay ? [`layer${l}/ff_delay`] : []),
  ];
}

export function paramLayout(shape: NetworkShape): ParamEntry[] {
  const out: ParamEntry[] = [];
  let offset = 0;
  const add = (name: string, dims: number[]) => {
    const length = dims.reduce((x, y) => x * y, 1);
    out.push({ name, shape: dims, offset, length });
    offset += length;
  };
  shape.layers.forEach((s, l) => {
    for (const name of layerParamNames(l, s)) {
      const leaf = name.slice(name.indexOf('/') + 1);
      add(name, leaf === 'w_in' ? [s.inputs, s.size] : leaf === 'w_rec' ? [s.size, s.size] : [s.size]);
    }
  });
  const last = shape.layers[shape.layers.length - 1].size;
  add('readout/w', [last, shape.classes]);
  add('readout/alpha', [shape.classes]);
  add('readout/beta', [shape.classes]);
  return out;
}

export const flatLength = (layout: ParamEntry[]): number => layout.reduce((n, e) => n + e.length, 0);

/** The shape a config gives a network for data of `channels` channels and `classes` classes. */
export function networkShape(config: Pick<TrainConfig, 'layers' | 'neuron' | 'pool' | 'customNeuron'> & Partial<Pick<TrainConfig, 'recDelayMax' | 'ffDelayMax'>>, channels: number, classes: number): NetworkShape {
  const delays = allLayerDelays(config);
  for (const [name, n] of [['channels', channels], ['classes', classes]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer (got ${n})`);
  }
  let inputs = Math.ceil(channels / config.pool);
  const layers = config.layers.map((l, i) => {
    const s: LayerShape = {
      kind: config.neuron,
      ...(config.neuron === 'custom' && config.customNeuron ? { custom: config.customNeuron } : {}),
      inputs,
      size: l.size,
      recurrent: l.recurrent,
      // Each layer's own delays, else the config's (layerDelays.ts); recurrent ones only with W_rec.
      ...(delays[i].recMax > 0 ? { recDelay: true as const } : {}),
      ...(delays[i].ffMax > 0 ? { ffDelay: true as const } : {}),
    };
    inputs = l.size;
    return s;
  });
  return { channels, pool: config.pool, layers, classes };
}

export function sameShape(a: NetworkShape, b: NetworkShape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function describeShape(s: NetworkShape): string {
  const pooled = Math.ceil(s.channels / s.pool);
  const hidden = s.layers.map((l) => `${l.size}${l.recurrent ? 'r' : ''}`).join('-');
  return `${s.layers[0].kind} ${s.channels}${s.pool > 1 ? `/${s.pool}=${pooled}` : ''}-${hidden}-${s.classes}`;
}

/** Zero parameters of `shape`. */
export function emptyParams(shape: NetworkShape, flat?: Float32Array): NetworkParams {
  const layout = paramLayout(shape);
  const n = flatLength(layout);
  if (flat && flat.length !== n) throw new Error(`parameter vector has ${flat.length} values, the network ${describeShape(shape)} needs ${n}`);
  return { shape, layout, flat: flat ?? new Float32Array(n) };
}

export function entry(p: Pick<NetworkParams, 'layout'>, name: string): ParamEntry {
  const e = p.layout.find((x) => x.name === name);
  if (!e) throw new Error(`the network has no parameter ${name}`);
  return e;
}

/** A view of one named tensor of a flat vector laid out as `p` (parameters, gradients or moments). */
export function tensor(p: Pick<NetworkParams, 'layout'>, flat: Float32Array, name: string): Float32Array {
  const e = entry(p, name);
  return flat.subarray(e.offset, e.offset + e.length);
}

export function hasParam(p: Pick<NetworkParams, 'layout'>, name: string): boolean {
  return p.layout.some((x) => x.name === name);
}

/** Layer l's tensors in `flat` (the parameters by default; a gradient vector of the same layout works too). */
export function layerTensors(p: NetworkParams, l: number, flat: Float32Array = p.flat): LayerTensors {
  const s = p.shape.layers[l];
  const get = (leaf: string) => tensor(p, flat, `layer${l}/${leaf}`);
  const params = Object.fromEntries(neuronDefinition(s).params.map((d) => [d.name, get(d.name)]));
  return {
    shape: s,
    wIn: get('w_in'),
    wRec: s.recurrent ? get('w_rec') : null,
    params,
    recDelay: s.recDelay ? get('rec_delay') : null,
    ffDelay: s.ffDelay ? get('ff_delay') : null,
    alpha: params.alpha,
    beta: params.beta,
    a: params.a ?? null,
    b: params.b ?? null,
  };
}

export function readoutTensors(p: NetworkParams, flat: Float32Array = p.flat): ReadoutTensors {
  return { w: tensor(p, flat, 'readout/w'), alpha: tensor(p, flat, 'readout/alpha'), beta: tensor(p, flat, 'readout/beta') };
}

/** A structurally sound parameter set (as received over a process boundary): layout matches shape, lengths add up. */
export function checkParamShapes(p: NetworkParams): void {
  if (!(p.flat instanceof Float32Array)) throw new Error('parameters must be a Float32Array');
  const layout = paramLayout(p.shape);
  if (JSON.stringify(layout) !== JSON.stringify(p.layout)) throw new Error(`parameter layout does not match the network ${describeShape(p.shape)}`);
  if (p.flat.length !== flatLength(layout)) throw new Error(`parameter vector has ${p.flat.length} values, the network ${describeShape(p.shape)} needs ${flatLength(layout)}`);
}

export function copyParams(p: NetworkParams): NetworkParams {
  return { shape: p.shape, layout: p.layout, flat: p.flat.slice() };
}

/**
 * The parameters the optimizer trains: every weight matrix, the kinds' parameters learned always (adlif a, b),
 * and with learnTau those learned with the τ (the decays). The readout's decays are never trained.
 */
export function isLearned(shape: NetworkShape, name: string, learnTau: boolean): boolean {
  const leaf = name.slice(name.indexOf('/') + 1);
  if (name.startsWith('readout/')) return leaf === 'w';
  if (leaf === 'w_in' || leaf === 'w_rec' || leaf === 'rec_delay' || leaf === 'ff_delay') return true;
  const layer = shape.layers[Number(/^layer(\d+)\//.exec(name)?.[1] ?? NaN)];
  const spec = layer && neuronDefinition(layer).params.find((p) => p.name === leaf);
  if (!spec) throw new Error(`the network has no parameter ${name}`);
  return spec.learn === 'always' || (spec.learn === 'withTau' && learnTau);
}

export interface OptimizerState {
  name: OptimizerName;
  /** Update steps taken so far (Adam's bias correction needs it). */
  step: number;
  /** First moments, laid out as the parameters (zero for parameters that are not learned). */
  m: Float32Array;
  /** Second moments (adam) or exponentially weighted infinity norms (adamax). */
  v: Float32Array;
}

export interface TrainingCheckpoint {
  config: TrainConfig;
  params: NetworkParams;
  optimizer: OptimizerState;
  history: EpochRecord[];
  /** Epochs completed; resume starts at epochsDone + 1 and shuffles as an uninterrupted run would. */
  epochsDone: number;
  /** The parameters of the selected epoch (by the smoothed validation score, shared/modelSelection.ts; the last without validation); null before epoch 1. */
  selected: { epoch: number; params: NetworkParams } | null;
  /** The learning-rate schedule's state after epochsDone epochs. */
  schedule: ScheduleState;
  /** How the validation set was made. */
  validation: ValidationSplitInfo;
}

export interface DatasetIdentity {
  name: string;
  /** Stable digest of the training data (labels and spikes), so a session knows what it was trained on. */
  fingerprint: string;
  trainSamples: number;
  testSamples: number;
}

export interface SessionMeta {
  /** ISO 8601. */
  created: string;
  appVersion: string;
  backend: BackendName;
  dataset: DatasetIdentity;
  classNames: string[];
  /**
   * Speaker names by id of the training data, where its file records them (`encode` does): what tells whether
   * another file numbers the same voices alike. Absent for data without them and in older sessions.
   */
  speakerNames?: string[];
}

export interface Session extends TrainingCheckpoint {
  meta: SessionMeta;
}

/** Every value finite (a NaN or ±Inf anywhere makes the sum of x·0 NaN). */
export function allFinite(a: Float32Array): boolean {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * 0;
  return s === 0;
}
