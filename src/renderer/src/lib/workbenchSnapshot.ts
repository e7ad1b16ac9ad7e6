/**
 * Joining the workbench: the window subscribes to its events first and asks for its snapshot (app info, settings,
 * training status, saved sessions) second, so nothing that happens between the two is lost. Events that arrive
 * before the snapshot is in are held and handled after it (the run reducer tolerates repeats).
 */
import type { AppInfo, SessionSummary, Settings, TrainingStatus, WorkbenchApi, WorkbenchEvent } from '../../../shared/workbenchApi';

export interface WorkbenchSnapshot {
  info: AppInfo;
  settings: Settings;
  status: TrainingStatus;
  sessions: SessionSummary[];
}

export interface SnapshotHandlers {
  snapshot(s: WorkbenchSnapshot): void;
  event(e: WorkbenchEvent): void;
  /** The snapshot could not be taken (or `snapshot` threw); the held events are handled all the same. */
  error(e: unknown): void;
  /** After the snapshot (or its failure) and the held events. */
  done(): void;
}

type SnapshotApi = Pick<WorkbenchApi, 'onEvent' | 'info'> & {
  settings: Pick<WorkbenchApi['settings'], 'get'>;
  training: Pick<WorkbenchApi['training'], 'status'>;
  sessions: Pick<WorkbenchApi['sessions'], 'list'>;
};

/** Subscribes, then takes the snapshot; returns the unsubscribe. */
export function joinWorkbench(api: SnapshotApi, on: SnapshotHandlers): () => void {
  let snapshotTaken = false;
  const early: WorkbenchEvent[] = [];
  const unsubscribe = api.onEvent((e) => (snapshotTaken ? on.event(e) : early.push(e)));
  void (async () => {
    try {
      const [info, settings, status, sessions] = await Promise.all([api.info(), api.settings.get(), api.training.status(), api.sessions.list()]);
      on.snapshot({ info, settings, status, sessions });
    } catch (e) {
      on.error(e);
    } finally {
      snapshotTaken = true;
      for (const e of early) on.event(e);
      on.done();
    }
  })();
  return unsubscribe;
}
