/**
 * Starts the training process with Node's `child_process.fork`, for tests and serve mode. From TypeScript
 * sources (tsx, vitest) the entry is a .ts file, so the child is started with `--import tsx`.
 * `serialization: 'advanced'` makes messages structured clones, as with Electron's utilityProcess, so
 * checkpoints keep their typed arrays.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LaunchTrainingProcess, TrainingProcess } from './processLauncher';

/** The entry next to this file: .ts when running from sources, .js when bundled. */
export function defaultTrainingEntry(): string {
  for (const ext of ['.ts', '.js']) {
    const path = fileURLToPath(new URL(`./trainingProcessEntry${ext}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`training process entry not found next to ${fileURLToPath(import.meta.url)}`);
}

export function nodeForkLauncher(entry: string = defaultTrainingEntry()): LaunchTrainingProcess {
  return (): TrainingProcess => {
    const child = fork(entry, [], {
      serialization: 'advanced',
      execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let exited = false;
    const exitListeners: ((code: number | null) => void)[] = [];
    const onExit = (code: number | null) => {
      if (exited) return;
      exited = true;
      for (const listener of exitListeners) listener(code);
    };
    child.on('exit', (code) => onExit(code));
    // A failed spawn emits 'error' and maybe never 'exit'.
    child.on('error', () => onExit(null));
    return {
      pid: child.pid,
      send: (message) => {
        if (child.connected) child.send(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => {
        if (!exited) child.kill('SIGKILL');
      },
    };
  };
}
