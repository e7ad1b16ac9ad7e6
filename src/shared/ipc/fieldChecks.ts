/**
 * The primitives every payload validator is built from. Each check appends its problems to `out` (dotted field
 * path and a one-line message) instead of throwing, so one reply can list every problem of a payload.
 */
import type { FieldError } from '../config';

/** A problem found in a payload: where (dotted path) and what. */
export type Problems = FieldError[];

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const MAX_PATH_CHARS = 4096;
export const MAX_NAME_CHARS = 200;

export function checkKeys(v: Record<string, unknown>, allowed: readonly string[], at: string, out: Problems): void {
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) out.push({ field: join(at, k), message: `unknown field "${join(at, k)}"` });
  }
}

export function join(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

export function checkInt(v: unknown, field: string, min: number, max: number, out: Problems): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    out.push({ field, message: `${field} must be an integer from ${min} to ${max} (got ${short(v)})` });
  }
}

export function checkString(v: unknown, field: string, maxChars: number, out: Problems): void {
  if (typeof v !== 'string' || v.length === 0 || v.length > maxChars || v.includes('\0')) {
    out.push({ field, message: `${field} must be a non-empty string of at most ${maxChars} characters (got ${short(v)})` });
  }
}

export function checkChoice(v: unknown, field: string, options: readonly string[], out: Problems): void {
  if (typeof v !== 'string' || !options.includes(v)) {
    out.push({ field, message: `${field} must be one of ${options.join(', ')} (got ${short(v)})` });
  }
}

/** A value for a message, cut short so a huge payload does not make a huge message. */
export function short(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? 'undefined' : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Problems of a nested payload, their fields and messages placed under `at`. */
export function prefixed(errors: FieldError[], at: string): FieldError[] {
  return errors.map((e) => ({ field: e.field ? join(at, e.field) : at, message: `${at}: ${e.message}` }));
}

export function absolutePathErrors(v: unknown, field: string): Problems {
  const out: Problems = [];
  checkString(v, field, MAX_PATH_CHARS, out);
  // Both POSIX and Windows forms: the services decide on their own machine's paths.
  if (!out.length && !/^(\/|[A-Za-z]:[\\/]|\\\\)/.test(v as string)) out.push({ field, message: `${field} must be an absolute path (got ${short(v)})` });
  return out;
}
