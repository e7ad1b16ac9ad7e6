/**
 * A built-in, generated stand-in for SHD so a new user can train and see every plot with no download: 20
 * classes of spoken-digit-like spike patterns on SHD's 700 channels over about one second (all times < 1.4 s).
 *
 * Each class is a fixed "word": three formant bands, each a ridge of spikes whose centre channel glides from
 * c₀ to c₁ (with a bend) between onset t₀ and t₀ + d, Gaussian across channels (σ channels) and denser in the
 * middle of the band than at its ends. Each sample is one "utterance" of its class's word:
 *   - the whole word shifted in time (±30 ms s.d.), stretched (×0.85…1.15) and shifted in pitch (±8 channels s.d.),
 *   - every spike jittered in time (3 ms s.d.),
 *   - 15 % of the spikes dropped, and ~120 noise spikes added uniformly over channels and 0…1.4 s.
 * That is ~1.3 k spikes per sample (SHD has ~8 k): light enough to train in seconds, hard enough that the
 * timing matters. Templates depend on the seed only, so train and test share the words; the utterances of
 * each split come from their own stream, so the splits never share a sample.
 */
import { SeededRandom } from '../random/seededRandom';
import type { SpikeDataset } from './spikeDataset';

export const DEMO_CLASSES = 20;
export const DEMO_CHANNELS = 700;
/** Spikes at or after this time never occur (SHD's default max_time). */
export const DEMO_MAX_TIME_S = 1.4;
export const DEMO_DEFAULT_SAMPLES: Readonly<Record<DemoSplit, number>> = Object.freeze({ train: 800, test: 200 });

export type DemoSplit = 'train' | 'test';

export interface DemoOptions {
  seed?: number;
  /** Default 800 for train, 200 for test. */
  samples?: number;
  split?: DemoSplit;
}

interface Band {
  c0: number;
  c1: number;
  bend: number;
  t0S: number;
  durS: number;
  sigmaCh: number;
  /** Expected spikes over the band's duration. */
  spikes: number;
}

const BANDS_PER_CLASS = 3;
const SHAPE_POOL = 8;
const SPIKES_PER_BAND_PER_S = 2200;
const DROP_P = 0.15;
const NOISE_SPIKES = 120;
const TIME_SHIFT_SD_S = 0.03;
const PITCH_SHIFT_SD_CH = 8;
const JITTER_SD_S = 0.003;

/**
 * Words are built from a shared pool of formant shapes (as digits share phonemes), each class taking three
 * different shapes at its own onsets: telling classes apart needs which shapes occur and when.
 */
function classTemplates(seed: number): Band[][] {
  const rng = new SeededRandom((seed ^ 0x5eed_d1c7) >>> 0);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  const pool = Array.from({ length: SHAPE_POOL }, () => {
    const c0 = u(60, 640);
    return { c0, c1: Math.min(680, Math.max(20, c0 + u(-220, 220))), bend: u(-80, 80), sigmaCh: u(5, 14) };
  });
  const classes: Band[][] = [];
  for (let k = 0; k < DEMO_CLASSES; k++) {
    const shapes = rng.permutation(SHAPE_POOL).subarray(0, BANDS_PER_CLASS);
    const bands: Band[] = [];
    for (const s of shapes) {
      const durS = u(0.2, 0.55);
      bands.push({ ...pool[s], t0S: u(0.05, 0.55), durS, spikes: SPIKES_PER_BAND_PER_S * durS * u(0.6, 1) });
    }
    classes.push(bands);
  }
  return classes;
}

/** Growable pair of typed arrays, so the generator allocates O(log n) times. */
class SpikeBuffer {
  times = new Float32Array(1 << 16);
  units = new Uint16Array(1 << 16);
  length = 0;

  push(t: number, c: number): void {
    if (this.length === this.times.length) {
      const times = new Float32Array(this.length * 2);
      const units = new Uint16Array(this.length * 2);
      times.set(this.times);
      units.set(this.units);
      this.times = times;
      this.units = units;
    }
    this.times[this.length] = t;
    this.units[this.length] = c;
    this.length++;
  }
}

