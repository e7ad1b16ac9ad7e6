/** What the workbench service is built from, and the helpers every concern's calls share. */
import { resolve } from 'node:path';
import type { FieldError } from '../../shared/config';
import type { JobContext } from '../../shared/ipc/trainingProcess';
import { WorkbenchError, type AppInfo, type DatasetRef, type WorkbenchEvent } from '../../shared/workbenchApi';
import type { FetchOptions } from '../data/downloader';
import { APP_VERSION } from '../sessions/sessionMeta';
import type { SettingsStore } from '../settings/settingsStore';
import type { CliCommandLine } from '../sweeps/taskRunner';
import type { LaunchTrainingProcess } from './processLauncher';

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

/** How a concern's calls tell the renderer something happened. */
export type Emit = (event: WorkbenchEvent) => void;

/** File paths made absolute: the training process may run in another directory, and cache keys must agree. */
export function absoluteRef(ref: DatasetRef): DatasetRef {
  return ref.kind === 'files' ? { ...ref, trainPath: resolve(ref.trainPath), testPath: resolve(ref.testPath) } : ref;
}

/** Refuses a request with every problem found in it, in one line. */
export function fail(errors: FieldError[], what: string): never {
  throw new WorkbenchError(`${what}: ${errors.map((e) => e.message).join('; ')}`, errors);
}

/** What a training-process job needs to find data and stamp sessions. */
export function jobContext(opts: WorkbenchServiceOptions): JobContext {
  return { dataDir: opts.dataDir, appVersion: APP_VERSION };
}
