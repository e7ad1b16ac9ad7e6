/** Validators of the dataset payloads: a dataset reference, a catalog name, a backend choice, an augmentation preview. */
import { CONFIG_RANGES, configErrors, type TrainConfig } from '../config';
import { BACKEND_PREFERENCES, CATALOG_NAMES } from '../workbenchApi';
import { checkChoice, checkInt, checkKeys, checkString, isRecord, join, MAX_PATH_CHARS, short, type Problems } from './fieldChecks';

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
