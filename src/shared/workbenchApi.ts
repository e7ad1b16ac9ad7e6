/**
 * The one API the renderer speaks. In the Electron app the preload exposes it as `window.workbench`
 * (contextBridge → IPC → main → workbench service); in serve mode `src/renderer/src/api/serveBridge.ts`
 * implements the same interface over HTTP (POST JSON for calls, Server-Sent Events for events).
 *
 * Every value here is plain JSON (no typed arrays, no Dates, no class instances) so it crosses structured
 * clone and JSON alike. Every call returns a promise; a rejected call carries a {@link WorkbenchError}-shaped
 * message (and per-field errors when a config was refused). Names are stable: extend, never rename.
 */
import type { FieldError, TrainConfig } from './config';
import { BACKEND_NAMES, type BackendName, type BackendReport, type ClassResult, type EpochRecord, type LayerTaus, type ProbeRecord, type TrainEvent } from './events';
import type { CheckedSweepTask, SweepSpec, SweepTable } from './sweep';
import type { NeuronDescription, PlaygroundRequest, PlaygroundResult } from './playground';
import type { CustomNeuronSpec } from './customNeuron';
import type { ReportCardResult } from './reportCard';
import type { ValidationSplitInfo } from './validation';

/** Bumped when a call's shape changes incompatibly. */
export const WORKBENCH_API_VERSION = 1;

export type BackendPreference = 'auto' | BackendName;
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', ...BACKEND_NAMES];

/* ------------------------------------------------------------------ info */

export interface BackendOption {
  name: BackendName;
  /** Installed (its package resolves). wasm and cpu always are. Whether it actually loads is known after a probe. */
  installed: boolean;
  /** Why it is not installed, or why the last probe skipped it. */
  reason?: string;
}

export interface AppInfo {
  apiVersion: number;
  appVersion: string;
  /** 'electron' in the desktop app, 'serve' in a browser talking to `npm run serve`. */
  mode: 'electron' | 'serve';
  /** Runtime versions where known: node always; electron, chrome, v8 in the app; tfjs once a probe ran. */
  versions: Record<string, string>;
  platform: string;
  /** Where datasets, sessions and settings live. */
  dataDir: string;
  backends: {
    options: BackendOption[];
    /** The preference saved in settings. */
    preference: BackendPreference;
    /** The backend the last probe or run actually used, with the reasons for the ones it skipped. */
    lastReport: BackendReport | null;
  };
  /** Electron can show a native file dialog; in serve mode the user types a path on the server. */
  nativeFileDialog: boolean;
}

/* -------------------------------------------------------------- datasets */

export type CatalogName = 'shd' | 'ssc';
export const CATALOG_NAMES: readonly CatalogName[] = ['shd', 'ssc'];

/** What a training run trains on. */
export type DatasetRef =
  /** The built-in generated set (no network). Sizes are per split; omitted → the generator's defaults. */
  | { kind: 'demo'; seed?: number; trainSamples?: number; testSamples?: number }
  /** A downloaded catalog set (train and test splits from the data dir). */
  | { kind: 'catalog'; name: CatalogName }
  /** Two SHD-layout HDF5 files the user opened. `channels` overrides the channel count read from the data. */
  | { kind: 'files'; trainPath: string; testPath: string; channels?: number };

export interface DatasetFileStatus {
  /** File name inside the data dir, e.g. shd_train.h5. */
  file: string;
  path: string;
  present: boolean;
  verified: boolean;
  sizeBytes: number | null;
}

export interface DatasetStatus {
  name: 'demo' | CatalogName;
  title: string;
  /** Every file present (always true for demo). */
  available: boolean;
  /** A download of it is in progress. */
  downloading: boolean;
  files: DatasetFileStatus[];
}

export interface DatasetList {
  dataDir: string;
  datasets: DatasetStatus[];
  /** HDF5 files opened recently, newest first. */
  recentFiles: string[];
}

export interface SplitSummary {
  samples: number;
  spikes: number;
  /** Samples per class, indexed by class. */
  labelCounts: number[];
  maxTimeS: number;
}

