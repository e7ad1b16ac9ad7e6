/**
 * The workbench behind the renderer's API, Electron-free: Electron main and serve mode both wrap this one
 * object (main through IPC handlers, serve mode through HTTP). It owns the training run, the sessions
 * folder, downloads and settings; heavy work (reading datasets, training, backend probing) runs in training
 * processes started through the injected launcher.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { configDifferences, type FieldError, type TrainConfig } from '../../shared/config';
import { BACKEND_NAMES, type BackendReport } from '../../shared/events';
import { checkCall } from '../../shared/ipc/checkCall';
import { augmentPreviewRequestErrors } from '../../shared/ipc/datasetPayloads';
import { listenRequestErrors } from '../../shared/ipc/listenPayloads';
import { settingsErrors } from '../../shared/ipc/settingsPayloads';
import { startRequestErrors } from '../../shared/ipc/trainingPayloads';
import {
  WORKBENCH_API_VERSION,
  WorkbenchError,
  type AppInfo,
  type AugmentPreview,
  type AugmentPreviewRequest,
  type BackendOption,
  type BackendPreference,
  type CatalogName,
  type DatasetList,
  type DatasetRef,
  type DatasetStatus,
  type DatasetSummary,
  type EncodedFolder,
  type FileSummary,
  type ListenRequest,
  type ListenResult,
  type LoadedSession,
  type NirCheck,
  type NirExport,
  type SessionEvaluation,
  type SessionSummary,
  type Settings,
  type StartTrainingRequest,
  type TrainingStatus,
  type WorkbenchApi,
  type WorkbenchEvent,
} from '../../shared/workbenchApi';
import { listDatasets } from '../data/datasetStatus';
import { fetchDataset, type FetchOptions } from '../data/downloader';
import { nativePackageMissing, webgpuPackageMissing } from '../engine/tfjs/nativePackages';
import { APP_VERSION } from '../sessions/sessionMeta';
import { SettingsError, pushRecent } from '../settings/settingsSchema';
import type { SettingsStore } from '../settings/settingsStore';
import { runOneShotJob } from './oneShotJob';
import type { LaunchTrainingProcess } from './processLauncher';
import { SessionStore } from './sessionStore';
import { SessionImportError, type SessionSource } from '../sessions/sessionImport';
import { exportSessionNir } from '../nir/nirSession';
import { SweepJobs } from './sweepJobs';
import type { CliCommandLine } from '../sweeps/taskRunner';
import { TrainingRun } from './trainingRun';

export interface WorkbenchServiceOptions {
  mode: AppInfo['mode'];
  /** Where datasets live (already resolved: flag, environment, setting or default); sessions go in `sessions/` inside. */
  dataDir: string;
  settings: SettingsStore;
  launch: LaunchTrainingProcess;
  /** Runtime versions to report beside node's (electron, chrome). */
  versions?: Record<string, string>;
  /** Native open-file dialog (Electron); absent in serve mode. */
  pickFile?: () => Promise<string | null>;
  /** Native open-file dialog for a session file (Electron); absent in serve mode. */
  pickSessionFile?: () => Promise<string | null>;
  /** Session files larger than this are refused (default MAX_SESSION_FILE_BYTES; tests lower it). */
  maxSessionFileBytes?: number;
  /**
   * The headless CLI that runs sweep tasks (node + out/node/cli.js, or Electron as Node + its bundled CLI); without
   * it, sweeps can be opened and collected but not run or written for SLURM.
   */
  sweepCli?: CliCommandLine;
  /** Download tuning and mirrors (tests point it at a local server). */
  fetchOptions?: Omit<FetchOptions, 'dataDir' | 'signal' | 'onProgress'>;
  stopTimeoutMs?: number;
}

