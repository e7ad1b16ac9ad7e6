/**
 * Painters of the Listen tab's four plots, each inside its plot area on the shared time axis (listenTimeline.ts):
 * what each draws where is decided there; these only turn it into canvas calls. Low values (band, channel,
 * probability 0) sit at the bottom.
 */
import type { ListenResult } from '../../../shared/workbenchApi';
import type { PlotArea } from './canvasSetup';
import { heatColor } from './colors';
import { frameSpan, waveColumnSpan, xOfTime, type ProbabilityCurve, type TimeSpan } from './listenTimeline';

/** Min–max bars of the waveform, scaled to its peak (the y axis runs −peak … +peak). */
export function paintWaveform(ctx: CanvasRenderingContext2D, area: PlotArea, axis: TimeSpan, result: ListenResult): void {
  const { min, max } = result.waveform;
  const peak = waveformPeak(result);
  const mid = area.top + area.height / 2;
  const half = area.height / 2 - 1;
  ctx.fillStyle = '#2563eb';
  for (let c = 0; c < min.length; c++) {
    const span = waveColumnSpan(c, min.length, result.durationS);
    const x0 = area.left + xOfTime(span.startS, axis, area.width);
    const x1 = area.left + xOfTime(span.endS, axis, area.width);
    const y0 = mid - (max[c] / peak) * half;
    const y1 = mid - (min[c] / peak) * half;
    ctx.fillRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
  }
}

export function waveformPeak(result: ListenResult): number {
  return Math.max(1e-9, ...result.waveform.max.map(Math.abs), ...result.waveform.min.map(Math.abs));
}

/** The cochleagram's cells, −60 dB (dark) … 0 dB (bright), each frame at its own time. */
export function paintCochleagram(ctx: CanvasRenderingContext2D, area: PlotArea, axis: TimeSpan, result: ListenResult): void {
  const { rows, cols, frameS, values } = result.cochleagram;
  const rh = area.height / rows;
  for (let c = 0; c < cols; c++) {
    const span = frameSpan(c, frameS);
    const x0 = area.left + xOfTime(span.startS, axis, area.width);
    const w = xOfTime(span.endS, axis, area.width) - xOfTime(span.startS, axis, area.width);
    for (let r = 0; r < rows; r++) {
      const [R, G, B] = heatColor((values[r * cols + c] + 60) / 60);
      ctx.fillStyle = `rgb(${R},${G},${B})`;
      ctx.fillRect(x0, area.top + area.height - (r + 1) * rh, w + 0.5, rh + 0.5);
    }
  }
}

/** One mark per spike at its time and channel (at least a pixel, so none vanishes among 700 channels). */
export function paintSpikes(ctx: CanvasRenderingContext2D, area: PlotArea, axis: TimeSpan, spikes: ListenResult['spikes']): void {
  const rh = area.height / Math.max(1, spikes.channels);
  ctx.fillStyle = '#0f172a';
  for (let i = 0; i < spikes.t.length; i++) {
    const x = area.left + xOfTime(spikes.t[i], axis, area.width);
    const y = area.top + area.height - (spikes.c[i] + 1) * rh;
    ctx.fillRect(x, y, 1, Math.max(1, rh));
  }
}

/** Each curve as a line from point to point, probability 0 at the bottom and 1 at the top. */
export function paintCurves(ctx: CanvasRenderingContext2D, area: PlotArea, axis: TimeSpan, curves: ProbabilityCurve[], colors: string[]): void {
  curves.forEach((curve, i) => {
    ctx.strokeStyle = colors[i];
    ctx.lineWidth = i === 0 ? 2.2 : 1.4;
    ctx.beginPath();
    curve.points.forEach((pt, j) => {
      const x = area.left + xOfTime(pt.tS, axis, area.width);
      const y = area.top + area.height - pt.p * area.height;
      if (j === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  });
}
