/**
 * The renderer's picture of the training run, built from the service's TrainingStatus snapshot (on page load)
 * and then from each WorkbenchEvent. Pure functions returning new objects, so Svelte sees every change and the
 * logic is tested without a DOM.
 */
import type { TrainConfig } from '../../../shared/config';
import { HEALTH_NOTES, type ActivityReport, type EpochRecord, type HealthWarning, type LayerTaus, type ProbeRecord, type SpeakerResult, type TrainEvent } from '../../../shared/events';
import type { ValidationSplitInfo } from '../../../shared/validation';
import type { LoadedSession, TrainingState, TrainingStatus, WorkbenchEvent } from '../../../shared/workbenchApi';

export type StartEvent = Extract<TrainEvent, { type: 'start' }>;
export type BatchEvent = Extract<TrainEvent, { type: 'batch' }>;

export interface BatchPoint {
  epoch: number;
  batch: number;
  /** Position on the loss chart's x axis, in epochs: epoch k's batches lie in (k−1, k]. */
  x: number;
  loss: number;
}

export interface RunView {
  runId: string | null;
  state: TrainingState;
  config: TrainConfig | null;
  started: StartEvent | null;
  lastBatch: BatchEvent | null;
  /** A data file being binned into its cache before the run starts; null otherwise. */
  preparing: Extract<TrainEvent, { type: 'preparing' }> | null;
  /** Per-batch losses seen by this page (a reloaded page starts from the snapshot's epochs). */
  batchLosses: BatchPoint[];
  history: EpochRecord[];
  confusion: number[][] | null;
  /** The test set's activity after each epoch this page saw (saved sessions do not keep it). */
  activity: { epoch: number; report: ActivityReport }[];
  /** The test set's accuracy per speaker after the latest epoch (files with speakers). */
  speakers: SpeakerResult[] | null;
  probe: ProbeRecord | null;
  /** τ of every hidden layer at initialisation (the start event's), for the τ histograms. */
  initialTaus: LayerTaus[] | null;
  /** τ after the latest epoch this page saw; null before the first (a reloaded page waits for the next). */
  taus: LayerTaus[] | null;
  /** The epoch the run keeps as its model so far (smoothed validation score, one standard error; the last without validation). */
  selectedEpoch: number | null;
  /** How the validation set was made (the start event's, or the session's). */
  validation: ValidationSplitInfo | null;
  /** Training-health findings of this run, in the order they came (each kind and layer once). */
  health: HealthWarning[];
  finished: TrainingStatus['finished'];
  canSave: boolean;
}

export const EMPTY_RUN: RunView = Object.freeze({
  runId: null,
  state: 'idle',
  config: null,
  started: null,
  lastBatch: null,
  preparing: null,
  batchLosses: [],
  history: [],
  confusion: null,
  activity: [],
  speakers: null,
  probe: null,
  initialTaus: null,
  taus: null,
  selectedEpoch: null,
  validation: null,
  health: [],
  finished: null,
  canSave: false,
}) as RunView;

/**
 * x of a batch: the trainer numbers batches from 1 to `batches` within each epoch, so batch b of epoch e sits
 * at e − 1 + b/batches and the last batch of an epoch lines up with that epoch's point on the epoch curve.
 */
export function batchX(epoch: number, batch: number, batches: number): number {
  return epoch - 1 + batch / Math.max(1, batches);
}

export function fromStatus(s: TrainingStatus): RunView {
  return {
    runId: s.runId,
    state: s.state,
    config: s.request?.config ?? s.started?.config ?? null,
    started: s.started,
    lastBatch: s.lastBatch,
    preparing: null,
    batchLosses: [],
    history: s.history,
    confusion: s.confusion,
    activity: [],
    speakers: null,
    probe: s.probe,
    initialTaus: s.started?.initialTaus ?? null,
    taus: s.taus,
    selectedEpoch: s.selectedEpoch ?? null,
    validation: s.validation ?? s.started?.validation ?? null,
    health: [],
    finished: s.finished,
    canSave: s.canSave,
  };
}

export function applyTrainEvent(v: RunView, runId: string, e: TrainEvent): RunView {
  // A new run id means a new run: start from a clean slate rather than mixing two runs' curves.
  const base: RunView = runId !== v.runId ? { ...EMPTY_RUN, runId, state: 'running' } : v;
  switch (e.type) {
    case 'start':
      return {
        ...base,
        started: e,
        preparing: null,
        config: e.config,
        state: 'running',
        finished: null,
        initialTaus: e.initialTaus,
        taus: null,
        validation: e.validation,
        health: [],
        // A resumed run begins after the session's epochs; keep those batch points only if this page saw them.
        batchLosses: base.batchLosses.filter((p) => p.epoch < e.firstEpoch),
      };
    case 'preparing':
      return { ...base, preparing: e };
    case 'batch':
      return {
        ...base,
        lastBatch: e,
        batchLosses: [...base.batchLosses, { epoch: e.epoch, batch: e.batch, x: batchX(e.epoch, e.batch, e.batches), loss: e.loss }],
      };
    case 'epoch':
      return {
        ...base,
        history: mergeHistory(base.history, [e.record]),
        confusion: e.confusion,
        activity: e.activity ? [...base.activity.filter((a) => a.epoch !== e.record.epoch), { epoch: e.record.epoch, report: e.activity }] : base.activity,
        speakers: e.speakers ?? null,
        taus: e.taus,
        selectedEpoch: e.selectedEpoch,
        canSave: true,
      };
    case 'probe':
      return { ...base, probe: e.probe };
    case 'health':
      return { ...base, health: [...base.health, ...e.warnings] };
    case 'paused':
      return { ...base, state: 'paused' };
    case 'resumed':
      return { ...base, state: 'running' };
    case 'done':
      return {
        ...base,
        history: e.history.length ? e.history : base.history,
        // 0: no epoch finished in this run; a resumed session's selection stays as it was.
        selectedEpoch: e.selectedEpoch > 0 ? e.selectedEpoch : base.selectedEpoch,
        finished: { reason: e.reason },
        canSave: base.canSave || e.history.length > 0,
      };
    case 'error':
      return { ...base, finished: { reason: 'error', message: e.message } };
  }
}

