/**
 * The `sessions.*` calls: saving the last run, the sessions list (load, delete, open or upload a file), and the
 * work on one session that runs in a training process (NIR export and its check, evaluation on a test split).
 * Every change to the list is announced as a `sessions` event and remembered in the recent-sessions setting.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { checkCall } from '../../shared/ipc/checkCall';
import { WorkbenchError, type DatasetRef, type LoadedSession, type NirCheck, type NirExport, type SessionEvaluation, type SessionSummary } from '../../shared/workbenchApi';
import { exportSessionNir } from '../nir/nirSession';
import { SessionImportError, type SessionSource } from '../sessions/sessionImport';
import { pushRecent } from '../settings/settingsSchema';
import { runOneShotJob } from './oneShotJob';
import type { SessionStore } from './sessionStore';
import type { TrainingRun } from './trainingRun';
import { absoluteRef, jobContext, type Emit, type WorkbenchServiceOptions } from './workbenchOptions';

export class SessionCalls {
  /** The save in flight per run: a second Save pressed (or sent) while the first is writing gets the same session. */
  private saving = new WeakMap<object, Promise<SessionSummary>>();

  constructor(
    private readonly opts: WorkbenchServiceOptions,
    readonly sessions: SessionStore,
    private readonly emit: Emit,
    /** The current or last training run, the one Save writes. */
    private readonly currentRun: () => TrainingRun | null,
  ) {}

  async saveSession(name?: string): Promise<SessionSummary> {
    const run = this.currentRun();
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

  private async writeSession(run: TrainingRun, name: string | undefined): Promise<SessionSummary> {
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
    const job = { type: 'nirCheck' as const, context: jobContext(this.opts), sessionPath: this.sessions.pathOf(id), sessionName: name, nirPath: written.path, dataset: absoluteRef(dataset) };
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
      context: jobContext(this.opts),
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

  /** Tells every subscriber the list as it is now (after a save, delete, import, or a sweep run's import). */
  async emitSessions(): Promise<void> {
    this.emit({ kind: 'sessions', sessions: await this.sessions.list() });
  }
}
