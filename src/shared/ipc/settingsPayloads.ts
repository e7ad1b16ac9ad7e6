/** Validators of the settings payloads: the stored settings, whole or as a patch. */
import { configErrors } from '../config';
import { backendPreferenceErrors, datasetRefErrors } from './datasetPayloads';
import { checkInt, checkKeys, checkString, isRecord, MAX_PATH_CHARS, prefixed, type Problems } from './fieldChecks';
import { checkSessionId } from './sessionPayloads';

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
