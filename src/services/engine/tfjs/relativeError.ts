/**
 * How far one computation of a tensor is from another, for the checks that compare two implementations
 * (the backend smoke test, the golden and kernel-agreement tests).
 */

/** Largest |a − b| relative to the largest |b| (0 when both are all zeros). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
