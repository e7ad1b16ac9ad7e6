/**
 * The call table of the contract: every method of WorkbenchApi that is a call, and the Electron IPC channel
 * names they travel on. Serve mode uses the same method names in its URLs (`http.ts`).
 */

/** The renderer → main channel of call `m` is `workbench:call:m`; main → renderer events use EVENT_CHANNEL. */
export const CALL_CHANNEL_PREFIX = 'workbench:call:';
export const EVENT_CHANNEL = 'workbench:event';

/** Every method of WorkbenchApi that is a call (everything but onEvent), by dotted name. */
export const METHODS = [
  'info',
  'probeBackend',
  'datasets.list',
  'datasets.fetch',
  'datasets.cancelFetch',
  'datasets.pickFile',
  'datasets.openFile',
  'datasets.summary',
  'datasets.augmentPreview',
  'training.start',
  'training.pause',
  'training.resume',
  'training.stop',
  'training.setProbeSample',
  'training.status',
  'sessions.save',
  'sessions.list',
  'sessions.load',
  'sessions.delete',
  'sessions.pickFile',
  'sessions.openFile',
  'sessions.exportNir',
  'sessions.checkNir',
  'sessions.evaluate',
  'listen.analyze',
  'listen.encodeFolder',
  'playground.kinds',
  'playground.run',
  'sweeps.expand',
  'sweeps.run',
  'sweeps.stop',
  'sweeps.writeSlurm',
  'sweeps.collect',
  'sweeps.importRun',
  'sweeps.reportCard',
  'settings.get',
  'settings.set',
] as const;

export type MethodName = (typeof METHODS)[number];

export function callChannel(method: MethodName): string {
  return CALL_CHANNEL_PREFIX + method;
}

export function isMethodName(v: unknown): v is MethodName {
  return typeof v === 'string' && (METHODS as readonly string[]).includes(v);
}