export interface DatasetSummary {
  /** Human-readable name (demo, shd, or the file names). */
  name: string;
  channels: number;
  classNames: string[];
  train: SplitSummary;
  test: SplitSummary;
}

/** One file checked on open: readable, SHD layout, its numbers. */
export interface FileSummary extends SplitSummary {
  path: string;
  channels: number;
  classNames: string[];
}

export type DownloadPhase = 'connecting' | 'downloading' | 'verifying' | 'unpacking' | 'done' | 'cancelled' | 'error';

export interface DownloadProgress {
  dataset: CatalogName;
  /** The file being worked on (e.g. shd_train.h5.gz); empty before the first. */
  file: string;
  phase: DownloadPhase;
  bytes: number;
  totalBytes: number | null;
  bytesPerS: number;
  etaS: number | null;
  /** Set for 'error' (what went wrong, what was deleted) and informational phases. */
  message?: string;
}

/** What `datasets.augmentPreview` is asked: one training sample as a run of `config` would augment it in `epoch`. */
export interface AugmentPreviewRequest {
  dataset: DatasetRef;
  /** The run's config: its augment options, binning (nbSteps, maxTimeS, binning), seed and validation split are used. */
  config: TrainConfig;
  /** Index of the sample in the training file (not in the training part left after the validation hold-out). */
  sampleIndex: number;
  /** The 1-based epoch whose augmentation is shown, at most config.epochs. */
  epoch: number;
}

/** One sample's binned input: a (time step, channel) pair for every bin holding at least one spike. */
export interface BinnedSpikes {
  t: number[];
  c: number[];
}

export interface AugmentPreview {
  /** As asked: index in the training file. */
  sampleIndex: number;
  /** Its position in the training part the run trains on (equal to sampleIndex when nothing is held out). */
  trainPartIndex: number;
  label: number;
  /** The label's class name, where the file names it. */
  className?: string;
  channels: number;
  nbSteps: number;
  epoch: number;
  /** The sample binned as the config bins it, as evaluation sees it. */
  original: BinnedSpikes;
  /** The binned spikes training sees for this sample in this epoch (identical to original when augmentation is off). */
  augmented: BinnedSpikes;
  /** The training-file index of the same-class sample it was blended with; null when it was not blended. */
  blendPartner: number | null;
  /**
   * The augmentations that are on, each with what was drawn for this sample ("channel shift +2 (of ±3)");
   * empty when augmentation is off.
   */
  applied: string[];
}

/* -------------------------------------------------------------- training */

export interface StartTrainingRequest {
  config: TrainConfig;
  dataset: DatasetRef;
  backend: BackendPreference;
  /** Continue the trajectory of a saved session (its config must match `config` except `epochs`). */
  resumeSessionId?: string;
  /** Test-set sample whose activity is probed after each epoch (default 0). */
  probeSample?: number;
}

export type TrainingState = 'idle' | 'starting' | 'running' | 'paused' | 'stopping';

/** Everything a freshly loaded page needs to redraw a run in progress (or the last one). */
export interface TrainingStatus {
  state: TrainingState;
  runId: string | null;
  request: StartTrainingRequest | null;
  /** The run's 'start' event (backend, dataset brief, first epoch) once it arrived. */
  started: Extract<TrainEvent, { type: 'start' }> | null;
  lastBatch: Extract<TrainEvent, { type: 'batch' }> | null;
  /** Epochs of this run so far (including the resumed session's history). */
  history: EpochRecord[];
  confusion: number[][] | null;
  /** Time constants of every hidden layer after the latest epoch (the start event has the initial ones). */
  taus: LayerTaus[] | null;
  probe: ProbeRecord | null;
  /**
   * The epoch selected so far (smoothed validation score, the latest within one standard error of the best; the last without validation), as the
   * latest epoch or done event said; null before the first epoch.
   */
  selectedEpoch: number | null;
  /** How this run's validation set was made (the start event's), null before it arrived. */
  validation: ValidationSplitInfo | null;
  /** How the last run ended, once it did; `stopped-early`: patience epochs passed without a validation gain. */
  finished: { reason: 'completed' | 'cancelled' | 'stopped-early' | 'error'; message?: string } | null;
  /** A checkpoint of at least one epoch exists, so `sessions.save` will work. */
  canSave: boolean;
  /** The session the last run was saved as or resumed from. */
  sessionId: string | null;
}

