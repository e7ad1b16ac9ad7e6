/** Validators of the training payloads: a `training.start` request. */
import { configErrors } from '../config';
import { backendPreferenceErrors, datasetRefErrors } from './datasetPayloads';
import { checkInt, checkKeys, isRecord, type Problems } from './fieldChecks';
import { checkSessionId } from './sessionPayloads';

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
