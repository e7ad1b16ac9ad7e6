/**
 * What the trainer reports while it runs. The CLI prints these, the training process forwards them to main,
 * main forwards them over IPC, the renderer draws them. Plain JSON-safe values only (numbers, strings, arrays),
 * so the same events travel over structured clone (Electron) and JSON (serve mode).
 */
import type { NeuronKind, TrainConfig } from './config';
import type { ValidationSplitInfo } from './validation';
import type { EpochSelection } from './modelSelection';

/**
 * Where the engine computes: webgpu (the engine's own WGSL kernels through Dawn, any GPU), gpu (tfjs-node-gpu,
 * CUDA), native (tfjs-node, libtensorflow on the CPU), wasm (WebAssembly SIMD kernels), cpu (plain JS).
 */
export type BackendName = 'webgpu' | 'gpu' | 'native' | 'wasm' | 'cpu';

/** Every backend, in the order `auto` tries them. */
export const BACKEND_NAMES: readonly BackendName[] = ['webgpu', 'gpu', 'native', 'wasm', 'cpu'];

/** The WebGPU adapter a webgpu run used (or found and skipped), as Dawn describes it. */
export interface GpuAdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU emulation (SwiftShader, llvmpipe, WARP): never chosen by `auto`. */
  fallback: boolean;
  /** The limits the engine's kernels depend on (maxBufferSize, maxComputeWorkgroupStorageSize, …). */
  limits: Record<string, number>;
}

export interface BackendReport {
  /** The backend every batch of this run used. */
  name: BackendName;
  /** tfjs' own name for it (tensorflow, wasm, cpu); "wgsl" for webgpu, which runs the engine's own shaders. */
  tfBackend: string;
  /** webgpu: the adapter it runs on. */
  adapter?: GpuAdapterReport;
  /** For each backend tried before this one and not used: why (not installed, failed to load: message, smoke test failed). */
  skipped: { name: BackendName; reason: string; adapter?: GpuAdapterReport }[];
}

/** Accuracy on the test samples of one speaker (SHD's `extra/speaker`). */
export interface SpeakerResult {
  speaker: number;
  samples: number;
  correct: number;
  accuracy: number;
  /** Whether the speaker has samples in the training file; null where it is not known (no speakers there). */
  inTraining: boolean | null;
}

/** One class of an evaluation: its samples in the data and how many of them the network got right. */
export interface ClassResult {
  class: number;
  name: string;
  samples: number;
  correct: number;
  /** correct / samples; null for a class the data has no sample of. */
  accuracy: number | null;
}

/** One hidden layer's activity on the test set, per sample. */
export interface LayerActivity {
  layer: number;
  neurons: number;
  spikesPerSample: number;
  /** Mean firing rate per neuron: spikes / (neurons · T · dt). */
  rateHz: number;
  /** Synapses each spike drives: the next layer's (or readout's) size, plus the layer's own when recurrent. */
  fanOut: number;
  /** spikes × fanOut. */
  synOpsPerSample: number;
}

/**
 * The network's sparsity on the test set and the efficiency estimate that goes with it: synaptic operations
 * (each spike × its fan-out; the input spikes × the first layer's size) against the multiply-accumulates of the
 * same-shaped dense network over the same T steps, priced with the 45 nm constants of Horowitz (2014): E_AC =
 * 0.9 pJ, E_MAC = 4.6 pJ. Memory access and data movement are not counted (they dominate on real hardware).
 */
export interface ActivityReport {
  samples: number;
  steps: number;
  dtS: number;
  inputSpikesPerSample: number;
  layers: LayerActivity[];
  /** Input and every layer's SynOps (the readout's included in the last layer's fan-out). */
  synOpsPerSample: number;
  denseMacsPerSample: number;
  energyPerSample: { synOpsPj: number; denseMacsPj: number; eAcPj: number; eMacPj: number };
}

/** One epoch's numbers; the keys are those of the CLI report's `history` and of the session file. */
export interface EpochRecord {
  epoch: number;
  train_loss: number;
  train_acc: number;
  test_loss: number;
  test_acc: number;
  /** Validation loss and accuracy (the held-out part of the training file, or its own file); null without one. */
  val_loss: number | null;
  val_acc: number | null;
  /** Learning rate of this epoch (the schedule's). */
  lr: number;
  /** Seconds spent training that epoch (no evaluation). */
  train_s: number;
  /** Seconds spent evaluating every test sample. */
  eval_s: number;
}

export interface DatasetBrief {
  name: string;
  trainSamples: number;
  testSamples: number;
  channels: number;
  classNames: string[];
}

/** One hidden layer's activity on the probed sample. Row-major flat arrays. */
export interface LayerProbe {
  kind: NeuronKind;
  size: number;
  /** Spikes: time step and neuron of each. */
  spikes: { t: number[]; n: number[] };
  /** Membrane U_t (before the reset for adlif), [T × size]. */
  mem: number[];
  /** adlif: adaptation A_t, [T × size]; absent for lif. */
  adapt?: number[];
}

