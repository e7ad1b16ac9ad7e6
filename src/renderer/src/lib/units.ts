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

/**
 * How a number is written into a form input: very small values in exponent form ("2e-6" rather than
 * "0.000002"), which `Number()` reads back exactly; large ones (seeds) stay plain digits.
 */
export function inputText(x: number): string {
  if (!Number.isFinite(x)) return '';
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential();
  return String(x);
}
