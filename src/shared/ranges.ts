/**
 * Numeric option ranges and their one wording, shared by every option contract (config.ts, schedule.ts,
 * augment.ts), so a form, the CLI and IPC refuse a value with the same message whichever file declares it.
 */

export interface NumericRange {
  min: number;
  /** Absent: no upper bound beyond being finite. */
  max?: number;
  integer: boolean;
  /** Lower bound excluded (e.g. a time constant must be > 0). */
  minExclusive?: boolean;
  /** Upper bound excluded (dropout < 1). */
  maxExclusive?: boolean;
}

/** "an integer ≥ 1 and ≤ 4096", "a number > 0 and ≤ 10", "a finite number ≥ 0". */
export function describeRange(r: NumericRange): string {
  const lo = r.minExclusive ? `> ${r.min}` : `≥ ${r.min}`;
  if (r.max === undefined) return `${r.integer ? 'an integer' : 'a finite number'} ${lo}`;
  const hi = r.maxExclusive ? `< ${r.max}` : `≤ ${r.max}`;
  return `${r.integer ? 'an integer' : 'a number'} ${lo} and ${hi}`;
}

/** The checks every option group shares, each as a FieldError: keys it does not know ("unknown <what> option …"). */
export function unknownKeyErrors(v: Record<string, unknown>, what: string, known: readonly string[]): { field: string; message: string }[] {
  return Object.keys(v)
    .filter((key) => !known.includes(key))
    .map((key) => ({ field: key, message: `unknown ${what} option "${key}"` }));
}

/** …and numbers outside their ranges, with the value it got. */
export function rangeErrors(v: Record<string, unknown>, ranges: Readonly<Record<string, NumericRange>>): { field: string; message: string }[] {
  return Object.entries(ranges)
    .filter(([key, r]) => outOfRange(v[key], r))
    .map(([key, r]) => ({ field: key, message: `${key} must be ${describeRange(r)} (got ${JSON.stringify(v[key])})` }));
}

export function outOfRange(x: unknown, r: NumericRange): boolean {
  return (
    typeof x !== 'number' ||
    !Number.isFinite(x) ||
    (r.integer && !Number.isInteger(x)) ||
    (r.minExclusive ? x <= r.min : x < r.min) ||
    (r.max !== undefined && (r.maxExclusive ? x >= r.max : x > r.max))
  );
}
