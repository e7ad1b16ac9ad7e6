/** Canvas sizing for crisp drawing on high-DPI screens: the backing store is CSS size × devicePixelRatio. */

export interface SizedContext {
  ctx: CanvasRenderingContext2D;
  /** Device pixels per CSS pixel. */
  scale: number;
  /** CSS size. */
  width: number;
  height: number;
}

export function sizeCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): SizedContext | null {
  const scale = Math.max(1, Math.min(3, globalThis.devicePixelRatio || 1));
  const w = Math.max(1, Math.round(cssWidth * scale));
  const h = Math.max(1, Math.round(cssHeight * scale));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  // A canvas keeps its drawing state between redraws of the same size: start every draw from the defaults.
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.setLineDash([]);
  ctx.lineWidth = 1;
  ctx.globalAlpha = 1;
  return { ctx, scale, width: cssWidth, height: cssHeight };
}

/** Plot area inside the canvas, leaving room for axis labels and a title (CSS pixels). */
export interface PlotArea {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function plotArea(width: number, height: number, margin = { left: 46, right: 10, top: 24, bottom: 30 }): PlotArea {
  return {
    left: margin.left,
    top: margin.top,
    width: Math.max(1, width - margin.left - margin.right),
    height: Math.max(1, height - margin.top - margin.bottom),
  };
}

/** Axis titles, end ticks and the title in one style, so every canvas plot reads the same (and exports whole). */
export function drawFrame(
  ctx: CanvasRenderingContext2D,
  area: PlotArea,
  labels: {
    title: string;
    x: string;
    y: string;
    xMin: string;
    xMax: string;
    yMin: string;
    yMax: string;
    /** Ticks along x between the ends (x in CSS px from the area's left edge); the axis title then goes below them. */
    xTicks?: { x: number; label: string }[];
  },
): void {
  ctx.save();
  ctx.strokeStyle = '#94a3b8';
  ctx.lineWidth = 1;
  ctx.strokeRect(area.left - 0.5, area.top - 0.5, area.width + 1, area.height + 1);
  ctx.fillStyle = '#334155';
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(labels.title, area.left, 5);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#475569';
  const below = area.top + area.height + 4;
  ctx.fillText(labels.xMin, area.left, below);
  ctx.textAlign = 'right';
  ctx.fillText(labels.xMax, area.left + area.width, below);
  ctx.textAlign = 'center';
  const ticks = labels.xTicks ?? [];
  for (const t of ticks) {
    ctx.fillRect(area.left + t.x - 0.5, area.top + area.height, 1, 3);
    // Clear of the end labels.
    if (t.x > 24 && t.x < area.width - 40) ctx.fillText(t.label, area.left + t.x, below);
  }
  ctx.fillText(labels.x, area.left + area.width / 2, ticks.length > 0 ? below + 13 : below + 2);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'top';
  ctx.fillText(labels.yMax, area.left - 4, area.top);
  ctx.textBaseline = 'bottom';
  ctx.fillText(labels.yMin, area.left - 4, area.top + area.height);
  ctx.translate(10, area.top + area.height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(labels.y, 0, 0);
  ctx.restore();
}
