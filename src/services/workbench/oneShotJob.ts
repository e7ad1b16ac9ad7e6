/**
 * Runs one short job (dataset summary, file inspection, backend probe) in a fresh training process and
 * returns its single answer. Heavy reads stay out of the caller's process (Electron main must stay responsive).
 */
import type { ToTrainingProcess } from '../../shared/ipc/trainingProcess';
import type { LaunchTrainingProcess } from './processLauncher';
import { fromTrainingProcessError, type FromTrainingProcess } from './trainingProtocol';

type Answer = Exclude<FromTrainingProcess['type'], 'event' | 'checkpoint' | 'failed' | 'finished'>;

export function runOneShotJob<T extends Answer>(
  launch: LaunchTrainingProcess,
  job: ToTrainingProcess,
  want: T,
  timeoutMs = 10 * 60_000,
): Promise<Extract<FromTrainingProcess, { type: T }>> {
  return new Promise((resolve, reject) => {
    const proc = launch();
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      settle(() => reject(new Error(`the ${job.type} job did not answer within ${Math.round(timeoutMs / 1000)} s`)));
      proc.kill();
    }, timeoutMs);
    proc.onMessage((raw) => {
      const problem = fromTrainingProcessError(raw);
      if (problem) {
        settle(() => reject(new Error(`training process sent a bad message: ${problem}`)));
        proc.kill();
        return;
      }
      const message = raw as FromTrainingProcess;
      if (message.type === want) settle(() => resolve(message as Extract<FromTrainingProcess, { type: T }>));
      else if (message.type === 'failed') settle(() => reject(new Error(message.message)));
      else if (message.type === 'finished') settle(() => reject(new Error(`the ${job.type} job finished without an answer`)));
    });
    proc.onExit((code) => settle(() => reject(new Error(`the training process exited (code ${code}) before answering the ${job.type} job`))));
    proc.send(job);
  });
}