/* -------------------------------------------------------------- sessions */

export interface SessionSummary {
  id: string;
  name: string;
  /** ISO 8601. */
  created: string;
  /** Dataset name (demo, shd, ssc or the train file's name). */
  dataset: string;
  datasetRef: DatasetRef | null;
  config: TrainConfig;
  epochs: number;
  finalTestAcc: number | null;
  finalTrainAcc: number | null;
  /** The epoch whose weights the session keeps as its model (by the smoothed validation score, shared/modelSelection.ts; the last without validation). */
  selectedEpoch: number | null;
  /** Test accuracy at the selected epoch: the number to publish. */
  testAccSelected: number | null;
  /** How the validation set that selected it was made. */
  validation: ValidationSplitInfo;
  backend: BackendName;
  sizeBytes: number;
  /** The session file inside the data directory (sessions/<id>.h5): what serve mode's download takes. */
  dataPath: string;
  /** Where a session opened from a file came from; null for one saved by this app or taken from a sweep. */
  origin: SessionOrigin | null;
}

/** A session file opened from outside the app (Open…, dropped on the window, uploaded to serve mode). */
export interface SessionOrigin {
  /** The file's path on the machine running the services; null for an upload from a browser. */
  path: string | null;
  /** The file's name as the user had it. */
  fileName: string;
  /** When it was copied in, ISO 8601. */
  importedAt: string;
}

export interface LoadedSession {
  summary: SessionSummary;
  config: TrainConfig;
  history: EpochRecord[];
  meta: {
    created: string;
    appVersion: string;
    backend: BackendName;
    dataset: { name: string; fingerprint: string; trainSamples: number; testSamples: number };
    classNames: string[];
    /** Speaker names by id of the training data, where its file recorded them (files from `encode`). */
    speakerNames?: string[];
  };
  /** Probe of the last epoch, as recorded when the session was saved. */
  probe: ProbeRecord | null;
  /** Test confusion matrix of the last epoch, confusion[true][predicted]. */
  confusion: number[][] | null;
  /** Time constants of every hidden layer at initialisation (from the seed) and as saved. */
  initialTaus: LayerTaus[];
  taus: LayerTaus[];
}

/* ---------------------------------------------------------------- listen */

/** A recording to hear through the cochlea front end and, with a session, through its network. */
export interface ListenRequest {
  /** The WAV file's bytes, base64 (PCM 8/16/24/32-bit or float; at most 16 MB). */
  wav: string;
  /** The session whose network classifies it; null shows the front end only. */
  sessionId: string | null;
  /** Only the last this many seconds (the live view's sliding window); absent: all of it. */
  windowS?: number;
}

export interface ListenResult {
  durationS: number;
  sampleRateHz: number;
  /** Min and max of the samples per column, for drawing (at most 600 columns). */
  waveform: { min: number[]; max: number[] };
  /**
   * Filterbank energy (dB, 0 = loudest) on `rows` ERB-spaced bands × `cols` frames of `frameS` (10 ms), row-major,
   * low band first; frame c covers [c·frameS, (c+1)·frameS) of the recording.
   */
  cochleagram: { rows: number; cols: number; lowHz: number; highHz: number; frameS: number; values: number[] };
  /** The encoded spikes (times in s, channels), as a session's data would hold them. */
  spikes: { t: number[]; c: number[]; channels: number };
  /** The session's reading of it: the prediction, its scores, and the class probabilities at every time step. */
  prediction: {
    sessionName: string;
    classNames: string[];
    predicted: number;
    scores: number[];
    /** softmax of the readout membrane per step: p[t][k], t = 1 … T. */
    overTime: number[][];
    /**
     * When each row of overTime is reached (s): the end of its step's bin as the session bins. The network's window
     * is maxTimeS long whatever the recording's length, so rows past durationS saw no input.
     */
    stepEndS: number[];
    nbSteps: number;
    maxTimeS: number;
  } | null;
}

