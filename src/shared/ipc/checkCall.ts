/**
 * The gate every receiver (Electron main, the serve-mode server) passes a call through before acting: for each
 * method, how many arguments it takes and which validator judges them. A bad payload earns an error reply
 * (a CallReply with ok: false, `callReply.ts`), never a crash.
 */
import type { FieldError } from '../config';
import { isMethodName, type MethodName } from './channels';
import { augmentPreviewRequestErrors, backendPreferenceErrors, catalogNameErrors, datasetRefErrors } from './datasetPayloads';
import { absolutePathErrors, checkInt, checkString, MAX_NAME_CHARS, MAX_PATH_CHARS, short, type Problems } from './fieldChecks';
import { listenRequestErrors } from './listenPayloads';
import { customProgramErrors, playgroundRequestErrors } from './playgroundPayloads';
import { sessionIdErrors } from './sessionPayloads';
import { settingsErrors } from './settingsPayloads';
import { sweepRequestErrors, sweepSpecProblems, taskIdErrors } from './sweepPayloads';
import { startRequestErrors } from './trainingPayloads';

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
  'playground.kinds': { maxArgs: 1, check: one((v) => (v === null ? [] : customProgramErrors(v)), true) },
  'playground.run': { maxArgs: 1, check: (args) => playgroundRequestErrors(args[0]) },
  'sweeps.expand': { maxArgs: 1, check: one((v) => sweepSpecProblems(v, 'spec')) },
  'sweeps.run': { maxArgs: 1, check: one((v) => sweepRequestErrors(v, false)) },
  'sweeps.stop': { maxArgs: 0, check: none },
  'sweeps.writeSlurm': { maxArgs: 1, check: one((v) => sweepRequestErrors(v, true)) },
  'sweeps.collect': { maxArgs: 1, check: one((v) => absolutePathErrors(v, 'dir')) },
  'sweeps.importRun': { maxArgs: 2, check: (args) => [...absolutePathErrors(args[0], 'dir'), ...taskIdErrors(args[1])] },
  'sweeps.reportCard': { maxArgs: 1, check: one((v) => absolutePathErrors(v, 'dir')) },
  'settings.get': { maxArgs: 0, check: none },
  'settings.set': { maxArgs: 1, check: one((v) => settingsErrors(v, true)) },
};

export type CheckedCall = { ok: true; method: MethodName; args: unknown[] } | { ok: false; error: string; fieldErrors: FieldError[] };

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

/**
 * Checks one call from an untrusted sender: a known method, an argument list of the right length, each
 * argument valid. The message of a refusal names the method and lists every problem.
 */
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
