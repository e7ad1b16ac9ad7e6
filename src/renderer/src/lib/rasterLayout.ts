/**
 * Spike raster geometry: time runs left → right, row 0 (channel or neuron 0) sits at the bottom as in the
 * SpyTorch plots. Rasters are painted straight into an ImageData (one putImageData per draw) because
 * 700 channels × 100 steps can hold tens of thousands of events; each event becomes a rectangle of at
 * least one pixel, so no event vanishes when there are more rows than pixels.
 */

export interface RasterGrid {
  /** Time steps (columns of the data). */
  steps: number;
  /** Channels or neurons (rows of the data). */
  rows: number;
  /** Canvas size in device pixels. */
  width: number;
  height: number;
}

export interface PixelRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Integer pixel rectangle of the event at time step t on row r. */
export function eventRect(t: number, r: number, g: RasterGrid): PixelRect {
  const x0 = Math.floor((t * g.width) / g.steps);
  const x1 = Math.floor(((t + 1) * g.width) / g.steps);
  // Row r covers [r, r+1) from the bottom; flip to canvas y (down). Flooring the top edge keeps row 0
  // inside the canvas when several rows share a pixel.
  const yTop = Math.min(g.height - 1, Math.floor(g.height - ((r + 1) * g.height) / g.rows));
  const yBottom = Math.floor(g.height - (r * g.height) / g.rows);
  return { x: x0, y: yTop, w: Math.max(1, x1 - x0), h: Math.max(1, yBottom - yTop) };
}

/** The data cell under a pixel (for hover read-outs); null outside the grid. */
export function cellAt(x: number, y: number, g: RasterGrid): { t: number; r: number } | null {
  if (x < 0 || y < 0 || x >= g.width || y >= g.height) return null;
  const t = Math.min(g.steps - 1, Math.floor((x * g.steps) / g.width));
  // Pixel centres, so a pixel shared by several rows reports the one drawn at its centre.
  const r = Math.min(g.rows - 1, Math.floor(((g.height - y - 0.5) * g.rows) / g.height));
  return { t, r };
}

/**
 * Paints events into an RGBA buffer of g.width × g.height (row-major, 4 bytes per pixel).
 * Events outside the grid are skipped and counted, so a caller can tell the user rather than crash.
 */
export function paintRaster(
  rgba: Uint8ClampedArray,
  g: RasterGrid,
  times: ArrayLike<number>,
  rows: ArrayLike<number>,
  color: readonly [number, number, number],
): { painted: number; outside: number } {
  if (rgba.length !== g.width * g.height * 4) throw new Error(`raster buffer has ${rgba.length} bytes, expected ${g.width * g.height * 4}`);
  if (times.length !== rows.length) throw new Error(`raster has ${times.length} times but ${rows.length} rows`);
  let painted = 0;
  let outside = 0;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    const r = rows[i];
    if (!(t >= 0 && t < g.steps && r >= 0 && r < g.rows)) {
      outside++;
      continue;
    }
    const rect = eventRect(t, r, g);
    for (let y = rect.y; y < rect.y + rect.h; y++) {
      let p = (y * g.width + rect.x) * 4;
      for (let x = 0; x < rect.w; x++, p += 4) {
        rgba[p] = color[0];
        rgba[p + 1] = color[1];
        rgba[p + 2] = color[2];
        rgba[p + 3] = 255;
      }
    }
    painted++;
  }
  return { painted, outside };
}
