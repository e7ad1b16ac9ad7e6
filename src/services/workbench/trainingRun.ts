/**
 * One training run as main sees it: the training process, the state the UI redraws from (history, last batch,
 * probe, confusion), and the checkpoint the run leaves behind. Pause, resume, stop and probe-sample changes are
 * forwarded to the process; stopping is clean — the process finishes its batch, sends the checkpoint of the
 * last completed epoch and 'done', then exits. Only if it does not exit in time is it killed.
 */
import type { TrainEvent, EpochRecord, LayerTaus, ProbeRecord } from '../../shared/events';
import type { ToTrainingProcess } from '../../shared/ipc/trainingProcess';
import type { StartTrainingRequest, TrainingState, TrainingStatus, WorkbenchEvent } from '../../shared/workbenchApi';
import type { Session } from '../engine/model/modelState';
import type { LaunchTrainingProcess, TrainingProcess } from './processLauncher';
import { fromTrainingProcessError, type FromTrainingProcess } from './trainingProtocol';

export interface TrainingRunOptions {
  runId: string;
  request: StartTrainingRequest;
  job: Extract<ToTrainingProcess, { type: 'train' }>;
  launch: LaunchTrainingProcess;
  emit: (event: WorkbenchEvent) => void;
  /** History of the session being resumed, shown before the first new epoch arrives. */
  priorHistory?: EpochRecord[];
  /** The resumed session's selected epoch, shown until the run's first epoch reports its own. */
  priorSelectedEpoch?: number | null;
  resumedFrom?: string | null;
  /** How long a stop may take (the batch in progress plus an evaluation) before the process is killed. */
  stopTimeoutMs?: number;
  /** After its last message, how long the process has to exit by itself. */
  exitGraceMs?: number;
}

export class TrainingRun {
  readonly runId: string;
  readonly request: StartTrainingRequest;
  state: TrainingState = 'starting';
  started: Extract<TrainEvent, { type: 'start' }> | null = null;
  lastBatch: Extract<TrainEvent, { type: 'batch' }> | null = null;
  history: EpochRecord[];
  confusion: number[][] | null = null;
  taus: LayerTaus[] | null = null;
  probe: ProbeRecord | null = null;
  selectedEpoch: number | null = null;
  finished: TrainingStatus['finished'] = null;
  checkpoint: Session | null = null;
  sessionId: string | null;
  /** Saved as a session since it ended. */
  saved = false;
  /** Resolves when the process has exited and the run is over. */
  readonly ended: Promise<void>;

  private readonly proc: TrainingProcess;
  private readonly emit: (event: WorkbenchEvent) => void;
  private stopTimer: NodeJS.Timeout | null = null;
  private failure: string | null = null;

  constructor(private readonly opts: TrainingRunOptions) {
    this.runId = opts.runId;
    this.request = opts.request;
    this.emit = opts.emit;
    this.history = [...(opts.priorHistory ?? [])];
    this.selectedEpoch = opts.priorSelectedEpoch ?? null;
    this.sessionId = opts.resumedFrom ?? null;
    this.proc = opts.launch();
    this.ended = new Promise((resolve) => {
      this.proc.onExit((code) => {
        this.onExit(code);
        resolve();
      });
    });
    this.proc.onMessage((m) => this.onMessage(m));
    this.proc.send(opts.job);
    this.emitState();
  }

  get active(): boolean {
    return this.state !== 'idle';
  }

  pause(): void {
    this.requireActive('pause');
    if (this.state === 'stopping') throw new Error('the run is stopping');
    this.proc.send({ type: 'pause' });
  }

  resume(): void {
    this.requireActive('resume');
    if (this.state === 'stopping') throw new Error('the run is stopping');
    this.proc.send({ type: 'resume' });
  }

  stop(): void {
    if (!this.active || this.state === 'stopping') return;
    this.setState('stopping');
    this.proc.send({ type: 'stop' });
    this.stopTimer = setTimeout(() => {
      this.failure = `the training process did not stop within ${Math.round((this.opts.stopTimeoutMs ?? 120_000) / 1000)} s and was ended`;
      this.proc.kill();
    }, this.opts.stopTimeoutMs ?? 120_000);
  }

