/**
 * Channel names and payload validation for every process boundary:
 * renderer → main (Electron IPC), browser → serve-mode server (HTTP), and main → training process.
 * Each receiver checks what it got with these functions before acting; a bad payload earns an error reply
 * ({@link CallReply} with ok: false), never a crash. Plain TypeScript: no Node, no DOM, no Electron.
 */
import { CONFIG_RANGES, configErrors, type FieldError, type TrainConfig } from './config';
import { sweepSpecErrors } from './sweep';
import {
  BACKEND_PREFERENCES,
  CATALOG_NAMES,
  type AugmentPreviewRequest,
  type BackendPreference,
  type DatasetRef,
} from './workbenchApi';

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

/** What every call answers, over IPC and HTTP alike. */
export type CallReply<T = unknown> = { ok: true; value: T } | { ok: false; error: string; fieldErrors: FieldError[] };

export function okReply<T>(value: T): CallReply<T> {
  return { ok: true, value };
}

export function errorReply(error: string, fieldErrors: FieldError[] = []): CallReply<never> {
  return { ok: false, error, fieldErrors };
}

/* ------------------------------------------------------------ primitives */

/** A problem found in a payload: where (dotted path) and what. */
type Problems = FieldError[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const MAX_PATH_CHARS = 4096;
const MAX_NAME_CHARS = 200;
/** Session ids become file names: letters, digits, '-' and '_' only, so no id can escape the sessions folder. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

function checkKeys(v: Record<string, unknown>, allowed: readonly string[], at: string, out: Problems): void {
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) out.push({ field: join(at, k), message: `unknown field "${join(at, k)}"` });
  }
}

function join(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

function checkInt(v: unknown, field: string, min: number, max: number, out: Problems): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    out.push({ field, message: `${field} must be an integer from ${min} to ${max} (got ${short(v)})` });
  }
}

function checkString(v: unknown, field: string, maxChars: number, out: Problems): void {
  if (typeof v !== 'string' || v.length === 0 || v.length > maxChars || v.includes('\0')) {
    out.push({ field, message: `${field} must be a non-empty string of at most ${maxChars} characters (got ${short(v)})` });
  }
}

function checkChoice(v: unknown, field: string, options: readonly string[], out: Problems): void {
  if (typeof v !== 'string' || !options.includes(v)) {
    out.push({ field, message: `${field} must be one of ${options.join(', ')} (got ${short(v)})` });
  }
}

/** A value for a message, cut short so a huge payload does not make a huge message. */
function short(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? 'undefined' : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function prefixed(errors: FieldError[], at: string): FieldError[] {
  return errors.map((e) => ({ field: e.field ? join(at, e.field) : at, message: `${at}: ${e.message}` }));
}

/* ------------------------------------------------------------ payloads */

export function backendPreferenceErrors(v: unknown, field = 'backend'): Problems {
  const out: Problems = [];
  checkChoice(v, field, BACKEND_PREFERENCES, out);
  return out;
}

export function catalogNameErrors(v: unknown, field = 'name'): Problems {
  const out: Problems = [];
  checkChoice(v, field, CATALOG_NAMES, out);
  return out;
}

export function datasetRefErrors(v: unknown, at = 'dataset'): Problems {
  const out: Problems = [];
  if (!isRecord(v)) return [{ field: at, message: `${at} must be an object with a "kind"` }];
  switch (v.kind) {
    case 'demo':
      checkKeys(v, ['kind', 'seed', 'trainSamples', 'testSamples'], at, out);
      if (v.seed !== undefined) checkInt(v.seed, join(at, 'seed'), 0, 2 ** 32 - 1, out);
      if (v.trainSamples !== undefined) checkInt(v.trainSamples, join(at, 'trainSamples'), 1, 100_000, out);
      if (v.testSamples !== undefined) checkInt(v.testSamples, join(at, 'testSamples'), 1, 100_000, out);
      break;
    case 'catalog':
      checkKeys(v, ['kind', 'name'], at, out);
      checkChoice(v.name, join(at, 'name'), CATALOG_NAMES, out);
      break;
    case 'files':
      checkKeys(v, ['kind', 'trainPath', 'testPath', 'channels'], at, out);
      checkString(v.trainPath, join(at, 'trainPath'), MAX_PATH_CHARS, out);
      checkString(v.testPath, join(at, 'testPath'), MAX_PATH_CHARS, out);
      if (v.channels !== undefined) checkInt(v.channels, join(at, 'channels'), 1, 65_536, out);
      break;
    default:
      out.push({ field: join(at, 'kind'), message: `${join(at, 'kind')} must be demo, catalog or files (got ${short(v.kind)})` });
  }
  return out;
}

export function startRequestErrors(v: unknown): Problems {
  if (!isRecord(v)) return [{ field: '', message: 'the training request must be an object' }];
  const out: Problems = [];
  checkKeys(v, ['config', 'dataset', 'backend', 'resumeSessionId', 'probeSample'], '', out);
  // Config errors keep their own field names (hidden, tauMemS, ...) so the form can place them.
  out.push(...configErrors(v.config));
  out.push(...datasetRefErrors(v.dataset));
  out.push(...backendPreferenceErrors(v.backend));
  if (v.resumeSessionId !== undefined) checkSessionId(v.resumeSessionId, 'resumeSessionId', out);
  if (v.probeSample !== undefined) checkInt(v.probeSample, 'probeSample', 0, 10_000_000, out);
  return out;
}

/** Checks a `datasets.augmentPreview` request; config problems keep their own field names, as in a training request. */
export function augmentPreviewRequestErrors(v: unknown): Problems {
  if (!isRecord(v)) return [{ field: '', message: 'the augmentation preview request must be an object' }];
  const out: Problems = [];
  checkKeys(v, ['dataset', 'config', 'sampleIndex', 'epoch'], '', out);
  const configProblems = configErrors(v.config);
  out.push(...configProblems);
  out.push(...datasetRefErrors(v.dataset));
  checkInt(v.sampleIndex, 'sampleIndex', 0, 10_000_000, out);
  const before = out.length;
  checkInt(v.epoch, 'epoch', 1, CONFIG_RANGES.epochs.max!, out);
  // A run of this config never reaches a later epoch, so there is no augmentation of it to show.
  const epochs = configProblems.length === 0 ? (v.config as TrainConfig).epochs : null;
  if (out.length === before && epochs !== null && (v.epoch as number) > epochs) {
    out.push({ field: 'epoch', message: `epoch must be at most the config's ${epochs} epochs (got ${v.epoch as number})` });
  }
  return out;
}

function checkSessionId(v: unknown, field: string, out: Problems): void {
  if (typeof v !== 'string' || !SESSION_ID.test(v)) {
    out.push({ field, message: `${field} must be a session id (letters, digits, - and _; got ${short(v)})` });
  }
}

export function sessionIdErrors(v: unknown, field = 'id'): Problems {
  const out: Problems = [];
  checkSessionId(v, field, out);
  return out;
}

export const SETTINGS_KEYS = ['lastConfig', 'lastDataset', 'backend', 'dataDir', 'probeSample', 'recentSessions', 'recentFiles'] as const;
/** Lists are kept short: they are for menus, not archives. */
export const MAX_RECENT = 20;

/** Checks settings (complete, or a patch when `partial`), each problem naming its key. */
export function settingsErrors(v: unknown, partial: boolean): Problems {
  if (!isRecord(v)) return [{ field: '', message: 'settings must be an object' }];
  const out: Problems = [];
  checkKeys(v, SETTINGS_KEYS, '', out);
  const has = (k: (typeof SETTINGS_KEYS)[number]) => {
    if (k in v) return true;
    if (!partial) out.push({ field: k, message: `settings.${k} is missing` });
    return false;
  };
  if (has('lastConfig')) out.push(...prefixed(configErrors(v.lastConfig), 'lastConfig'));
  if (has('lastDataset') && v.lastDataset !== null) out.push(...datasetRefErrors(v.lastDataset, 'lastDataset'));
  if (has('backend')) out.push(...backendPreferenceErrors(v.backend, 'backend'));
  if (has('dataDir') && v.dataDir !== null) checkString(v.dataDir, 'dataDir', MAX_PATH_CHARS, out);
  if (has('probeSample')) checkInt(v.probeSample, 'probeSample', 0, 10_000_000, out);
  if (has('recentSessions')) checkList(v.recentSessions, 'recentSessions', (x, f) => checkSessionId(x, f, out), out);
  if (has('recentFiles')) checkList(v.recentFiles, 'recentFiles', (x, f) => checkString(x, f, MAX_PATH_CHARS, out), out);
  return out;
}

function checkList(v: unknown, field: string, each: (x: unknown, field: string) => void, out: Problems): void {
  if (!Array.isArray(v) || v.length > MAX_RECENT) {
    out.push({ field, message: `${field} must be a list of at most ${MAX_RECENT} entries` });
    return;
  }
  v.forEach((x, i) => each(x, `${field}[${i}]`));
}

/* ------------------------------------------------------------ calls */

/* ---------------------------------------------------------------- sweeps */

function absolutePathErrors(v: unknown, field: string): Problems {
  const out: Problems = [];
  checkString(v, field, MAX_PATH_CHARS, out);
  // Both POSIX and Windows forms: the services decide on their own machine's paths.
  if (!out.length && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(v as string)) out.push({ field, message: `${field} must be an absolute path (got ${short(v)})` });
  return out;
}

function sweepSpecProblems(v: unknown, field: string): Problems {
  return sweepSpecErrors(v).map((message) => ({ field, message: `${field}: ${message}` }));
}

/** SLURM option values go into an sbatch script: plain words only. */
const SLURM_WORD = /^[A-Za-z0-9_:.,-]{1,64}$/;

function sweepRequestErrors(v: unknown, slurm: boolean): Problems {
  const out: Problems = [];
  if (!isRecord(v)) return [{ field: 'request', message: 'request must be an object' }];
  checkKeys(v, slurm ? ['spec', 'dir', 'partition', 'time', 'cpus', 'maxRunning'] : ['spec', 'dir', 'parallel'], '', out);
  out.push(...sweepSpecProblems(v.spec, 'spec'), ...absolutePathErrors(v.dir, 'dir'));
  if (!slurm) checkInt(v.parallel, 'parallel', 1, 64, out);
  for (const k of ['partition', 'time'] as const) {
    if (slurm && v[k] !== undefined && !(typeof v[k] === 'string' && SLURM_WORD.test(v[k] as string))) out.push({ field: k, message: `${k} must be a word of letters, digits and _:.,- (got ${short(v[k])})` });
  }
  if (slurm && v.cpus !== undefined) checkInt(v.cpus, 'cpus', 1, 1024, out);
  if (slurm && v.maxRunning !== undefined) checkInt(v.maxRunning, 'maxRunning', 1, 100_000, out);
  return out;
}

const TASK_ID = /^t[0-9]{3,5}$/;

/** 16 MB of WAV as base64. */
export const MAX_WAV_BASE64_CHARS = Math.ceil((16 * 2 ** 20) / 3) * 4;

export function listenRequestErrors(v: unknown): Problems {
  if (!isRecord(v)) return [{ field: 'request', message: 'request must be an object' }];
  const out: Problems = [];
  checkKeys(v, ['wav', 'sessionId', 'windowS'], '', out);
  if (typeof v.wav !== 'string' || v.wav.length === 0 || v.wav.length > MAX_WAV_BASE64_CHARS || !/^[A-Za-z0-9+/]*={0,2}$/.test(v.wav)) {
    out.push({ field: 'wav', message: `wav must be the recording as base64, at most 16 MB (got ${typeof v.wav === 'string' ? `${v.wav.length} characters` : short(v.wav)})` });
  }
  if (v.sessionId !== null) out.push(...sessionIdErrors(v.sessionId, 'sessionId'));
  if (v.windowS !== undefined && !(typeof v.windowS === 'number' && v.windowS >= 0.2 && v.windowS <= 30)) out.push({ field: 'windowS', message: `windowS must be a number of seconds from 0.2 to 30 (got ${short(v.windowS)})` });
  return out;
}

type ArgsCheck = (args: unknown[]) => Problems;

const none: ArgsCheck = () => [];
const one =
  (check: (v: unknown) => Problems, optional = false): ArgsCheck =>
  (args) =>
    optional && args[0] === undefined ? [] : check(args[0]);

/** For each call, how many arguments it takes and what they must be. */
const CALLS: Record<MethodName, { maxArgs: number; check: ArgsCheck }> = {
  info: { maxArgs: 0, check: none },
  probeBackend: { maxArgs: 1, check: one((v) => backendPreferenceErrors(v, 'preference')) },
  'datasets.list': { maxArgs: 0, check: none },
  'datasets.fetch': { maxArgs: 1, check: one((v) => catalogNameErrors(v)) },
  'datasets.cancelFetch': { maxArgs: 1, check: one((v) => catalogNameErrors(v)) },
  'datasets.pickFile': { maxArgs: 0, check: none },
  'datasets.openFile': {
    maxArgs: 1,
    check: one((v) => {
      const out: Problems = [];
      checkString(v, 'path', MAX_PATH_CHARS, out);
      return out;
    }),
  },
  'datasets.summary': { maxArgs: 1, check: one((v) => datasetRefErrors(v)) },
  'datasets.augmentPreview': { maxArgs: 1, check: one(augmentPreviewRequestErrors) },
  'training.start': { maxArgs: 1, check: one(startRequestErrors) },
  'training.pause': { maxArgs: 0, check: none },
  'training.resume': { maxArgs: 0, check: none },
  'training.stop': { maxArgs: 0, check: none },
  'training.setProbeSample': {
    maxArgs: 1,
    check: one((v) => {
      const out: Problems = [];
      checkInt(v, 'index', 0, 10_000_000, out);
      return out;
    }),
  },
  'training.status': { maxArgs: 0, check: none },
  'sessions.save': {
    maxArgs: 1,
    check: one((v) => {
      const out: Problems = [];
      checkString(v, 'name', MAX_NAME_CHARS, out);
      return out;
    }, true),
  },
  'sessions.list': { maxArgs: 0, check: none },
  'sessions.load': { maxArgs: 1, check: one((v) => sessionIdErrors(v)) },
  'sessions.delete': { maxArgs: 1, check: one((v) => sessionIdErrors(v)) },
  'sessions.pickFile': { maxArgs: 0, check: none },
  'sessions.openFile': { maxArgs: 1, check: one((v) => absolutePathErrors(v, 'path')) },
  'sessions.exportNir': { maxArgs: 1, check: one((v) => sessionIdErrors(v)) },
  'sessions.checkNir': { maxArgs: 2, check: (args) => [...sessionIdErrors(args[0]), ...datasetRefErrors(args[1])] },
  'sessions.evaluate': { maxArgs: 2, check: (args) => [...sessionIdErrors(args[0]), ...datasetRefErrors(args[1])] },
  'listen.analyze': { maxArgs: 1, check: one(listenRequestErrors) },
  'listen.encodeFolder': { maxArgs: 1, check: one((v) => absolutePathErrors(v, 'dir')) },
  'sweeps.expand': { maxArgs: 1, check: one((v) => sweepSpecProblems(v, 'spec')) },
  'sweeps.run': { maxArgs: 1, check: one((v) => sweepRequestErrors(v, false)) },
  'sweeps.stop': { maxArgs: 0, check: none },
  'sweeps.writeSlurm': { maxArgs: 1, check: one((v) => sweepRequestErrors(v, true)) },
  'sweeps.collect': { maxArgs: 1, check: one((v) => absolutePathErrors(v, 'dir')) },
  'sweeps.importRun': {
    maxArgs: 2,
    check: (args) => [
      ...absolutePathErrors(args[0], 'dir'),
      ...(typeof args[1] === 'string' && TASK_ID.test(args[1]) ? [] : [{ field: 'taskId', message: `taskId must be a task id like t003 (got ${short(args[1])})` }]),
    ],
  },
  'sweeps.reportCard': { maxArgs: 1, check: one((v) => absolutePathErrors(v, 'dir')) },
  'settings.get': { maxArgs: 0, check: none },
  'settings.set': { maxArgs: 1, check: one((v) => settingsErrors(v, true)) },
};

export function isMethodName(v: unknown): v is MethodName {
  return typeof v === 'string' && (METHODS as readonly string[]).includes(v);
}

export type CheckedCall = { ok: true; method: MethodName; args: unknown[] } | { ok: false; error: string; fieldErrors: FieldError[] };

/**
 * Checks one call from an untrusted sender: a known method, an argument list of the right length, each
 * argument valid. The message of a refusal names the method and lists every problem.
 */
/** Deepest nesting a payload may have; every real one is a few levels deep (a config's layers: 4). */
export const MAX_PAYLOAD_DEPTH = 32;

/** Whether `value` nests deeper than `max` (iteratively: a hostile payload must not overflow the stack here). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

export function checkCall(method: unknown, args: unknown): CheckedCall {
  if (!isMethodName(method)) return { ok: false, error: `unknown method ${short(method)}`, fieldErrors: [] };
  if (!Array.isArray(args)) return { ok: false, error: `${method}: arguments must be a list`, fieldErrors: [] };
  if (nestsDeeperThan(args, MAX_PAYLOAD_DEPTH)) return { ok: false, error: `${method}: arguments nest deeper than ${MAX_PAYLOAD_DEPTH} levels`, fieldErrors: [] };
  const spec = CALLS[method];
  // Trailing undefineds are what an optional argument left out looks like after structured clone.
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  if (n > spec.maxArgs) {
    return { ok: false, error: `${method} takes at most ${spec.maxArgs} argument(s), got ${n}`, fieldErrors: [] };
  }
  const problems = spec.check(args);
  if (problems.length) {
    return { ok: false, error: `${method}: ${problems.map((p) => p.message).join('; ')}`, fieldErrors: problems };
  }
  return { ok: true, method, args: args.slice(0, n) };
}

/* ------------------------------------------------- main → training process */

/** Where the training process finds its data, and what it writes into session metadata. */
export interface JobContext {
  dataDir: string;
  appVersion: string;
}

export type ToTrainingProcess =
  | {
      type: 'train';
      context: JobContext;
      config: TrainConfig;
      dataset: DatasetRef;
      backend: BackendPreference;
      probeSample: number;
      /** Absolute path of the session file to resume from. */
      resumePath: string | null;
      /** The name the session list shows for it, for messages (else its file is named). */
      resumeName?: string;
    }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'probeSample'; index: number }
  | { type: 'probeBackend'; preference: BackendPreference }
  | { type: 'summary'; context: JobContext; dataset: DatasetRef }
  | { type: 'augmentPreview'; context: JobContext; request: AugmentPreviewRequest }
  | { type: 'inspectFile'; path: string }
  /** Encode DIR/train and DIR/test into `outPrefix`-train.h5 and -test.h5 (the Listen view's "train on this folder"). */
  | { type: 'encodeFolder'; dir: string; outPrefix: string }
  /** Run an exported NIR file next to its session's engine on a dataset's test split (the Sessions tab's check). */
  | { type: 'nirCheck'; context: JobContext; sessionPath: string; sessionName: string; nirPath: string; dataset: DatasetRef }
  /** Run a session's selected-epoch weights over a dataset's test split (the Sessions tab's Evaluate). */
  | { type: 'evaluateSession'; context: JobContext; sessionPath: string; sessionName: string; dataset: DatasetRef; backend: BackendPreference }
  /** Encode a recording and run a session's network on it (the Listen view). */
  | { type: 'listen'; wav: Uint8Array; sessionPath: string | null; sessionName: string; windowS: number | null };

function jobContextErrors(v: unknown): Problems {
  if (!isRecord(v)) return [{ field: 'context', message: 'context must be an object' }];
  const out: Problems = [];
  checkKeys(v, ['dataDir', 'appVersion'], 'context', out);
  checkString(v.dataDir, 'context.dataDir', MAX_PATH_CHARS, out);
  checkString(v.appVersion, 'context.appVersion', MAX_NAME_CHARS, out);
  return out;
}

/** Checks a message the training process received; returns its problems (empty when valid). */
export function toTrainingProcessErrors(v: unknown): Problems {
  if (!isRecord(v)) return [{ field: '', message: 'message must be an object with a "type"' }];
  const out: Problems = [];
  switch (v.type) {
    case 'train':
      checkKeys(v, ['type', 'context', 'config', 'dataset', 'backend', 'probeSample', 'resumePath', 'resumeName'], '', out);
      out.push(...jobContextErrors(v.context));
      out.push(...configErrors(v.config));
      out.push(...datasetRefErrors(v.dataset));
      out.push(...backendPreferenceErrors(v.backend));
      checkInt(v.probeSample, 'probeSample', 0, 10_000_000, out);
      if (v.resumePath !== null) checkString(v.resumePath, 'resumePath', MAX_PATH_CHARS, out);
      if (v.resumeName !== undefined) checkString(v.resumeName, 'resumeName', MAX_PATH_CHARS, out);
      break;
    case 'pause':
    case 'resume':
    case 'stop':
      checkKeys(v, ['type'], '', out);
      break;
    case 'probeSample':
      checkKeys(v, ['type', 'index'], '', out);
      checkInt(v.index, 'index', 0, 10_000_000, out);
      break;
    case 'probeBackend':
      checkKeys(v, ['type', 'preference'], '', out);
      out.push(...backendPreferenceErrors(v.preference, 'preference'));
      break;
    case 'summary':
      checkKeys(v, ['type', 'context', 'dataset'], '', out);
      out.push(...jobContextErrors(v.context));
      out.push(...datasetRefErrors(v.dataset));
      break;
    case 'augmentPreview':
      checkKeys(v, ['type', 'context', 'request'], '', out);
      out.push(...jobContextErrors(v.context));
      out.push(...prefixed(augmentPreviewRequestErrors(v.request), 'request'));
      break;
    case 'inspectFile':
      checkKeys(v, ['type', 'path'], '', out);
      checkString(v.path, 'path', MAX_PATH_CHARS, out);
      break;
    case 'encodeFolder':
      checkKeys(v, ['type', 'dir', 'outPrefix'], '', out);
      checkString(v.dir, 'dir', MAX_PATH_CHARS, out);
      checkString(v.outPrefix, 'outPrefix', MAX_PATH_CHARS, out);
      break;
    case 'nirCheck':
      checkKeys(v, ['type', 'context', 'sessionPath', 'sessionName', 'nirPath', 'dataset'], '', out);
      out.push(...jobContextErrors(v.context));
      checkString(v.sessionPath, 'sessionPath', MAX_PATH_CHARS, out);
      checkString(v.sessionName, 'sessionName', MAX_PATH_CHARS, out);
      checkString(v.nirPath, 'nirPath', MAX_PATH_CHARS, out);
      out.push(...datasetRefErrors(v.dataset));
      break;
    case 'evaluateSession':
      checkKeys(v, ['type', 'context', 'sessionPath', 'sessionName', 'dataset', 'backend'], '', out);
      out.push(...jobContextErrors(v.context));
      checkString(v.sessionPath, 'sessionPath', MAX_PATH_CHARS, out);
      checkString(v.sessionName, 'sessionName', MAX_PATH_CHARS, out);
      out.push(...datasetRefErrors(v.dataset));
      out.push(...backendPreferenceErrors(v.backend));
      break;
    case 'listen':
      checkKeys(v, ['type', 'wav', 'sessionPath', 'sessionName', 'windowS'], '', out);
      if (!(v.wav instanceof Uint8Array) || v.wav.length > 16 * 2 ** 20) out.push({ field: 'wav', message: 'wav must be the recording\'s bytes, at most 16 MB' });
      if (v.sessionPath !== null) checkString(v.sessionPath, 'sessionPath', MAX_PATH_CHARS, out);
      checkString(v.sessionName, 'sessionName', MAX_PATH_CHARS, out);
      if (v.windowS !== null && !(typeof v.windowS === 'number' && v.windowS >= 0.2 && v.windowS <= 30)) out.push({ field: 'windowS', message: 'windowS must be null or 0.2 … 30 s' });
      break;
    default:
      out.push({ field: 'type', message: `unknown message type ${short(v.type)}` });
  }
  return out;
}

/* ------------------------------------------------------------ serve mode (HTTP) */

/** POST `${HTTP_CALL_PATH}<method>` with body `{"args": [...]}` answers a CallReply (200 done, 400 bad payload, 422 a valid call that could not be done). */
export const HTTP_CALL_PATH = '/api/call/';
/** GET: a Server-Sent Events stream, one WorkbenchEvent as JSON per `data:` line. */
export const HTTP_EVENTS_PATH = '/api/events';
/** The token may come as this header, as `?token=` in the URL, or as the cookie the server sets on the first page load. */
export const TOKEN_HEADER = 'x-workbench-token';
export const TOKEN_QUERY = 'token';
export const TOKEN_COOKIE = 'workbench_token';
/** Bodies above this size are refused before parsing. */
export const MAX_BODY_BYTES = 1_000_000;
/**
 * POST `${HTTP_UPLOAD_SESSION_PATH}?name=<file name>` with the session file's bytes as the body
 * (application/octet-stream) imports it as `sessions.openFile` does a path, and answers a CallReply of its
 * SessionSummary (200 done, 413 over {@link MAX_SESSION_FILE_BYTES}, 400 bad request, 422 not a session file).
 */
export const HTTP_UPLOAD_SESSION_PATH = '/api/upload/session';
/**
 * GET `${HTTP_FILES_PATH}<path inside the data directory>` (a SessionSummary's or NirExport's `dataPath`) answers
 * the file as a download (Content-Disposition: attachment); anything outside the data directory is 404.
 */
export const HTTP_FILES_PATH = '/api/files/';
/**
 * The largest session file opened or uploaded: far above any network the form allows in practice (SSC's 3 × 1024
 * recurrent stack with its optimizer moments is ~100 MB), small enough that reading one cannot exhaust memory.
 */
export const MAX_SESSION_FILE_BYTES = 2 ** 30;

/** "1.1 GB" in a refusal. */
function sizeText(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${bytes} bytes`;
}

/** The one line that refuses a session file over `maxBytes` (its size when known), wherever it is checked. */
export function sessionSizeRefusal(name: string, bytes: number | null, maxBytes = MAX_SESSION_FILE_BYTES): string {
  return `${name}: ${bytes === null ? 'it is' : `${sizeText(bytes)} is`} over the ${sizeText(maxBytes)} limit for a session file`;
}

/** A file name as a browser reports it, for messages and the session's origin: one line, no folders. */
export function uploadNameErrors(v: unknown, field = 'name'): Problems {
  const out: Problems = [];
  checkString(v, field, MAX_NAME_CHARS, out);
  if (!out.length && /[\\/\x00-\x1f\x7f]/.test(v as string)) out.push({ field, message: `${field} must be a file name without folders or control characters (got ${short(v)})` });
  return out;
}