/** Network activity for one sample, for rasters and traces. Row-major flat arrays. */
export interface ProbeRecord {
  epoch: number;
  /** Index of the sample in the test set. */
  sampleIndex: number;
  label: number;
  prediction: number;
  nbSteps: number;
  /** Input channels of the data (before pooling). */
  channels: number;
  classes: number;
  threshold: number;
  /** Binned input events: time bin and channel (before pooling) of each non-zero bin. */
  inputSpikes: { t: number[]; c: number[] };
  /** Hidden layers, input side first. */
  layers: LayerProbe[];
  /** Readout membrane O_t for t = 0…T, [(T+1) × C]. */
  readoutMem: number[];
  /** Class scores (max, mean or softmax-sum of the readout over time), [C]. */
  scores: number[];
}

/** One hidden layer's learnable axonal delays (steps, continuous while training), per neuron; absent = none. */
export interface LayerDelays {
  /** On what its spikes reach through W_rec (the layer's recDelayMax > 0, its own or the config's; recurrent layers). */
  rec?: number[];
  /** On what it sends up to the next layer or the readout (the layer's ffDelayMax > 0, its own or the config's). */
  ff?: number[];
}

/**
 * The time constants of one hidden layer's neurons (s), for the τ histograms: lif has tauSynS and tauMemS,
 * adlif tauMemS and tauAdaptS; with its delays, where the network learns some, for the delay histograms.
 */
export interface LayerTaus {
  kind: NeuronKind;
  tauSynS?: number[];
  tauMemS: number[];
  tauAdaptS?: number[];
  /** Absent when the layer has no delays. */
  delays?: LayerDelays;
}

/** What a training-health check found (services/engine/training/trainingHealth.ts has the criteria). */
export type HealthKind = 'silent' | 'saturated' | 'vanishing' | 'exploding' | 'regulariser' | 'diverged' | 'calibrated' | 'derivatives' | 'checked';

/** The kinds that are notes (what was done or verified), not warnings. */
export const HEALTH_NOTES: readonly HealthKind[] = ['calibrated', 'checked'];

/**
 * One finding of the training-health checks: a hidden layer that is silent or saturated, gradients that vanish
 * or explode, a regulariser that outweighs the class loss, a loss that diverged, a user-defined neuron whose derived
 * backward disagrees with finite differences (`derivatives`); or the notes `calibrated` (initialisation rescaled a
 * silent or saturated layer's input weights, initCalibration.ts) and `checked` (a user-defined neuron's backward
 * agreed with finite differences before the first epoch).
 * Each is reported once per run for its kind and layer, at the first epoch it is seen (0: before training).
 */
export interface HealthWarning {
  kind: HealthKind;
  /** The hidden layer, 1-based as the CLI and the form number them; null for the whole network. */
  layer: number | null;
  /** The epoch it was seen in (0: the check at initialisation, before the first batch). */
  epoch: number;
  /** One line: what was measured, naming the layer, and the likely fix. */
  message: string;
}

export type TrainEvent =
  | {
      type: 'start';
      backend: BackendReport;
      config: TrainConfig;
      dataset: DatasetBrief;
      /** First epoch number this run will train (> 1 when resuming). */
      firstEpoch: number;
      batchesPerEpoch: number;
      /** Time constants at initialisation (the same seed gives the same ones), per hidden layer. */
      initialTaus: LayerTaus[];
      /** How the validation set was made (held out of the training file, its own file, or none). */
      validation: ValidationSplitInfo;
      /**
       * Mismatches the run goes on despite, one line each (services/sessions/dataMatch.ts): train and test files
       * that number their speakers apart, a resumed session whose class names differ from the data's. The app
       * shows them beside the run; absent when there are none.
       */
      warnings?: string[];
    }
  | { type: 'batch'; epoch: number; batch: number; batches: number; loss: number; samplesPerS: number; etaS: number }
  /**
   * Before 'start', while a data file too large to hold as spikes is binned into its cache (once; later runs
   * reuse it): the file and samples done of total.
   */
  | { type: 'preparing'; file: string; done: number; total: number }
  | {
      type: 'epoch';
      record: EpochRecord;
      /** Test-set confusion matrix, confusion[true][predicted]. */
      confusion: number[][];
      /** Test-set activity: spikes, rates, SynOps against the dense network's MACs. */
      activity?: ActivityReport;
      /** Test-set accuracy per speaker, where the test file has speakers. */
      speakers?: SpeakerResult[];
      /** Time constants after this epoch, per hidden layer (they move only with learnTau). */
      taus: LayerTaus[];
      /** The epoch selected so far (shared/modelSelection.ts: smoothed validation accuracy, one standard error), or the last without validation. */
      selectedEpoch: number;
      /** On what grounds, and how sure: scores, the standard error, the epochs the validation set cannot tell apart. */
      selection?: EpochSelection;
    }
  | { type: 'probe'; probe: ProbeRecord }
  /** New training-health findings (trainingHealth.ts), each kind and layer once per run. */
  | { type: 'health'; warnings: HealthWarning[] }
  | { type: 'paused' }
  | { type: 'resumed' }
  | {
      type: 'done';
      /** `stopped-early`: patience epochs passed without a validation gain. */
      reason: 'completed' | 'cancelled' | 'stopped-early';
      history: EpochRecord[];
      /** The selected epoch (0 when none completed). */
      selectedEpoch: number;
    }
  | { type: 'error'; message: string };
