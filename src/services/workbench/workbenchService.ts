/**
 * The workbench behind the renderer's API, Electron-free: Electron main and serve mode both wrap this one
 * object (main through IPC handlers, serve mode through HTTP). It composes one set of calls per concern —
 * backends, datasets, training, sessions, listen, playground, sweeps, settings — over one event hub and one sessions
 * folder; heavy work (reading datasets, training, backend probing) runs in training processes started through
 * the injected launcher.
 */
import { join } from 'node:path';
import type { AppInfo, CatalogName, DatasetStatus, SessionSummary, Settings, WorkbenchApi, WorkbenchEvent } from '../../shared/workbenchApi';
import { BackendCalls } from './backendCalls';
import { DatasetCalls } from './datasetCalls';
import { EventHub } from './eventHub';
import { ListenCalls } from './listenCalls';
import { PlaygroundCalls } from './playgroundCalls';
import { SessionCalls } from './sessionCalls';
import { SessionStore } from './sessionStore';
import { SettingsCalls } from './settingsCalls';
import { SweepJobs } from './sweepJobs';
import { TrainingCalls } from './trainingCalls';
import type { WorkbenchServiceOptions } from './workbenchOptions';

export class WorkbenchService {
  readonly sessions: SessionStore;
  private readonly events = new EventHub();
  private readonly backendCalls: BackendCalls;
  private readonly datasetCalls: DatasetCalls;
  private readonly trainingCalls: TrainingCalls;
  private readonly sessionCalls: SessionCalls;
  private readonly listenCalls: ListenCalls;
  private readonly playgroundCalls = new PlaygroundCalls();
  private readonly sweeps: SweepJobs;
  private readonly settingsCalls: SettingsCalls;

  constructor(private readonly opts: WorkbenchServiceOptions) {
    const emit = (e: WorkbenchEvent) => this.events.emit(e);
    this.sessions = new SessionStore(join(opts.dataDir, 'sessions'));
    this.backendCalls = new BackendCalls(opts);
    this.datasetCalls = new DatasetCalls(opts, emit);
    this.trainingCalls = new TrainingCalls(opts, this.sessions, emit, (report) => (this.backendCalls.lastReport = report));
    this.sessionCalls = new SessionCalls(opts, this.sessions, emit, () => this.trainingCalls.run);
    this.listenCalls = new ListenCalls(opts, this.sessions);
    this.sweeps = new SweepJobs(opts.sweepCli, this.sessions, emit);
    this.settingsCalls = new SettingsCalls(opts);
    for (const problem of opts.settings.loadProblems) {
      queueMicrotask(() => emit({ kind: 'error', source: 'settings', message: problem.message }));
    }
  }

  get dataDir(): string {
    return this.opts.dataDir;
  }

  onEvent(listener: (event: WorkbenchEvent) => void): () => void {
    return this.events.onEvent(listener);
  }

  info(): AppInfo {
    return this.backendCalls.info();
  }

  fetchDataset(name: CatalogName): Promise<DatasetStatus> {
    return this.datasetCalls.fetchDataset(name);
  }

  /** True while a run is active (the Electron window asks before closing then). */
  get training(): boolean {
    return this.trainingCalls.active;
  }

  /** An uploaded session file (serve mode's HTTP upload: the body streamed in) into the list. */
  importSessionUpload(fileName: string, body: AsyncIterable<Uint8Array>): Promise<SessionSummary> {
    return this.sessionCalls.importSessionUpload(fileName, body);
  }

  getSettings(): Promise<Settings> {
    return this.settingsCalls.getSettings();
  }

  setSettings(patch: Partial<Settings>): Settings {
    return this.settingsCalls.setSettings(patch);
  }

  /**
   * Stops a run cleanly and waits for its process to exit (quitting the app, closing the server). With
   * `saveUnsaved`, a run with completed epochs that was not saved yet is saved as a session, so closing the
   * window mid-run loses nothing; returns that session.
   */
  async shutdown(options: { saveUnsaved?: boolean } = {}): Promise<SessionSummary | null> {
    this.datasetCalls.cancelAll();
    await this.sweeps.shutdown();
    const run = this.trainingCalls.run;
    await this.trainingCalls.stopAndWait();
    if (options.saveUnsaved && run?.canSave && !run.saved) return this.sessionCalls.saveSession(`${run.request.dataset.kind === 'demo' ? 'demo' : 'run'} (stopped on close)`);
    return null;
  }

  /** The service as the renderer's API (minus the transport): what dispatch.ts and tests call. */
  get api(): WorkbenchApi {
    const { backendCalls: backends, datasetCalls: datasets, trainingCalls: training, sessionCalls: sessions, listenCalls: listen, playgroundCalls: playground, sweeps, settingsCalls: settings } = this;
    return {
      info: async () => backends.info(),
      probeBackend: (p) => backends.probeBackend(p),
      datasets: {
        list: () => datasets.listDatasets(),
        fetch: (n) => datasets.fetchDataset(n),
        cancelFetch: async (n) => datasets.cancelFetch(n),
        pickFile: () => datasets.pickFile(),
        openFile: (p) => datasets.openFile(p),
        summary: (r) => datasets.datasetSummary(r),
        augmentPreview: (r) => datasets.augmentPreview(r),
      },
      training: {
        start: (r) => training.startTraining(r),
        pause: async () => training.pauseTraining(),
        resume: async () => training.resumeTraining(),
        stop: async () => training.stopTraining(),
        setProbeSample: async (i) => training.setProbeSample(i),
        status: async () => training.trainingStatus(),
      },
      sessions: {
        save: (n) => sessions.saveSession(n),
        list: () => sessions.listSessions(),
        load: (id) => sessions.loadSession(id),
        delete: (id) => sessions.deleteSession(id),
        pickFile: () => sessions.pickSessionFile(),
        openFile: (p) => sessions.openSessionFile(p),
        exportNir: (id) => sessions.exportNir(id),
        checkNir: (id, dataset) => sessions.checkNir(id, dataset),
        evaluate: (id, dataset) => sessions.evaluateSession(id, dataset),
      },
      listen: {
        analyze: (r) => listen.listen(r),
        encodeFolder: (dir) => listen.encodeFolder(dir),
      },
      playground: {
        kinds: async (custom) => playground.kinds(custom),
        run: async (r) => playground.run(r),
      },
      sweeps: {
        expand: async (spec) => sweeps.expand(spec),
        run: async (r) => sweeps.run(r),
        stop: () => sweeps.stop(),
        writeSlurm: async (r) => sweeps.writeSlurm(r),
        collect: async (dir) => sweeps.collect(dir),
        reportCard: async (dir) => sweeps.reportCard(dir),
        importRun: async (dir, id) => {
          const summary = await sweeps.importRun(dir, id);
          await sessions.emitSessions();
          return summary;
        },
      },
      settings: {
        get: () => settings.getSettings(),
        set: async (p) => settings.setSettings(p),
      },
      onEvent: (cb) => this.onEvent(cb),
    };
  }
}
