/**
 * How a report card writes its numbers, one way for the Markdown file (services/reportCard/cardMarkdown.ts) and
 * the app's table: percentages with two decimals (SHD's 2264 test samples resolve 0.04 %), intervals as
 * "LO–HI %", times in s or min, and the headline sentence.
 */
import { spanText, type TrainConfig } from './config';
import { allLayerDelays, hasDelays } from './layerDelays';
import type { CardInterval, ReportCard } from './reportCard';

export const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(2)} %`);
export const pctInterval = (i: CardInterval | null): string => (i === null ? '—' : `${(100 * i.low).toFixed(2)}–${(100 * i.high).toFixed(2)} %`);
export const seconds = (s: number | null): string => (s === null ? '—' : s < 600 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`);

/** The headline: mean ± std over seeds and the t interval of the mean, or why there is none. */
export function headline(card: ReportCard): string {
  const p = card.pooled;
  if (p.n === 0) return `No seed has finished yet (${card.rows.length} asked for).`;
  if (p.n === 1) return `Test accuracy at the selected epoch: ${pct(p.meanTestAcc)} (one seed; no spread across seeds).`;
  return (
    `Test accuracy at the selected epoch: ${pct(p.meanTestAcc)} ± ${pct(p.stdTestAcc)} (mean ± std over ${p.n} seeds); ` +
    `95 % interval of the mean ${pctInterval(p.meanInterval)} (Student's t, ${p.n - 1} df).`
  );
}

/**
 * The model's delays as trained, each layer's as it resolves (its own options, else the config's), with the kernel's
 * σ schedule and the delays' learning rate: "layer 1: recurrent ≤ 25 steps (init 0:5); layer 2: none · σ 10 decaying
 * 0.95 · delay lr 0.1", or "none".
 */
export function delaysText(c: TrainConfig): string {
  if (!hasDelays(c)) return 'none';
  const layers = allLayerDelays(c).map((d, l) => {
    const kinds = [
      ...(d.recMax > 0 ? [`recurrent ≤ ${d.recMax} steps (init ${spanText(d.recInit)})`] : []),
      ...(d.ffMax > 0 ? [`feed-forward ≤ ${d.ffMax} steps (init ${spanText(d.ffInit)})`] : []),
    ];
    return `layer ${l + 1}: ${kinds.length ? kinds.join(', ') : 'none'}`;
  });
  const lr = c.delayLearningRate > 0 ? String(c.delayLearningRate) : `the weights' (${c.learningRate})`;
  return `${layers.join('; ')} · σ ${c.delaySigma} decaying ${c.delaySigmaDecay} · delay lr ${lr}`;
}
