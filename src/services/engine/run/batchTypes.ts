/**
 * The types a batch run takes and returns, and the helpers the fused loop shares with the rest of the engine.
 * No tfjs here: the worker threads (batchWorker.ts) load this and the kernels only.
 */
import type { TrainConfig } from '../../../shared/config';
import type { BinnedBatch } from '../../data/binning';
import type { DropoutKey } from '../model/dropout';
import { describeShape, type NetworkParams } from '../model/modelState';

/** How the layers run: tfjs ops per step (tensorNetwork.ts) or fused per-step kernels (fusedNetwork.ts). */
export type LoopKind = 'tensor' | 'fused';

export interface BatchRunOptions {
  /** Compute the gradients (training); otherwise forward only. */
  gradients: boolean;
  /**
   * The gradient of every parameter, the ones that are not learned included (the golden tests). By default
   * the decays' gradients are computed only with learnTau.
   */
  allGradients?: boolean;
  /** Return every layer's spikes, membranes (and adaptation) and the readout (tests, probes). */
  records?: boolean;
  /** Training: apply dropout with this key (see dropout.ts); absent = evaluation, no dropout. */
  dropout?: DropoutKey;
  /** Default: tensor on the tensorflow backends, fused elsewhere. */
  loop?: LoopKind;
  /** Training: the delays' kernel spread σ this epoch (model/delays, annealed); absent or 0 in evaluation. */
  delaySigma?: number;
  /** When given, CPU milliseconds spent per phase are added to it (the benchmark's breakdown). */
  timing?: PhaseTiming;
}

export type Phase = 'input' | 'forward' | 'readout' | 'backward' | 'weightGrads';
export type PhaseTiming = Partial<Record<Phase, number>>;

/** Time-major records of one hidden layer: spikes and mem (U_t) [T, B, H]; adapt (A_t) for adlif. */
export interface LayerRecords {
  spikes: Float32Array;
  mem: Float32Array;
  adapt?: Float32Array;
}

export interface BatchRecords {
  layers: LayerRecords[];
  /** Readout membrane [T+1, B, K]. */
  out: Float32Array;
}

export interface BatchResult {
  /** nll + reg, the quantity that is differentiated. */
  loss: number;
  nll: number;
  reg: number;
  /** Class scores [B, K]. */
  scores: Float32Array;
  predictions: Int32Array;
  correct: number;
  /** Spikes of each hidden layer in the batch. */
  spikesPerLayer: number[];
  /** ∂loss/∂parameters, laid out as NetworkParams.flat. */
  grads?: Float32Array;
  records?: BatchRecords;
}

/** The batch's non-zero bins as time-major coordinates of the pooled input: row t·B + b, column c // pool. */
export interface TimeMajorInput {
  rows: Int32Array;
  cols: Int32Array;
  counts: Float32Array;
}

export function timeMajorInput(batch: BinnedBatch, pool: number): TimeMajorInput {
  const n = batch.flat.length;
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  const { size: B, nbSteps: T, channels: C } = batch;
  for (let i = 0; i < n; i++) {
    const f = batch.flat[i];
    const bt = Math.floor(f / C);
    const b = Math.floor(bt / T);
    rows[i] = (bt - b * T) * B + b;
    // Channels that share a pooled input add up: the kernels sum repeated (row, column) pairs.
    cols[i] = Math.floor((f - bt * C) / pool);
  }
  return { rows, cols, counts: batch.counts };
}

export function checkBatch(params: NetworkParams, config: TrainConfig, batch: BinnedBatch): void {
  const s = params.shape;
  if (batch.channels !== s.channels) throw new Error(`batch has ${batch.channels} input channels, the network ${describeShape(s)} ${s.channels}`);
  if (batch.nbSteps !== config.nbSteps) throw new Error(`batch has ${batch.nbSteps} time steps, the config ${config.nbSteps}`);
  if (s.pool !== config.pool) throw new Error(`the network pools ${s.pool} channels per input, the config ${config.pool}`);
  if (s.layers.length !== config.layers.length || s.layers.some((l, i) => l.size !== config.layers[i].size || l.recurrent !== config.layers[i].recurrent || l.kind !== config.neuron)) {
    throw new Error(`the network ${describeShape(s)} does not have the layers of the config`);
  }
}

/** CPU time of this process: under a shared, loaded machine it shows the engine's own cost, not the wait. */
export function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** A lap timer for BatchRunOptions.timing. */
export function phaseTimer(timing: PhaseTiming | undefined): (phase: Phase) => void {
  let clock = cpuMs();
  return (phase) => {
    if (!timing) return;
    const now = cpuMs();
    timing[phase] = (timing[phase] ?? 0) + (now - clock);
    clock = now;
  };
}

/** Which parameter gradients a run computes: the decays' only with learnTau or when all are asked for. */
export function wantDecayGrads(config: Pick<TrainConfig, 'learnTau'>, opts: Pick<BatchRunOptions, 'allGradients'>): boolean {
  return config.learnTau || opts.allGradients === true;
}
