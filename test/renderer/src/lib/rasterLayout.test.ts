import { describe, expect, it } from 'vitest';
import { cellAt, eventRect, paintRaster, type RasterGrid } from '../../../../src/renderer/src/lib/rasterLayout';

describe('raster event → pixel mapping', () => {
  const g: RasterGrid = { steps: 100, rows: 700, width: 400, height: 350 };
  it('puts time 0 at the left, row 0 at the bottom, each event ≥ 1 px', () => {
    expect(eventRect(0, 0, g)).toEqual({ x: 0, y: 349, w: 4, h: 1 });
    expect(eventRect(99, 699, g)).toEqual({ x: 396, y: 0, w: 4, h: 1 });
    expect(eventRect(50, 350, g)).toEqual({ x: 200, y: 174, w: 4, h: 1 });
  });
  it('stretches events when there are more pixels than cells', () => {
    const small: RasterGrid = { steps: 10, rows: 4, width: 100, height: 40 };
    expect(eventRect(3, 1, small)).toEqual({ x: 30, y: 20, w: 10, h: 10 });
  });
  it('maps pixels back to cells', () => {
    expect(cellAt(0, 349, g)).toEqual({ t: 0, r: 1 });
    expect(cellAt(399, 0, g)).toEqual({ t: 99, r: 699 });
    expect(cellAt(201, 175, g)).toEqual({ t: 50, r: 349 });
    expect(cellAt(400, 0, g)).toBeNull();
    // The cell under any pixel is drawn over that pixel.
    for (const grid of [g, { steps: 10, rows: 4, width: 100, height: 40 }]) {
      for (let y = 0; y < grid.height; y += 7) {
        for (let x = 0; x < grid.width; x += 13) {
          const c = cellAt(x, y, grid)!;
          const rect = eventRect(c.t, c.r, grid);
          expect(x >= rect.x && x < rect.x + rect.w && y >= rect.y && y < rect.y + rect.h).toBe(true);
        }
      }
    }
  });
  it('paints exactly the event pixels and counts events outside the grid', () => {
    const small: RasterGrid = { steps: 4, rows: 3, width: 4, height: 3 };
    const rgba = new Uint8ClampedArray(4 * 3 * 4);
    const res = paintRaster(rgba, small, [0, 3, 5, 1], [0, 2, 0, -1], [10, 20, 30]);
    expect(res).toEqual({ painted: 2, outside: 2 });
    const lit = [];
    for (let p = 0; p < 12; p++) if (rgba[p * 4 + 3] === 255) lit.push(p);
    // (t=0,r=0) → bottom-left pixel 8; (t=3,r=2) → top-right pixel 3.
    expect(lit).toEqual([3, 8]);
    expect(Array.from(rgba.slice(32, 36))).toEqual([10, 20, 30, 255]);
  });
  it('refuses a buffer of the wrong size', () => {
    expect(() => paintRaster(new Uint8ClampedArray(4), g, [], [], [0, 0, 0])).toThrow(/expected 560000/);
  });
});
