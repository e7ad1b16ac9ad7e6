/** Validators of the session payloads: a session id. */
import { short, type Problems } from './fieldChecks';

/** Session ids become file names: letters, digits, '-' and '_' only, so no id can escape the sessions folder. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function checkSessionId(v: unknown, field: string, out: Problems): void {
  if (typeof v !== 'string' || !SESSION_ID.test(v)) {
    out.push({ field, message: `${field} must be a session id (letters, digits, - and _; got ${short(v)})` });
  }
}

export function sessionIdErrors(v: unknown, field = 'id'): Problems {
  const out: Problems = [];
  checkSessionId(v, field, out);
  return out;
}
