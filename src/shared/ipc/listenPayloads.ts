/** Validators of the Listen view's payloads: a recording to analyze. */
import { checkKeys, isRecord, short, type Problems } from './fieldChecks';
import { sessionIdErrors } from './sessionPayloads';

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