function installedBackends(lastReport: BackendReport | null): BackendOption[] {
  return BACKEND_NAMES.map((name) => {
    const missing = name === 'gpu' || name === 'native' ? nativePackageMissing(name) : name === 'webgpu' ? webgpuPackageMissing() : null;
    const installed = missing === null;
    let reason = missing ?? undefined;
    const skipped = lastReport?.skipped.find((s) => s.name === name);
    if (installed && skipped) reason = skipped.reason;
    return reason === undefined ? { name, installed } : { name, installed, reason };
  });
}


/** File paths made absolute: the training process may run in another directory, and cache keys must agree. */
function absoluteRef(ref: DatasetRef): DatasetRef {
  return ref.kind === 'files' ? { ...ref, trainPath: resolve(ref.trainPath), testPath: resolve(ref.testPath) } : ref;
}

function fail(errors: FieldError[], what: string): never {
  throw new WorkbenchError(`${what}: ${errors.map((e) => e.message).join('; ')}`, errors);
}

export class WorkbenchService {
  readonly sessions: SessionStore;
  private readonly sweeps: SweepJobs;
  private run: TrainingRun | null = null;
  /** A start is between its checks and its run (reading the session to resume): a second start must wait its turn. */
  private starting = false;
  private readonly listeners = new Set<(event: WorkbenchEvent) => void>();
  private readonly downloads = new Map<CatalogName, AbortController>();
  private readonly summaries = new Map<string, DatasetSummary>();
  private lastBackend: BackendReport | null = null;
  private tfjsVersion: string | null = null;

  constructor(private readonly opts: WorkbenchServiceOptions) {
    this.sessions = new SessionStore(join(opts.dataDir, 'sessions'));
    this.sweeps = new SweepJobs(opts.sweepCli, this.sessions, (e) => this.emit(e));
    for (const problem of opts.settings.loadProblems) {
      queueMicrotask(() => this.emit({ kind: 'error', source: 'settings', message: problem.message }));
    }
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  onEvent(listener: (event: WorkbenchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: WorkbenchEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One broken subscriber (a closed window, a dropped stream) must not starve the others.
      }
    }
  }

  /* ---------------------------------------------------------------- info */

  info(): AppInfo {
    const versions: Record<string, string> = { node: process.versions.node, ...(this.opts.versions ?? {}) };
    if (this.tfjsVersion) versions.tfjs = this.tfjsVersion;
    return {
      apiVersion: WORKBENCH_API_VERSION,
      appVersion: APP_VERSION,
      mode: this.opts.mode,
      versions,
      platform: `${process.platform}-${process.arch}`,
      dataDir: this.opts.dataDir,
      backends: {
        options: installedBackends(this.lastBackend),
        preference: this.opts.settings.get().backend,
        lastReport: this.lastBackend,
      },
      nativeFileDialog: this.opts.pickFile !== undefined,
    };
  }

  async probeBackend(preference: BackendPreference): Promise<BackendReport> {
    const answer = await runOneShotJob(this.opts.launch, { type: 'probeBackend', preference }, 'backend');
    this.lastBackend = answer.report;
    this.tfjsVersion = answer.tfjsVersion;
    return answer.report;
  }

  /* ------------------------------------------------------------ datasets */

  async listDatasets(): Promise<DatasetList> {
    const datasets = (await listDatasets(this.opts.dataDir)).map((d) =>
      d.name !== 'demo' && this.downloads.has(d.name) ? { ...d, downloading: true } : d,
    );
    return { dataDir: this.opts.dataDir, datasets, recentFiles: this.opts.settings.get().recentFiles };
  }

