/**
 * Serve mode's HTTP surface (paths, token, size limits) and the checks of what a browser uploads. The calls
 * themselves are the same as over IPC (`channels.ts`, `checkCall.ts`).
 */
import { checkString, MAX_NAME_CHARS, short, type Problems } from './fieldChecks';

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
