/**
 * Seconds ↔ milliseconds for the form. The config stores seconds (as the reference does); people think of
 * SNN time constants in milliseconds. Rounding to 12 significant digits removes binary noise such as
 * 0.005 × 1000 = 5.000000000000001, which would otherwise show up in the inputs.
 */
function clean(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(12)) : x;
}

export function secondsToMs(seconds: number): number {
  return clean(seconds * 1000);
}

export function msToSeconds(ms: number): number {
  return clean(ms / 1000);
}
