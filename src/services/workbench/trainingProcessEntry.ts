/**
 * The training process. Started by the workbench service — under Electron's utilityProcess in the app
 * (messages through `process.parentPort`), under Node's fork in tests and serve mode (`process.send`).
 * It takes one job, runs it, posts 'finished' and exits. Every message it receives is validated first;
 * a bad one is answered with a 'failed' message and otherwise ignored.
 */
import { toTrainingProcessErrors, type ToTrainingProcess } from '../../shared/ipc/trainingProcess';
import { RunControl, runJob, type JobPort } from './trainingJobs';
import type { FromTrainingProcess } from './trainingProtocol';

interface ParentLink extends JobPort {
  onMessage(listener: (message: unknown) => void): void;
  /** Lets the process end once what was posted has been handed over. */
  close(): void;
}

/** Electron's utility process exposes `process.parentPort`; it is absent under Node. */
type ElectronParentPort = {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
};

function parentLink(): ParentLink {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      post: async (m) => electronPort.postMessage(m),
      onMessage: (listener) => electronPort.on('message', (e) => listener(e.data)),
      // postMessage queues; a short grace lets the queue drain before the process ends.
      close: () => setTimeout(() => process.exit(0), 200),
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new Error('the training process must be started by the workbench (no IPC channel to its parent)');
  return {
    post: (m) => new Promise<void>((resolve) => send(m, undefined, {}, () => resolve())),
    onMessage: (listener) => process.on('message', listener),
    close: () => {
      process.disconnect();
      // tfjs backends may hold handles; do not let them keep a finished process alive.
      setTimeout(() => process.exit(0), 200).unref();
    },
  };
}

function main(): void {
  const link = parentLink();
  let control: RunControl | null = null;
  let started = false;
  link.onMessage((raw) => {
    const problems = toTrainingProcessErrors(raw);
    if (problems.length) {
      void link.post({ type: 'failed', message: `training process refused a message: ${problems.map((p) => p.message).join('; ')}` });
      return;
    }
    const message = raw as ToTrainingProcess;
    if (message.type === 'pause' || message.type === 'resume' || message.type === 'stop' || message.type === 'probeSample') {
      // A stop before any job (or after it) has nothing to stop; the process simply ends.
      if (control) control.handle(message);
      else if (message.type === 'stop' && !started) link.close();
      return;
    }
    if (started) {
      void link.post({ type: 'failed', message: `training process already runs a job; "${message.type}" ignored` });
      return;
    }
    started = true;
    if (message.type === 'train') {
      control = new RunControl(message.probeSample, (event) => link.post({ type: 'event', event } satisfies FromTrainingProcess));
    }
    void runJob(message, link, control ?? undefined).finally(() => link.close());
  });
}

main();