  async fetchDataset(name: CatalogName): Promise<DatasetStatus> {
    if (this.downloads.has(name)) throw new WorkbenchError(`${name} is already downloading`);
    const abort = new AbortController();
    this.downloads.set(name, abort);
    try {
      await fetchDataset(name, {
        ...this.opts.fetchOptions,
        dataDir: this.opts.dataDir,
        signal: abort.signal,
        onProgress: (progress) => this.emit({ kind: 'download', progress }),
      });
    } catch (err) {
      const cancelled = abort.signal.aborted;
      const message = cancelled ? `download of ${name} cancelled` : (err as Error).message;
      this.emit({
        kind: 'download',
        progress: { dataset: name, file: '', phase: cancelled ? 'cancelled' : 'error', bytes: 0, totalBytes: null, bytesPerS: 0, etaS: null, message },
      });
      throw new WorkbenchError(message);
    } finally {
      this.downloads.delete(name);
    }
    this.forgetSummaries();
    const status = (await this.listDatasets()).datasets.find((d) => d.name === name);
    if (!status) throw new WorkbenchError(`${name} is not in the catalog`);
    return status;
  }

  cancelFetch(name: CatalogName): void {
    const abort = this.downloads.get(name);
    if (!abort) throw new WorkbenchError(`${name} is not downloading`);
    abort.abort();
  }

  async pickFile(): Promise<string | null> {
    return this.opts.pickFile ? this.opts.pickFile() : null;
  }

  async openFile(path: string): Promise<FileSummary> {
    const absolute = resolve(path);
    // Answered here, without starting a process, as the commonest mistake (a mistyped path in serve mode).
    if (!existsSync(absolute)) throw new WorkbenchError(`${absolute}: no such file`);
    const answer = await runOneShotJob(this.opts.launch, { type: 'inspectFile', path: absolute }, 'fileSummary').catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    this.opts.settings.set({ recentFiles: pushRecent(this.opts.settings.get().recentFiles, absolute) });
    return answer.summary;
  }

  /** Summaries are cached per dataset (and, for files, per modification time): reading SHD takes seconds. */
  async datasetSummary(ref: DatasetRef): Promise<DatasetSummary> {
    const normalized = absoluteRef(ref);
    let key = JSON.stringify(normalized);
    if (normalized.kind === 'files') {
      const times = await Promise.all([normalized.trainPath, normalized.testPath].map((p) => stat(p).then((s) => s.mtimeMs, () => 0)));
      key += times.join(',');
    }
    const cached = this.summaries.get(key);
    if (cached) return cached;
    const answer = await runOneShotJob(this.opts.launch, { type: 'summary', context: this.context(), dataset: normalized }, 'summary').catch(
      (err: Error) => {
        throw new WorkbenchError(err.message);
      },
    );
    this.summaries.set(key, answer.summary);
    return answer.summary;
  }

  /**
   * One training sample beside the augmented copy a run trains on (augmentPreview.ts), computed in a training
   * process like a summary, since it reads the whole training file.
   */
  async augmentPreview(request: AugmentPreviewRequest): Promise<AugmentPreview> {
    const errors = augmentPreviewRequestErrors(request);
    if (errors.length) fail(errors, 'invalid augmentation preview request');
    const job = { type: 'augmentPreview' as const, context: this.context(), request: { ...request, dataset: absoluteRef(request.dataset) } };
    const answer = await runOneShotJob(this.opts.launch, job, 'augmentPreview').catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    return answer.preview;
  }

  private forgetSummaries(): void {
    this.summaries.clear();
  }

  private context() {
    return { dataDir: this.opts.dataDir, appVersion: APP_VERSION };
  }

