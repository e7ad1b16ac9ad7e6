/** Starts the training process as an Electron utility process (a Node child that Chromium's process model manages). */
import { utilityProcess } from 'electron';
import type { LaunchTrainingProcess, TrainingProcess } from '../services/workbench/processLauncher';

export function utilityProcessLauncher(entry: string): LaunchTrainingProcess {
  return (): TrainingProcess => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Spiking Workbench training', stdio: 'inherit' });
    let exited = false;
    const exitListeners: ((code: number | null) => void)[] = [];
    child.once('exit', (code) => {
      exited = true;
      for (const listener of exitListeners) listener(code);
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        if (!exited) child.kill();
      },
    };
  };
}
