/**
 * Builds a {@link WorkbenchApi} from two transport functions, so the preload (Electron IPC) and the serve
 * bridge (HTTP) expose exactly the same object: every method maps to one call by dotted name, and an error
 * reply becomes a rejected {@link WorkbenchError}. Plain TypeScript: no Node, no DOM, no Electron.
 */
import type { CallReply } from './ipc/callReply';
import type { MethodName } from './ipc/channels';
import { WorkbenchError, type WorkbenchApi, type WorkbenchEvent, type Unsubscribe } from './workbenchApi';

export type CallTransport = (method: MethodName, args: unknown[]) => Promise<CallReply>;
export type EventTransport = (callback: (event: WorkbenchEvent) => void) => Unsubscribe;

export function makeWorkbenchApi(call: CallTransport, subscribe: EventTransport): WorkbenchApi {
  // The casts narrow `unknown` replies to each method's declared result: the service side is typed against
  // the same interface (see services/workbench/dispatch.ts), so the shapes agree by construction.
  const c =
    <T>(method: MethodName) =>
    async (...args: unknown[]): Promise<T> => {
      const reply = await call(method, args);
      if (!reply.ok) throw new WorkbenchError(reply.error, reply.fieldErrors);
      return reply.value as T;
    };
  return {
    info: c('info'),
    probeBackend: c('probeBackend'),
    datasets: {
      list: c('datasets.list'),
      fetch: c('datasets.fetch'),
      cancelFetch: c('datasets.cancelFetch'),
      pickFile: c('datasets.pickFile'),
      openFile: c('datasets.openFile'),
      summary: c('datasets.summary'),
      augmentPreview: c('datasets.augmentPreview'),
    },
    training: {
      start: c('training.start'),
      pause: c('training.pause'),
      resume: c('training.resume'),
      stop: c('training.stop'),
      setProbeSample: c('training.setProbeSample'),
      status: c('training.status'),
    },
    sessions: {
      save: c('sessions.save'),
      list: c('sessions.list'),
      load: c('sessions.load'),
      delete: c('sessions.delete'),
      pickFile: c('sessions.pickFile'),
      openFile: c('sessions.openFile'),
      exportNir: c('sessions.exportNir'),
      checkNir: c('sessions.checkNir'),
      evaluate: c('sessions.evaluate'),
    },
    listen: {
      analyze: c('listen.analyze'),
      encodeFolder: c('listen.encodeFolder'),
    },
    playground: {
      kinds: c('playground.kinds'),
      run: c('playground.run'),
    },
    sweeps: {
      expand: c('sweeps.expand'),
      run: c('sweeps.run'),
      stop: c('sweeps.stop'),
      writeSlurm: c('sweeps.writeSlurm'),
      collect: c('sweeps.collect'),
      importRun: c('sweeps.importRun'),
      reportCard: c('sweeps.reportCard'),
    },
    settings: {
      get: c('settings.get'),
      set: c('settings.set'),
    },
    onEvent: (callback) => subscribe(callback),
  };
}