  /* ------------------------------------------------------------ training */

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
      job: { type: 'train', context: this.context(), config: request.config, dataset, backend: request.backend, probeSample, resumePath, ...(resumeName && { resumeName }) },
      launch: this.opts.launch,
      emit: (event) => {
        if (event.kind === 'train' && event.event.type === 'start') this.lastBackend = event.event.backend;
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
  get training(): boolean {
    return this.run?.active ?? false;
  }

  /**
   * Stops a run cleanly and waits for its process to exit (quitting the app, closing the server). With
   * `saveUnsaved`, a run with completed epochs that was not saved yet is saved as a session, so closing the
   * window mid-run loses nothing; returns that session.
   */
  async shutdown(options: { saveUnsaved?: boolean } = {}): Promise<SessionSummary | null> {
    for (const abort of this.downloads.values()) abort.abort();
    await this.sweeps.shutdown();
    const run = this.run;
    if (run?.active) {
      run.stop();
      await run.ended;
    }
    if (options.saveUnsaved && run?.canSave && !run.saved) return this.saveSession(`${run.request.dataset.kind === 'demo' ? 'demo' : 'run'} (stopped on close)`);
    return null;
  }

  /* ------------------------------------------------------------ sessions */

  /** The save in flight per run: a second Save pressed (or sent) while the first is writing gets the same session. */
  private saving = new WeakMap<object, Promise<SessionSummary>>();

  async saveSession(name?: string): Promise<SessionSummary> {
    const run = this.run;
    if (!run) throw new WorkbenchError('nothing to save: no run has been trained yet');
    const inFlight = this.saving.get(run);
    if (inFlight) return inFlight;
    if (run.active) throw new WorkbenchError('training is still running: stop it or let it finish, then save');
    if (!run.canSave || !run.checkpoint) throw new WorkbenchError('nothing to save: the last run did not complete an epoch');
    const pending = this.writeSession(run, name);
    this.saving.set(run, pending);
    try {
      return await pending;
    } finally {
      this.saving.delete(run);
    }
  }

  private async writeSession(run: NonNullable<WorkbenchService['run']>, name: string | undefined): Promise<SessionSummary> {
    const summary = await this.sessions.save(run.checkpoint!, {
      name,
      datasetRef: run.request.dataset,
      probe: run.probe,
      confusion: run.confusion,
    });
    run.sessionId = summary.id;
    run.saved = true;
    this.rememberSession(summary.id);
    await this.emitSessions();
    return summary;
  }

  async listSessions(): Promise<SessionSummary[]> {
    return this.sessions.list();
  }

  async loadSession(id: string): Promise<LoadedSession> {
    const loaded = await this.sessions.load(id).catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    this.rememberSession(id);
    return loaded;
  }

  async deleteSession(id: string): Promise<void> {
    await this.sessions.delete(id).catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    const settings = this.opts.settings.get();
    this.opts.settings.set({ recentSessions: settings.recentSessions.filter((s) => s !== id) });
    await this.emitSessions();
  }

  async pickSessionFile(): Promise<string | null> {
    return this.opts.pickSessionFile ? this.opts.pickSessionFile() : null;
  }

  /** A session file from a path on this machine into the list (the desktop app's Open… and drops). */
  async openSessionFile(path: string): Promise<SessionSummary> {
    const problems = checkCall('sessions.openFile', [path]);
    if (!problems.ok) throw new WorkbenchError(problems.error, problems.fieldErrors);
    return this.importSession({ kind: 'path', path });
  }

  /** An uploaded session file (serve mode's HTTP upload: the body streamed in) into the list. */
  async importSessionUpload(fileName: string, body: AsyncIterable<Uint8Array>): Promise<SessionSummary> {
    return this.importSession({ kind: 'upload', fileName, body });
  }

  private async importSession(source: SessionSource): Promise<SessionSummary> {
    const summary = await this.sessions.importFile(source, this.opts.maxSessionFileBytes).catch((err: unknown) => {
      if (err instanceof SessionImportError) throw new WorkbenchError(err.message);
      throw new WorkbenchError(`cannot open ${source.kind === 'path' ? source.path : source.fileName}: ${err instanceof Error ? err.message : String(err)}`);
    });
    this.rememberSession(summary.id);
    await this.emitSessions();
    return summary;
  }

  /** A recording through the cochlea front end and (with a session) its network, in a training process. */
  async listen(request: ListenRequest): Promise<ListenResult> {
    const problems = listenRequestErrors(request);
    if (problems.length) fail(problems, 'invalid listen request');
    const wav = new Uint8Array(Buffer.from(request.wav, 'base64'));
    let sessionPath: string | null = null;
    let sessionName = '';
    if (request.sessionId !== null) {
      sessionPath = this.sessions.pathOf(request.sessionId);
      if (!existsSync(sessionPath)) throw new WorkbenchError(`no session ${request.sessionId}`);
      sessionName = (await this.sessions.list()).find((s) => s.id === request.sessionId)?.name ?? request.sessionId;
    }
    const job = { type: 'listen' as const, wav, sessionPath, sessionName: sessionName || 'none', windowS: request.windowS ?? null };
    const answer = await runOneShotJob(this.opts.launch, job, 'listen').catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    return answer.result;
  }

  /** DIR/train and DIR/test encoded into <dataDir>/encoded/<folder name>-train.h5 and -test.h5, in a training process. */
  async encodeFolder(dir: string): Promise<EncodedFolder> {
    const problems = checkCall('listen.encodeFolder', [dir]);
    if (!problems.ok) throw new WorkbenchError(problems.error, problems.fieldErrors);
    const folder = join(this.opts.dataDir, 'encoded');
    await mkdir(folder, { recursive: true });
    const name = basename(resolve(dir)).replace(/[^A-Za-z0-9_.-]/g, '_') || 'recordings';
    const answer = await runOneShotJob(this.opts.launch, { type: 'encodeFolder', dir: resolve(dir), outPrefix: join(folder, name) }, 'encodedFolder').catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    return answer.encoded;
  }

  /** The session's network as a NIR graph in <dataDir>/exports/<id>.nir. */
  async exportNir(id: string): Promise<NirExport> {
    return (await this.exportNamedNir(id)).written;
  }

  /** The export, and the session's name for the messages of whoever called (the list's name, not the id). */
  private async exportNamedNir(id: string): Promise<{ name: string; written: NirExport }> {
    const { session, name } = await this.sessions.readNamed(id).catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    const folder = join(this.opts.dataDir, 'exports');
    await mkdir(folder, { recursive: true });
    const path = join(folder, `${id}.nir`);
    try {
      return { name, written: { path, dataPath: `exports/${id}.nir`, ...(await exportSessionNir(session, path)) } };
    } catch (err) {
      throw new WorkbenchError(`cannot export session "${name}" to NIR: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Exports (as above), then runs the file next to the engine on the dataset's test split, in a training process. */
  async checkNir(id: string, dataset: DatasetRef): Promise<NirCheck> {
    const problems = checkCall('sessions.checkNir', [id, dataset]);
    if (!problems.ok) throw new WorkbenchError(problems.error, problems.fieldErrors);
    const { name, written } = await this.exportNamedNir(id);
    const job = { type: 'nirCheck' as const, context: this.context(), sessionPath: this.sessions.pathOf(id), sessionName: name, nirPath: written.path, dataset: absoluteRef(dataset) };
    // Every test sample, twice (SSC's 20 382 take minutes): a longer wait than the other one-shot jobs.
    const answer = await runOneShotJob(this.opts.launch, job, 'nirCheck', 30 * 60_000).catch((err: Error) => {
      throw new WorkbenchError(`cannot check the NIR export of session "${name}": ${err.message}`);
    });
    return answer.check;
  }

  /** The session's selected-epoch weights over the dataset's test split, in a training process (evaluateJob.ts). */
  async evaluateSession(id: string, dataset: DatasetRef): Promise<SessionEvaluation> {
    const problems = checkCall('sessions.evaluate', [id, dataset]);
    if (!problems.ok) throw new WorkbenchError(problems.error, problems.fieldErrors);
    const { name } = await this.sessions.readNamed(id).catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    const job = {
      type: 'evaluateSession' as const,
      context: this.context(),
      sessionPath: this.sessions.pathOf(id),
      sessionName: name,
      dataset: absoluteRef(dataset),
      backend: this.opts.settings.get().backend,
    };
    // Every test sample (SSC's 20 382 take minutes on the CPU): as long a wait as the NIR check's.
    const answer = await runOneShotJob(this.opts.launch, job, 'evaluation', 30 * 60_000).catch((err: Error) => {
      throw new WorkbenchError(`cannot evaluate session "${name}": ${err.message}`);
    });
    return answer.evaluation;
  }

  private rememberSession(id: string): void {
    this.opts.settings.set({ recentSessions: pushRecent(this.opts.settings.get().recentSessions, id) });
  }

  private async emitSessions(): Promise<void> {
    this.emit({ kind: 'sessions', sessions: await this.sessions.list() });
  }

  /* ------------------------------------------------------------ settings */

  /** The stored settings; a dataset never chosen is SHD once it is downloaded and verified, else the demo set. */
  async getSettings(): Promise<Settings> {
    const settings = this.opts.settings.get();
    if (settings.lastDataset === null) {
      const shd = (await listDatasets(this.opts.dataDir)).find((d) => d.name === 'shd');
      settings.lastDataset = shd?.available ? { kind: 'catalog', name: 'shd' } : { kind: 'demo' };
    }
    return settings;
  }

  setSettings(patch: Partial<Settings>): Settings {
    const errors = settingsErrors(patch, true);
    if (errors.length) fail(errors, 'invalid settings');
    try {
      return this.opts.settings.set(patch);
    } catch (err) {
      if (err instanceof SettingsError) fail(err.fieldErrors, 'invalid settings');
      throw err;
    }
  }

  /** The service as the renderer's API (minus the transport): what dispatch.ts and tests call. */
  get api(): WorkbenchApi {
    return {
      info: async () => this.info(),
      probeBackend: (p) => this.probeBackend(p),
      datasets: {
        list: () => this.listDatasets(),
        fetch: (n) => this.fetchDataset(n),
        cancelFetch: async (n) => this.cancelFetch(n),
        pickFile: () => this.pickFile(),
        openFile: (p) => this.openFile(p),
        summary: (r) => this.datasetSummary(r),
        augmentPreview: (r) => this.augmentPreview(r),
      },
      training: {
        start: (r) => this.startTraining(r),
        pause: async () => this.pauseTraining(),
        resume: async () => this.resumeTraining(),
        stop: async () => this.stopTraining(),
        setProbeSample: async (i) => this.setProbeSample(i),
        status: async () => this.trainingStatus(),
      },
      sessions: {
        save: (n) => this.saveSession(n),
        list: () => this.listSessions(),
        load: (id) => this.loadSession(id),
        delete: (id) => this.deleteSession(id),
        pickFile: () => this.pickSessionFile(),
        openFile: (p) => this.openSessionFile(p),
        exportNir: (id) => this.exportNir(id),
        checkNir: (id, dataset) => this.checkNir(id, dataset),
        evaluate: (id, dataset) => this.evaluateSession(id, dataset),
      },
      listen: {
        analyze: (r) => this.listen(r),
        encodeFolder: (dir) => this.encodeFolder(dir),
      },
      sweeps: {
        expand: async (spec) => this.sweeps.expand(spec),
        run: async (r) => this.sweeps.run(r),
        stop: () => this.sweeps.stop(),
        writeSlurm: async (r) => this.sweeps.writeSlurm(r),
        collect: async (dir) => this.sweeps.collect(dir),
        reportCard: async (dir) => this.sweeps.reportCard(dir),
        importRun: async (dir, id) => {
          const summary = await this.sweeps.importRun(dir, id);
          await this.emitSessions();
          return summary;
        },
      },
      settings: {
        get: () => this.getSettings(),
        set: async (p) => this.setSettings(p),
      },
      onEvent: (cb) => this.onEvent(cb),
    };
  }
}
