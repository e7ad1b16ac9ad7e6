/** The answer every call gets, over IPC and HTTP alike. */
import type { FieldError } from '../config';

/** What every call answers, over IPC and HTTP alike. */
export type CallReply<T = unknown> = { ok: true; value: T } | { ok: false; error: string; fieldErrors: FieldError[] };

export function okReply<T>(value: T): CallReply<T> {
  return { ok: true, value };
}

export function errorReply(error: string, fieldErrors: FieldError[] = []): CallReply<never> {
  return { ok: false, error, fieldErrors };
}