  setProbeSample(index: number): void {
    const samples = this.started?.dataset.testSamples;
    if (samples !== undefined && index >= samples) {
      throw new Error(`probe sample ${index} is out of range: the test set has ${samples} samples (0…${samples - 1})`);
    }
    if (this.active) this.proc.send({ type: 'probeSample', index });
  }

  status(): TrainingStatus {
    return {
      state: this.state,
      runId: this.runId,
      request: this.request,
      started: this.started,
      lastBatch: this.lastBatch,
      history: [...this.history],
      confusion: this.confusion,
      taus: this.taus,
      probe: this.probe,
      selectedEpoch: this.selectedEpoch,
      validation: this.started?.validation ?? null,
      finished: this.finished,
      canSave: this.canSave,
      sessionId: this.sessionId,
    };
  }

  get canSave(): boolean {
    return !this.active && this.checkpoint !== null && this.checkpoint.epochsDone > 0;
  }

  private requireActive(what: string): void {
    if (!this.active) throw new Error(`no training run to ${what}`);
  }

  private setState(state: TrainingState): void {
    if (this.state === state) return;
    this.state = state;
    this.emitState();
  }

  private emitState(): void {
    this.emit({ kind: 'state', runId: this.runId, state: this.state });
  }

  private onMessage(raw: unknown): void {
    const problem = fromTrainingProcessError(raw);
    if (problem) {
      this.emit({ kind: 'error', source: 'training', message: `training process sent a bad message: ${problem}` });
      return;
    }
    const message = raw as FromTrainingProcess;
    switch (message.type) {
      case 'event':
        this.onTrainEvent(message.event);
        break;
      case 'checkpoint':
        this.checkpoint = message.session;
        break;
      case 'failed':
        this.failure = message.message;
        this.emit({ kind: 'train', runId: this.runId, event: { type: 'error', message: message.message } });
        break;
      case 'finished': {
        // The process exits by itself right after; a stuck one is ended so the run can finish.
        const timer = setTimeout(() => this.proc.kill(), this.opts.exitGraceMs ?? 5_000);
        void this.ended.then(() => clearTimeout(timer));
        break;
      }
      default:
        break;
    }
  }

  private onTrainEvent(event: TrainEvent): void {
    switch (event.type) {
      case 'start':
        this.started = event;
        if (this.state === 'starting') this.setState('running');
        break;
      case 'batch':
        this.lastBatch = event;
        break;
      case 'preparing':
        break; // passed on to the page as it is; a reloaded page sees the next one
      case 'epoch':
        this.history = [...this.history.filter((r) => r.epoch !== event.record.epoch), event.record];
        this.confusion = event.confusion;
        this.taus = event.taus;
        this.selectedEpoch = event.selectedEpoch;
        break;
      case 'probe':
        this.probe = event.probe;
        break;
      case 'paused':
        if (this.state !== 'stopping') this.setState('paused');
        break;
      case 'resumed':
        if (this.state !== 'stopping') this.setState('running');
        break;
      case 'done':
        this.finished = { reason: event.reason };
        this.history = [...event.history];
        // 0: no epoch completed in this run; a resumed session's own selection is not known here.
        if (event.selectedEpoch > 0) this.selectedEpoch = event.selectedEpoch;
        break;
      case 'error':
        this.failure = event.message;
        break;
    }
    this.emit({ kind: 'train', runId: this.runId, event });
  }

  private onExit(code: number | null): void {
    if (this.stopTimer) clearTimeout(this.stopTimer);
    if (this.failure !== null) this.finished = { reason: 'error', message: this.failure };
    else if (!this.finished) {
      const message = `the training process exited unexpectedly (${code === null ? 'killed' : `exit code ${code}`})`;
      this.finished = { reason: 'error', message };
      this.emit({ kind: 'error', source: 'training', message });
    }
    this.setState('idle');
  }
}
