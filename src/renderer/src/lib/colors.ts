/** Colours for plots: a perceptually ordered heat scale and distinguishable per-series colours. */

// Viridis at 9 stops (matplotlib's default colormap): ordered in lightness, readable for colour-blind users.
const VIRIDIS: readonly [number, number, number][] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** Heat colour of a fraction in [0, 1] (clamped), linearly interpolated between viridis stops. */
export function heatColor(fraction: number): [number, number, number] {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const pos = f * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(pos));
  const u = pos - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * u)) as [number, number, number];
}

/** Text on a heat cell: white on the dark end, black on the light end. */
export function textColorOn(rgb: readonly [number, number, number]): string {
  const luminance = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  return luminance > 140 ? '#000' : '#fff';
}

/** Series colour k of n, spread around the hue circle (for up to ~35 readout classes). */
export function seriesColor(k: number, n: number): string {
  const hue = Math.round((k * 360) / Math.max(1, n));
  const lightness = k % 2 === 0 ? 42 : 58;
  return `hsl(${hue} 70% ${lightness}%)`;
}

export const rgbCss = (c: readonly [number, number, number]): string => `rgb(${c[0]} ${c[1]} ${c[2]})`;