export function applyWorkbenchEvent(v: RunView, e: WorkbenchEvent): RunView {
  if (e.kind === 'train') return applyTrainEvent(v, e.runId, e.event);
  if (e.kind === 'state') {
    // 'idle' after a run keeps its numbers on screen; a state of another run id starts fresh.
    if (e.runId !== null && e.runId !== v.runId) return { ...EMPTY_RUN, runId: e.runId, state: e.state };
    return { ...v, state: e.state };
  }
  return v;
}

export interface RunProgress {
  /** 0…1 over the whole run (epochs of this run only, not resumed ones). */
  fraction: number;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  samplesPerS: number;
  etaS: number;
}

export function runProgress(v: RunView): RunProgress | null {
  if (!v.started || !v.config) return null;
  const epochs = v.config.epochs;
  const first = v.started.firstEpoch;
  const batches = v.started.batchesPerEpoch;
  const runBatches = Math.max(1, (epochs - first + 1) * batches);
  const b = v.lastBatch;
  const lastEpochDone = v.history.length ? v.history[v.history.length - 1].epoch : first - 1;
  let done = Math.max(0, (lastEpochDone - first + 1) * batches);
  if (b && b.epoch > lastEpochDone) done = (b.epoch - first) * batches + b.batch;
  // Stopping early is a complete run too: the remaining epochs were not going to be trained.
  if (v.finished?.reason === 'completed' || v.finished?.reason === 'stopped-early') done = runBatches;
  return {
    fraction: Math.min(1, Math.max(0, done / runBatches)),
    epoch: b?.epoch ?? Math.max(first, lastEpochDone),
    epochs,
    batch: b?.batch ?? 0,
    batches,
    samplesPerS: b?.samplesPerS ?? 0,
    etaS: v.finished ? 0 : (b?.etaS ?? Number.NaN),
  };
}

/** Epoch records of both lists, one per epoch (the later list wins), in epoch order. */
export function mergeHistory(earlier: readonly EpochRecord[], later: readonly EpochRecord[]): EpochRecord[] {
  const byEpoch = new Map<number, EpochRecord>();
  for (const r of earlier) byEpoch.set(r.epoch, r);
  for (const r of later) byEpoch.set(r.epoch, r);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/** A saved session shown like a finished run: its curves, last confusion matrix and recorded probe. */
export function fromSession(s: LoadedSession): RunView {
  return {
    ...EMPTY_RUN,
    runId: null,
    state: 'idle',
    config: s.config,
    history: s.history,
    confusion: s.confusion,
    probe: s.probe,
    initialTaus: s.initialTaus,
    taus: s.taus,
    selectedEpoch: s.summary.selectedEpoch,
    validation: s.summary.validation,
    finished: { reason: 'completed' },
    canSave: false,
  };
}

/**
 * The line above the charts on how the run ended, for the endings that are not an error (which has its own
 * alert) and not a plain completion: null otherwise.
 */
export function finishNote(v: Pick<RunView, 'finished' | 'config' | 'selectedEpoch' | 'history'>, canSave: boolean): string | null {
  const last = v.history.at(-1)?.epoch;
  if (v.finished?.reason === 'stopped-early') {
    const patience = v.config?.patience;
    const why = patience ? `${patience} ${patience === 1 ? 'epoch' : 'epochs'} without a validation gain` : 'no validation gain';
    const sel = v.selectedEpoch !== null ? `; the selected epoch is ${v.selectedEpoch}` : '';
    return `Stopped early after epoch ${last ?? '—'}: ${why}${sel}.`;
  }
  if (v.finished?.reason === 'cancelled') return `Stopped by request; the last completed epoch is kept${canSave ? ' and can be saved' : ''}.`;
  return null;
}

/**
 * The run's training-health findings as the notice next to the curves shows them: what init calibration did
 * as a note, everything else as a warning, in the order the trainer found them.
 */
export function healthLines(health: readonly HealthWarning[]): string[] {
  return health.map((h) => `${HEALTH_NOTES.includes(h.kind) ? 'Note' : 'Warning'}${h.epoch > 0 ? ` (epoch ${h.epoch})` : ' (at initialisation)'}: ${h.message}`);
}
