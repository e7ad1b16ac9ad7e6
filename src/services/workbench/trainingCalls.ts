/**
 * The `training.*` calls: one run at a time, started from a checked request (or resumed from a saved session
 * whose config only lets epochs change), then paused, resumed, stopped and watched.
 */
import { randomBytes } from 'node:crypto';
import type { BackendReport } from '../../shared/events';
import { configDifferences } from '../../shared/config';
import { startRequestErrors } from '../../shared/ipc/trainingPayloads';
import { WorkbenchError, type StartTrainingRequest, type TrainingStatus } from '../../shared/workbenchApi';
import type { SessionStore } from './sessionStore';
import { TrainingRun } from './trainingRun';
import { absoluteRef, fail, jobContext, type Emit, type WorkbenchServiceOptions } from './workbenchOptions';

export class TrainingCalls {
  /** The current or last run: its results stay until the next start, so they can be saved. */
  run: TrainingRun | null = null;
  /** A start is between its checks and its run (reading the session to resume): a second start must wait its turn. */
  private starting = false;

  constructor(
    private readonly opts: WorkbenchServiceOptions,
    private readonly sessions: SessionStore,
    private readonly emit: Emit,
    /** Told the backend each run started on (`info` reports the last one). */
    private readonly onBackendReport: (report: BackendReport) => void,
  ) {}

  async startTraining(request: StartTrainingRequest): Promise<{ runId: string }> {
    const errors = startRequestErrors(request);
    if (errors.length) fail(errors, 'invalid training request');
    if (this.run?.active || this.starting) throw new WorkbenchError('a training run is already in progress; stop it first');
    this.starting = true;
    try {
      return await this.launchRun(request);
    } finally {
      this.starting = false;
    }
  }

  private async launchRun(request: StartTrainingRequest): Promise<{ runId: string }> {
    const dataset = absoluteRef(request.dataset);
    let resumePath: string | null = null;
    let resumeName: string | undefined;
    let priorHistory = undefined;
    let priorSelectedEpoch: number | null = null;
    if (request.resumeSessionId !== undefined) {
      const { session, name } = await this.sessions.readNamed(request.resumeSessionId).catch((err: Error) => {
        throw new WorkbenchError(`cannot resume: ${err.message}`);
      });
      // Only epochs may change: resuming may train longer.
      const differ = configDifferences(session.config, request.config).filter((k) => k !== 'epochs');
      if (differ.length) {
        throw new WorkbenchError(
          `cannot resume session ${request.resumeSessionId}: its config differs in ${differ.join(', ')} (only epochs may change when resuming)`,
          differ.map((field) => ({ field, message: `${field} must stay ${JSON.stringify(session.config[field])} to resume this session` })),
        );
      }
      if (request.config.epochs <= session.epochsDone) {
        throw new WorkbenchError(`cannot resume: the session has ${session.epochsDone} epochs done; set epochs above ${session.epochsDone}`, [
          { field: 'epochs', message: `epochs must be more than the ${session.epochsDone} already trained` },
        ]);
      }
      resumePath = this.sessions.pathOf(request.resumeSessionId);
      resumeName = name;
      priorHistory = session.history;
      priorSelectedEpoch = session.selected?.epoch ?? null;
    }
    const probeSample = request.probeSample ?? 0;
    this.opts.settings.set({ lastConfig: request.config, lastDataset: dataset, backend: request.backend, probeSample });
    const runId = randomBytes(6).toString('hex');
    this.run = new TrainingRun({
      runId,
      request: { ...request, dataset },
      job: { type: 'train', context: jobContext(this.opts), config: request.config, dataset, backend: request.backend, probeSample, resumePath, ...(resumeName && { resumeName }) },
      launch: this.opts.launch,
      emit: (event) => {
        if (event.kind === 'train' && event.event.type === 'start') this.onBackendReport(event.event.backend);
        this.emit(event);
      },
      priorHistory,
      priorSelectedEpoch,
      resumedFrom: request.resumeSessionId ?? null,
      stopTimeoutMs: this.opts.stopTimeoutMs,
    });
    return { runId };
  }

  private activeRun(what: string): TrainingRun {
    if (!this.run?.active) throw new WorkbenchError(`no training run to ${what}`);
    return this.run;
  }

  pauseTraining(): void {
    this.activeRun('pause').pause();
  }

  resumeTraining(): void {
    this.activeRun('resume').resume();
  }

  stopTraining(): void {
    this.activeRun('stop').stop();
  }

  setProbeSample(index: number): void {
    if (this.run) {
      try {
        this.run.setProbeSample(index);
      } catch (err) {
        throw new WorkbenchError((err as Error).message, [{ field: 'probeSample', message: (err as Error).message }]);
      }
    }
    this.opts.settings.set({ probeSample: index });
  }

  trainingStatus(): TrainingStatus {
    if (this.run) return this.run.status();
    return {
      state: 'idle',
      runId: null,
      request: null,
      started: null,
      lastBatch: null,
      history: [],
      confusion: null,
      taus: null,
      probe: null,
      selectedEpoch: null,
      validation: null,
      finished: null,
      canSave: false,
      sessionId: null,
    };
  }

  /** True while a run is active (the Electron window asks before closing then). */
  get active(): boolean {
    return this.run?.active ?? false;
  }

  /** Stops an active run and waits for its process to exit. */
  async stopAndWait(): Promise<void> {
    const run = this.run;
    if (run?.active) {
      run.stop();
      await run.ended;
    }
  }
}
