/**
 * Generated spike data shaped like the Spiking Heidelberg Digits, for the benchmark and for the engine's
 * learning tests: same layout (SpikeDataset), any size, SHD-like density by default.
 *
 * Each class is a template of three "formant" bands: channel bands of half-width ≈ 1.8 % of the channels
 * whose centres move linearly between two class-specific positions over the utterance. A sample draws a
 * duration (0.5–1.1 s), an onset and a small jitter of the centres; in every 10 ms frame each channel within
 * a band fires Poisson spikes at up to `peakRateHz` (triangular profile across the band), plus sparse
 * background spikes anywhere. At the defaults a 700-channel sample has ≈ 10 000 spikes (SHD train: ≈ 80 M
 * spikes over 8156 samples) falling into a few percent of the 100 × 700 time bins.
 *
 * The class templates depend on `seed` only, the samples on `seed` and `split`, so a train and a test split
 * of one seed share classes and differ in samples.
 */
import type { SpikeDataset } from './spikeDataset';
import { SeededRandom } from '../random/seededRandom';
import { poisson } from '../random/poisson';

export interface SyntheticShdOptions {
  samples: number;
  seed: number;
  split: 'train' | 'test';
  channels?: number;
  classes?: number;
  /** Peak firing rate of a channel at a band centre (Hz). */
  peakRateHz?: number;
  /** Background spikes per sample, anywhere in channels × [0, 1.2 s). */
  backgroundSpikes?: number;
}

const FRAME_S = 0.01;
const BANDS = 3;

interface Band {
  from: number;
  to: number;
}

function classTemplates(seed: number, classes: number, channels: number): Band[][] {
  const rng = new SeededRandom((seed ^ 0x51ed2701) >>> 0);
  return Array.from({ length: classes }, () =>
    Array.from({ length: BANDS }, (_, j) => {
      // Bands sit in their own third of the channel range, as formants do, so classes differ in trajectory.
      const lo = (j / BANDS) * channels;
      const span = channels / BANDS;
      return { from: lo + (0.1 + 0.8 * rng.next()) * span, to: lo + (0.1 + 0.8 * rng.next()) * span };
    }),
  );
}

export function makeSyntheticShd(opts: SyntheticShdOptions): SpikeDataset {
  const { samples, seed, split } = opts;
  const channels = opts.channels ?? 700;
  const classes = opts.classes ?? 20;
  const peakRateHz = opts.peakRateHz ?? 300;
  const background = opts.backgroundSpikes ?? 200;
  if (!Number.isInteger(samples) || samples < 0) throw new Error(`samples must be a non-negative integer (got ${samples})`);
  if (!Number.isInteger(channels) || channels < 3 || channels > 65535) throw new Error(`channels must be an integer in 3…65535 (got ${channels})`);
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`classes must be a positive integer (got ${classes})`);
  const templates = classTemplates(seed, classes, channels);
  const halfWidth = Math.max(1, Math.round(channels * 0.018));
  const rng = new SeededRandom((seed * 2 + (split === 'train' ? 0 : 1)) >>> 0);

  const labels = new Int32Array(samples);
  const offsets = new Float64Array(samples + 1);
  // Room for the longest utterances up front (band profile sums to ≈ halfWidth + 1 channels at peak rate).
  const perSampleBound = Math.ceil(BANDS * (halfWidth + 1) * peakRateHz * 1.1 + background);
  let times = new Float32Array(Math.max(1024, samples * perSampleBound));
  let units = new Uint16Array(times.length);
  let n = 0;
  const push = (t: number, u: number) => {
    if (n === times.length) {
      const moreTimes = new Float32Array(times.length * 2);
      moreTimes.set(times);
      times = moreTimes;
      const moreUnits = new Uint16Array(units.length * 2);
      moreUnits.set(units);
      units = moreUnits;
    }
    times[n] = t;
    units[n] = u;
    n++;
  };

  for (let i = 0; i < samples; i++) {
    const label = i % classes;
    labels[i] = label;
    const duration = 0.5 + 0.6 * rng.next();
    const onset = 0.02 + 0.13 * rng.next();
    const jitter = templates[label].map(() => (rng.next() - 0.5) * 0.06 * channels);
    const frames = Math.ceil(duration / FRAME_S);
    for (let f = 0; f < frames; f++) {
      const progress = f / frames;
      const t0 = onset + f * FRAME_S;
      templates[label].forEach((band, j) => {
        const centre = band.from + (band.to - band.from) * progress + jitter[j];
        const first = Math.max(0, Math.ceil(centre - halfWidth));
        const last = Math.min(channels - 1, Math.floor(centre + halfWidth));
        for (let c = first; c <= last; c++) {
          const profile = 1 - Math.abs(c - centre) / (halfWidth + 1);
          const k = poisson(rng, peakRateHz * profile * FRAME_S);
          for (let s = 0; s < k; s++) push(t0 + FRAME_S * rng.next(), c);
        }
      });
    }
    for (let s = 0; s < background; s++) push(1.2 * rng.next(), rng.int(channels));
    offsets[i + 1] = n;
  }
  return {
    name: `synthetic-shd(seed ${seed}, ${split})`,
    samples,
    channels,
    classNames: Array.from({ length: classes }, (_, k) => `class ${k}`),
    labels,
    offsets,
    times: times.slice(0, n),
    units: units.slice(0, n),
  };
}
