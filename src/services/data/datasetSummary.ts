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

/** Index facts a summary needs besides the spikes. */
export interface SummaryIndex {
  name: string;
  samples: number;
  channels: number;
  classNames: string[];
  labels: ArrayLike<number>;
  speakers?: ArrayLike<number>;
}

/**
 * Spike statistics gathered chunk by chunk, so `info` can summarise a file of any size while holding one chunk
 * (the streaming reader's) instead of the whole file.
 */
export class SpikeStats {
  private min = Infinity;
  private max = 0;
  private maxTime = 0;
  private total = 0;

  /** Adds `count` samples whose spikes are times[offsets[j] … offsets[j+1]). */
  add(offsets: ArrayLike<number>, count: number, times: ArrayLike<number>): void {
    for (let j = 0; j < count; j++) {
      const n = offsets[j + 1] - offsets[j];
      if (n < this.min) this.min = n;
      if (n > this.max) this.max = n;
    }
    // Small-integer bounds keep V8 on its fast typed-array path (offsets are float64).
    const from = offsets[0] | 0;
    const to = offsets[count] | 0;
    let maxTime = this.maxTime;
    for (let k = from; k < to; k++) if (times[k] > maxTime) maxTime = times[k];
    this.maxTime = maxTime;
    this.total += to - from;
  }

  finish(index: SummaryIndex): DatasetSummary {
    const labelCounts = new Array<number>(index.classNames.length).fill(0);
    for (let i = 0; i < index.samples; i++) labelCounts[index.labels[i]]++;
    let speakers: number[] | null = null;
    let speakerCounts: Record<string, number> | null = null;
    if (index.speakers) {
      const counts = new Map<number, number>();
      for (let i = 0; i < index.samples; i++) counts.set(index.speakers[i], (counts.get(index.speakers[i]) ?? 0) + 1);
      speakers = [...counts.keys()].sort((a, b) => a - b);
      speakerCounts = Object.fromEntries(speakers.map((s) => [String(s), counts.get(s) ?? 0]));
    }
    return {
      file: index.name,
      samples: index.samples,
      classes: [...index.classNames],
      channels: index.channels,
      spikes_total: this.total,
      spikes_mean: index.samples ? this.total / index.samples : 0,
      spikes_min: index.samples ? this.min : 0,
      spikes_max: this.max,
      max_time: this.maxTime,
      label_counts: labelCounts,
      speakers,
      speaker_counts: speakerCounts,
    };
  }
}

export function summarize(ds: SpikeDataset): DatasetSummary {
  const stats = new SpikeStats();
  stats.add(ds.offsets, ds.samples, ds.times);
  return stats.finish(ds);
}
