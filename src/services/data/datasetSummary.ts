/**
 * What `info` reports about a spike dataset: sizes, classes, spike statistics, speakers, label histogram.
 * Keys are snake_case because they are the CLI's --json output.
 */
import type { SpikeDataset } from './spikeDataset';

export interface DatasetSummary {
  file: string;
  samples: number;
  /** Class names by index. */
  classes: string[];
  channels: number;
  spikes_total: number;
  spikes_mean: number;
  spikes_min: number;
  spikes_max: number;
  /** Latest spike time in seconds (0 without spikes). */
  max_time: number;
  /** Samples per class, indexed like `classes`. */
  label_counts: number[];
  /** Distinct speaker ids, ascending; null when the file has none. */
  speakers: number[] | null;
  /** Samples per speaker, keyed by id; null when the file has none. */
  speaker_counts: Record<string, number> | null;
}

export function summarize(ds: SpikeDataset): DatasetSummary {
  let min = Infinity;
  let max = 0;
  for (let i = 0; i < ds.samples; i++) {
    const n = ds.offsets[i + 1] - ds.offsets[i];
    if (n < min) min = n;
    if (n > max) max = n;
  }
  let maxTime = 0;
  for (let k = 0; k < ds.times.length; k++) if (ds.times[k] > maxTime) maxTime = ds.times[k];
  const labelCounts = new Array<number>(ds.classNames.length).fill(0);
  for (let i = 0; i < ds.samples; i++) labelCounts[ds.labels[i]]++;
  let speakers: number[] | null = null;
  let speakerCounts: Record<string, number> | null = null;
  if (ds.speakers) {
    const counts = new Map<number, number>();
    for (const s of ds.speakers) counts.set(s, (counts.get(s) ?? 0) + 1);
    speakers = [...counts.keys()].sort((a, b) => a - b);
    speakerCounts = Object.fromEntries(speakers.map((s) => [String(s), counts.get(s) ?? 0]));
  }
  const total = ds.offsets[ds.samples];
  return {
    file: ds.name,
    samples: ds.samples,
    classes: [...ds.classNames],
    channels: ds.channels,
    spikes_total: total,
    spikes_mean: ds.samples ? total / ds.samples : 0,
    spikes_min: ds.samples ? min : 0,
    spikes_max: max,
    max_time: maxTime,
    label_counts: labelCounts,
    speakers,
    speaker_counts: speakerCounts,
  };
}