/** Appends one utterance of `bands` to `out`, sorted by time like SHD's samples. */
function utterance(bands: Band[], rng: SeededRandom, scratch: SpikeBuffer, out: SpikeBuffer): void {
  scratch.length = 0;
  const shiftS = rng.normal() * TIME_SHIFT_SD_S;
  const stretch = 0.85 + 0.3 * rng.next();
  const pitch = rng.normal() * PITCH_SHIFT_SD_CH;
  const emit = (t: number, c: number) => {
    const ci = Math.round(c);
    // `t + 0` turns −0 into +0, whose float32 bits sort first (see the sort below).
    if (t >= 0 && t < DEMO_MAX_TIME_S && ci >= 0 && ci < DEMO_CHANNELS) scratch.push(t + 0, ci);
  };
  for (const band of bands) {
    const n = Math.max(0, Math.round(band.spikes * stretch + rng.normal() * Math.sqrt(band.spikes)));
    for (let i = 0; i < n; i++) {
      if (rng.next() < DROP_P) continue;
      // Triangular position along the band: a soft onset and offset instead of a hard-edged block.
      const x = 0.5 * (rng.next() + rng.next());
      const centre = band.c0 + (band.c1 - band.c0) * x + 4 * band.bend * x * (1 - x) + pitch;
      const t = shiftS + (band.t0S + band.durS * x) * stretch + rng.normal() * JITTER_SD_S;
      emit(t, centre + rng.normal() * band.sigmaCh);
    }
  }
  for (let i = 0; i < NOISE_SPIKES; i++) emit(rng.next() * DEMO_MAX_TIME_S, rng.int(DEMO_CHANNELS));

  // Sort by time through one native numeric sort. The bits of a non-negative float32 order like its value,
  // so key = bits · 2¹⁶ + index is exact in a double (bits < 2³⁰ for times < 1.4 s) and unique.
  const n = scratch.length;
  if (n >= 1 << 16) throw new Error(`demo dataset: ${n} spikes in one sample exceed the generator's limit`);
  const bits = new Uint32Array(scratch.times.buffer, 0, n);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = bits[i] * 65536 + i;
  keys.sort();
  for (let i = 0; i < n; i++) {
    const j = keys[i] % 65536;
    out.push(scratch.times[j], scratch.units[j]);
  }
}

/** The demo set of one split; same options → identical arrays. */
export function makeDemoDataset(opts: DemoOptions = {}): SpikeDataset {
  const seed = opts.seed ?? 0;
  const split = opts.split ?? 'train';
  const samples = opts.samples ?? DEMO_DEFAULT_SAMPLES[split];
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`demo dataset: samples must be a positive integer (got ${samples})`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new Error(`demo dataset: seed must be an integer in 0…2³²−1 (got ${seed})`);

  const templates = classTemplates(seed);
  // Distinct streams per split: the seed mixed with a split constant.
  const rng = new SeededRandom((Math.imul(seed, 0x9e37_79b1) ^ (split === 'train' ? 0x7a1_9e5 : 0x7e57_0b5)) >>> 0);
  const labels = new Int32Array(samples);
  for (let i = 0; i < samples; i++) labels[i] = i % DEMO_CLASSES;
  const perm = rng.permutation(samples);
  const shuffled = new Int32Array(samples);
  for (let i = 0; i < samples; i++) shuffled[i] = labels[perm[i]];

  const offsets = new Float64Array(samples + 1);
  const out = new SpikeBuffer();
  const scratch = new SpikeBuffer();
  for (let i = 0; i < samples; i++) {
    utterance(templates[shuffled[i]], rng, scratch, out);
    offsets[i + 1] = out.length;
  }
  return {
    name: 'demo',
    samples,
    channels: DEMO_CHANNELS,
    classNames: Array.from({ length: DEMO_CLASSES }, (_, k) => `demo-${k}`),
    labels: shuffled,
    offsets,
    times: out.times.slice(0, out.length),
    units: out.units.slice(0, out.length),
  };
}