export interface EncodedFolder {
  train: string;
  test: string;
  classNames: string[];
  trainSamples: number;
  testSamples: number;
  /** Seconds of audio encoded, and how long it took. */
  audioS: number;
  wallS: number;
}

/* ---------------------------------------------------------------- sweeps */

/** Run a sweep here: its tasks go into `dir` (absolute), `parallel` at a time (shared/sweep.ts has the spec). */
export interface SweepRunRequest {
  spec: SweepSpec;
  dir: string;
  parallel: number;
}

/** Write a sweep's SLURM job-array script and task table into `dir` (absolute), for `sbatch` on a cluster. */
export interface SlurmFilesRequest {
  spec: SweepSpec;
  dir: string;
  partition?: string;
  time?: string;
  cpus?: number;
  maxRunning?: number;
}

/* -------------------------------------------------------------- settings */

export interface Settings {
  /** Config of the last run started (restored into the form on start). */
  lastConfig: TrainConfig;
  /** Dataset of the last run started; null until one is: then the app offers SHD once it is downloaded, else the demo set. */
  lastDataset: DatasetRef | null;
  backend: BackendPreference;
  /** Data directory override; null = default (SPIKING_WORKBENCH_DATA, else the user-data folder). Applies after restart. */
  dataDir: string | null;
  probeSample: number;
  /** Session ids, newest first. */
  recentSessions: string[];
  /** Recently opened HDF5 paths, newest first. */
  recentFiles: string[];
}

/* ---------------------------------------------------------------- events */

export type WorkbenchEvent =
  /** Every trainer event of the current run, as the engine emitted it. */
  | { kind: 'train'; runId: string; event: TrainEvent }
  /** The run's state changed (idle/starting/running/paused/stopping). */
  | { kind: 'state'; runId: string | null; state: TrainingState }
  | { kind: 'download'; progress: DownloadProgress }
  /** The session list changed (saved, deleted). */
  | { kind: 'sessions'; sessions: SessionSummary[] }
  /** A sweep's table after a task started or ended (running false once the local queue has ended). */
  | { kind: 'sweep'; table: SweepTable; running: boolean }
  /** A failure that no pending call can report (training process crashed, download failed in background). */
  | { kind: 'error'; source: 'training' | 'download' | 'settings' | 'app'; message: string };

/* ------------------------------------------------------------------ API */

export type Unsubscribe = () => void;

/**
 * The order of a spike and its reset within a step of a NIR backend: `delayed` reads the spike from the membrane
 * the step starts with and puts v_reset in place of that step's integration (the engine, snnTorch's default);
 * `immediate` resets as soon as the new membrane crosses (Norse, Lava, snnTorch's NIR import).
 */
export type NirResetOrder = 'delayed' | 'immediate';
export const NIR_RESET_ORDERS: readonly NirResetOrder[] = ['delayed', 'immediate'];
/** How the CLI and the app name each order, with who runs it. */
export const NIR_RESET_ORDER_LABELS: Record<NirResetOrder, string> = {
  delayed: "delayed reset (the engine's order, snnTorch's default)",
  immediate: "immediate reset (Norse, Lava, snnTorch's NIR import)",
};

/** Where {@link WorkbenchApi.sessions.exportNir} wrote the graph, and its size. */
export interface NirExport {
  /** Absolute, on the machine running the services. */
  path: string;
  /** The same file inside the data directory (exports/<id>.nir): what serve mode's download takes. */
  dataPath: string;
  nodes: number;
  edges: number;
}

export interface NirOrderAgreement {
  order: NirResetOrder;
  /** Share of the checked samples the graph predicts as the engine does. */
  agreement: number;
  /** The graph's own accuracy on them. */
  accuracy: number;
}

/** How an exported NIR graph predicts next to the engine on a dataset (services/nir/nirCheck.ts). */
export interface NirCheck {
  dataset: string;
  samples: number;
  /** The engine's accuracy on the same samples. */
  engineAccuracy: number;
  orders: NirOrderAgreement[];
  /** How the session and the data disagree (class names or count, speaker numbering), one line each; absent when they agree. */
  warnings?: string[];
}

