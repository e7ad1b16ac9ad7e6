/**
 * The messages main sends the training process (a child process or Electron utilityProcess), and their
 * validation: the process checks every message it receives before acting on it.
 */
import { configErrors, type TrainConfig } from '../config';
import type { AugmentPreviewRequest, BackendPreference, DatasetRef } from '../workbenchApi';
import { augmentPreviewRequestErrors, backendPreferenceErrors, datasetRefErrors } from './datasetPayloads';
import { checkInt, checkKeys, checkString, isRecord, MAX_NAME_CHARS, MAX_PATH_CHARS, prefixed, short, type Problems } from './fieldChecks';

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
