/**
 * The one thing that differs between the app and plain Node: how the training process is started.
 * Electron main uses `utilityProcess.fork` (src/main/utilityProcessLauncher.ts); tests and serve mode use
 * Node's `child_process.fork` (nodeForkLauncher.ts). The service sees only this interface.
 */
import type { ToTrainingProcess } from '../../shared/ipc/trainingProcess';

export interface TrainingProcess {
  readonly pid: number | undefined;
  send(message: ToTrainingProcess): void;
  /** Every message the process posts (unvalidated: the service checks each). */
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when the process has exited (code null when killed by a signal). */
  onExit(listener: (code: number | null) => void): void;
  /** Ends the process at once (used only when it does not stop on request). */
  kill(): void;
}

export type LaunchTrainingProcess = () => TrainingProcess;