/**
 * A session's network run over every sample of a dataset's test split, as `evaluate --selected` on the CLI runs
 * it (services/workbench/evaluateJob.ts): the weights of the selected epoch, the epoch whose test accuracy the
 * session list shows as the one to publish.
 */
export interface SessionEvaluation {
  /** The session's name in the list. */
  sessionName: string;
  /** What it ran on: the test file's path, or the test split's name (demo, shd, ssc). */
  dataset: string;
  /** The epoch whose weights ran (the selected one). */
  epoch: number;
  backend: BackendName;
  accuracy: number;
  /** Every sample of the test split. */
  samples: number;
  /** Mean negative log-likelihood of the true class. */
  loss: number;
  /** By the session's class names (labels are scored by index), in class order. */
  perClass: ClassResult[];
  /** How the session and the data disagree (class names or count, speaker numbering), one line each; absent when they agree. */
  warnings?: string[];
}

export interface WorkbenchApi {
  info(): Promise<AppInfo>;
  /** Runs backend selection (in the training process) and reports what it chose and skipped. */
  probeBackend(preference: BackendPreference): Promise<BackendReport>;

  datasets: {
    list(): Promise<DatasetList>;
    /** Downloads and verifies a catalog set; resolves when every file is verified. Progress comes as events. */
    fetch(name: CatalogName): Promise<DatasetStatus>;
    /** Cancels a download in progress; the pending fetch rejects with a "cancelled" message. */
    cancelFetch(name: CatalogName): Promise<void>;
    /** Electron: native open dialog, resolves with the path or null when cancelled. Serve mode: always null. */
    pickFile(): Promise<string | null>;
    /** Reads and checks one SHD-layout file (on the machine running the services), remembers it in recent files. */
    openFile(path: string): Promise<FileSummary>;
    summary(ref: DatasetRef): Promise<DatasetSummary>;
    /**
     * One training sample beside the augmented copy a run of `request.config` trains on in `request.epoch`:
     * the same binned spikes the trainer uses for it. Refused for an index outside the training file, for a
     * sample the config holds out for validation (training never augments it), and for an epoch past config.epochs.
     */
    augmentPreview(request: AugmentPreviewRequest): Promise<AugmentPreview>;
  };

  training: {
    start(request: StartTrainingRequest): Promise<{ runId: string }>;
    /** Honoured between batches. */
    pause(): Promise<void>;
    resume(): Promise<void>;
    /** Stops cleanly: the batch in progress finishes, the last completed epoch is kept, the process exits. */
    stop(): Promise<void>;
    /** Which test sample the next probes show. */
    setProbeSample(index: number): Promise<void>;
    status(): Promise<TrainingStatus>;
  };

  sessions: {
    /** Saves the latest checkpoint of the current or last run. */
    save(name?: string): Promise<SessionSummary>;
    list(): Promise<SessionSummary[]>;
    load(id: string): Promise<LoadedSession>;
    delete(id: string): Promise<void>;
    /** Electron: native open dialog for a session file, resolves with the path or null when cancelled. Serve mode: always null. */
    pickFile(): Promise<string | null>;
    /**
     * Opens a session file from a path on the machine running the services (a CLI run, a cluster's, a colleague's):
     * checked with the session reader, copied into the sessions folder under a fresh id with its origin recorded,
     * and listed like any other. A wrong file is refused with one line naming it. (A browser's file goes by upload:
     * {@link FileHandOver}.)
     */
    openFile(path: string): Promise<SessionSummary>;
    /**
     * Writes the session's network as a NIR graph into the data directory's `exports/` (LIF sessions; adLIF is
     * refused with the reason) and says where.
     */
    exportNir(id: string): Promise<NirExport>;
    /**
     * Exports as {@link exportNir} does, then runs the written file in the NIR simulator (in a training process)
     * on the test split of `dataset`, in both reset orders, next to the engine's predictions.
     */
    checkNir(id: string, dataset: DatasetRef): Promise<NirCheck>;
    /**
     * Runs the session's selected-epoch weights over the test split of `dataset` (in a training process, on the
     * backend of the settings). Data with classes the session has no output for is refused in one line naming the
     * session; lesser mismatches come back as the evaluation's warnings.
     */
    evaluate(id: string, dataset: DatasetRef): Promise<SessionEvaluation>;
  };

  listen: {
    /** Encodes a recording (in a training process: it computes) and runs the session's network on it. */
    analyze(request: ListenRequest): Promise<ListenResult>;
    /**
     * "Train on this folder": encodes DIR/train and DIR/test (class folders of WAVs, optionally speaker folders
     * inside) through the same front end into SHD-layout files in the data directory, with one class and one
     * speaker numbering for both, and says where they are.
     */
    encodeFolder(dir: string): Promise<EncodedFolder>;
  };

  playground: {
    /**
     * Every built-in neuron kind as its definition describes it (states, parameters with spans, run constants,
     * records, probe, equations), and with `custom` (a checked program, shared/customNeuron.ts) that user-defined
     * neuron last, as kind `custom`, described from the definition the engine makes of it.
     */
    kinds(custom?: CustomNeuronSpec | null): Promise<NeuronDescription[]>;
    /** One neuron of a kind driven by an input current, and its f–I curve, through the kind's generated kernels. */
    run(request: PlaygroundRequest): Promise<PlaygroundResult>;
  };

  sweeps: {
    /**
     * The task table of a spec (every task's train flags), each task read by train's own config parser: a value
     * train would refuse is returned as a problem of its cell, with train's reason.
     */
    expand(spec: SweepSpec): Promise<CheckedSweepTask[]>;
    /**
     * Starts the sweep in the background (one at a time); `sweep` events follow every task start and end. Refused,
     * naming the first bad task, when train would refuse any task's flags.
     */
    run(request: SweepRunRequest): Promise<{ dir: string; tasks: number }>;
    /** Stops the running sweep: its tasks stop after their batch and are marked stopped; run again to resume. */
    stop(): Promise<void>;
    writeSlurm(request: SlurmFilesRequest): Promise<{ script: string; command: string }>;
    /** A sweep folder (local, or copied from a cluster) as a table, best first. */
    collect(dir: string): Promise<SweepTable & { running: boolean }>;
    /** Copies a task's session into the session list (to open it, or compare it with another). */
    importRun(dir: string, taskId: string): Promise<SessionSummary>;
    /**
     * The report card of a seeds sweep (one whose only varied flag is the seed: "Repeat with N seeds", `train
     * --seeds N`), over the seeds finished so far; written as report-card.md and .csv into the sweep's folder.
     * Refused, with the reason, for a folder that is not a seeds sweep.
     */
    reportCard(dir: string): Promise<ReportCardResult>;
  };

  settings: {
    get(): Promise<Settings>;
    /** Merges the patch, validates the result against the schema, stores it, returns it. */
    set(patch: Partial<Settings>): Promise<Settings>;
  };

  /** Subscribes to every {@link WorkbenchEvent}; returns the function that unsubscribes. */
  onEvent(callback: (event: WorkbenchEvent) => void): Unsubscribe;
}

/** The error a call rejects with; `fieldErrors` lists config problems by field, for the form. */
export class WorkbenchError extends Error {
  readonly fieldErrors: FieldError[];
  constructor(message: string, fieldErrors: FieldError[] = []) {
    super(message);
    this.name = 'WorkbenchError';
    this.fieldErrors = fieldErrors;
  }
}

/**
 * The desktop app's one helper beside the API, for a file dropped on the window: its path (Electron's
 * `webUtils.getPathForFile`, which a sandboxed page cannot reach), for {@link WorkbenchApi.sessions.openFile}.
 * A browser has no such path, so serve mode uploads the file's bytes instead (api/serveBridge.ts).
 */
export interface FileHandOver {
  /** The dropped file's path on this machine; '' for a file that has none (made in the page). */
  pathOf(file: File): string;
}

declare global {
  interface Window {
    /** Present in the Electron app (exposed by the preload); absent in a browser (serve mode uses the bridge). */
    workbench?: WorkbenchApi;
    /** Present in the Electron app beside `workbench`. */
    workbenchFiles?: FileHandOver;
  }
}
