/**
 * Spike times → time bins → sparse batch tensors.
 *
 * Two binnings, both as the reference (`../shared/reference/snn_reference.py`, `binned`) computes them:
 *
 * - `spytorch`: `np.digitize(t, np.linspace(0, max_time, T))` with the times already float32. digitize
 *   (right=False) returns the number of edges ≤ t, so bin 0 holds only t < 0, a spike at t ≥ max_time gets
 *   T and is dropped. numpy compares the float32 time promoted to float64 with the float64 edges; a JS number
 *   read from a Float32Array is exactly that promoted value, and the edges are built with numpy's own
 *   formula (`i * (max_time / (T − 1))`, last edge set to `max_time`).
 * - `uniform`: `floor(t / (max_time / T))`. numpy (1.x value-based casting and 2.x weak scalars alike)
 *   divides a float32 array by a Python float in float32, so the width and the quotient are rounded to
 *   float32 here too; a time just below max_time may round up to T and be dropped, exactly as there.
 *
 * A spike whose bin falls outside 0…T−1 is dropped and counted; repeated spikes of one channel in one bin
 * add up.
 */
import type { Binning, TrainConfig } from '../../shared/config';
import type { SpikeDataset } from './spikeDataset';

export interface BinSpec {
  nbSteps: number;
  maxTimeS: number;
  binning: Binning;
}

export interface BinnedBatch {
  size: number;
  nbSteps: number;
  channels: number;
  /** Sample indices into the dataset, in batch order. */
  indices: Int32Array;
  labels: Int32Array;
  /** `(b * nbSteps + t) * channels + c` of each non-zero bin, sorted ascending. */
  flat: Int32Array;
  /** Spike count in the bin named by the same position of `flat`. */
  counts: Float32Array;
  /** Spikes that fell outside the time window (or on a unit ≥ channels). */
  dropped: number;
}

/** Whether two binnings put every spike in the same bin. */
export function sameBinSpec(a: BinSpec, b: BinSpec): boolean {
  return a.nbSteps === b.nbSteps && a.maxTimeS === b.maxTimeS && a.binning === b.binning;
}

/** The binning a training config asks for (its data, validation and test sets all use it). */
export function binSpec(config: Pick<TrainConfig, 'nbSteps' | 'maxTimeS' | 'binning'>): BinSpec {
  return { nbSteps: config.nbSteps, maxTimeS: config.maxTimeS, binning: config.binning };
}

/** numpy.linspace(0, maxTimeS, nbSteps) in float64, computed the way numpy 1.24 computes it. */
export function linspaceEdges(maxTimeS: number, nbSteps: number): Float64Array {
  const edges = new Float64Array(nbSteps);
  const div = nbSteps - 1;
  if (div <= 0) return edges; // numpy: [0 * delta] + 0
  const step = maxTimeS / div;
  for (let i = 0; i < nbSteps; i++) edges[i] = step === 0 ? (i / div) * maxTimeS : i * step;
  edges[div] = maxTimeS;
  return edges;
}

/**
 * When each time step's bin ends (s): by then the network has taken in that step's input, so a value computed at
 * step t (a readout, a class probability) belongs at this time on a plot with a time axis. `uniform`: bin t is
 * [t·w, (t+1)·w) with w = max_time/T. `spytorch`: bin t ≥ 1 is [edge t−1, edge t) of linspace(0, max_time, T), and
 * bin 0 holds only times below 0, so it ends at 0.
 */
export function binEndTimes(spec: BinSpec): Float64Array {
  checkBinSpec(spec);
  const T = spec.nbSteps;
  if (spec.binning === 'uniform') return Float64Array.from({ length: T }, (_, t) => ((t + 1) * spec.maxTimeS) / T);
  return linspaceEdges(spec.maxTimeS, T);
}

/** Bin lookup prepared once per spec, so the per-spike work is a multiply and at most a few compares. */
export interface Binner {
  spec: BinSpec;
  /** Bin of one time in seconds, or −1 when the spike is dropped. */
  bin(timeS: number): number;
}

export function checkBinSpec(spec: BinSpec): void {
  if (!Number.isInteger(spec.nbSteps) || spec.nbSteps < 1) throw new Error(`nbSteps must be a positive integer (got ${spec.nbSteps})`);
  if (!(spec.maxTimeS > 0) || !Number.isFinite(spec.maxTimeS)) throw new Error(`maxTimeS must be a finite number > 0 (got ${spec.maxTimeS})`);
  if (spec.binning !== 'spytorch' && spec.binning !== 'uniform') throw new Error(`unknown binning "${String(spec.binning)}"`);
}

export function makeBinner(spec: BinSpec): Binner {
  checkBinSpec(spec);
  const T = spec.nbSteps;
  if (spec.binning === 'uniform') {
    const width = Math.fround(spec.maxTimeS / T);
    return {
      spec,
      bin(t: number): number {
        // Quotient rounded to float32 as numpy does for float32 / python float.
        const b = Math.floor(Math.fround(t / width));
        return b >= 0 && b < T ? b : -1;
      },
    };
  }
  const edges = linspaceEdges(spec.maxTimeS, T);
  const step = T > 1 ? spec.maxTimeS / (T - 1) : Infinity;
  return {
    spec,
    bin(t: number): number {
      // numpy: a time below the first edge (0) gets bin 0 and is kept; NaN sorts after every edge
      // (index T) and is dropped. The reader refuses both, but binIndex stays exact for any input.
      if (t < 0) return 0;
      if (Number.isNaN(t)) return -1;
      // Guess the count of edges ≤ t, then correct it against the exact edges.
      let k = step === Infinity ? 1 : Math.floor(t / step) + 1;
      if (k > T) k = T;
      if (k < 0) k = 0;
      while (k > 0 && edges[k - 1] > t) k--;
      while (k < T && edges[k] <= t) k++;
      // k = number of edges ≤ t = np.digitize(t, edges); 0 is only reachable for t < 0.
      return k < T ? k : -1;
    },
  };
}

/** One spike time → its bin, or −1 when dropped. Prefer {@link makeBinner} in loops. */
export function binIndex(timeS: number, spec: BinSpec): number {
  return makeBinner(spec).bin(timeS);
}

/**
 * Bins the spikes of the given samples into one sparse batch. Work and memory are proportional to the
 * spikes of the batch (plus one reusable T×C scratch), so the trainer can make each batch only when needed.
 */
export function binBatch(ds: SpikeDataset, sampleIndices: ArrayLike<number>, spec: BinSpec): BinnedBatch {
  checkBinSpec(spec);
  const B = sampleIndices.length;
  const T = spec.nbSteps;
  const C = ds.channels;
  const perSample = T * C;
  if (B * perSample > 2 ** 31 - 1) {
    throw new Error(`batch of ${B} × ${T} steps × ${C} channels exceeds the int32 index range; use a smaller batch or fewer steps`);
  }
  const indices = new Int32Array(B);
  const labels = new Int32Array(B);
  let spikesInBatch = 0;
  for (let b = 0; b < B; b++) {
    const i = sampleIndices[b];
    if (!Number.isInteger(i) || i < 0 || i >= ds.samples) throw new Error(`${ds.name}: sample index ${i} out of range 0…${ds.samples - 1}`);
    indices[b] = i;
    labels[b] = ds.labels[i];
    spikesInBatch += ds.offsets[i + 1] - ds.offsets[i];
  }

  // Upper bound on non-zero bins is the spike count; trimmed at the end.
  const flat = new Int32Array(spikesInBatch);
  const counts = new Float32Array(spikesInBatch);
  const scratch = new Int32Array(perSample);
  const maxTouched = Math.min(perSample, maxSpikesPerSample(ds, indices));
  const touched = new Int32Array(maxTouched);
  const words = Math.ceil(perSample / 32);
  const bits = new Int32Array(words);
  let n = 0;
  let dropped = 0;
  const { times, units, offsets } = ds;
  const uniform = spec.binning === 'uniform';
  const width = Math.fround(spec.maxTimeS / T);
  const edges = linspaceEdges(spec.maxTimeS, T);
  const step = T > 1 ? spec.maxTimeS / (T - 1) : 0;
  for (let b = 0; b < B; b++) {
    const i = indices[b];
    // Small-integer loop bounds keep V8 on its fast typed-array path (offsets are float64); a typed array
    // cannot hold 2^31 spikes here anyway.
    const start = offsets[i] | 0;
    const end = offsets[i + 1] | 0;
    let nTouched = 0;
    for (let s = start; s < end; s++) {
      // The two binnings of makeBinner, inlined: a call per spike costs more than the binning itself.
      const time = times[s];
      let t: number;
      if (uniform) {
        t = Math.floor(Math.fround(time / width));
        if (!(t >= 0 && t < T)) t = -1;
      } else if (time >= 0) {
        t = step > 0 ? Math.floor(time / step) + 1 : 1;
        if (t > T) t = T;
        while (t > 0 && edges[t - 1] > time) t--;
        while (t < T && edges[t] <= time) t++;
        if (t >= T) t = -1;
      } else {
        t = time < 0 ? 0 : -1; // below the first edge → bin 0 (digitize); NaN → dropped
      }
      const c = units[s];
      if (t < 0 || c >= C) {
        dropped++;
        continue;
      }
      const key = t * C + c;
      if (scratch[key] === 0) {
        touched[nTouched++] = key;
        bits[key >>> 5] |= 1 << (key & 31);
      }
      scratch[key]++;
    }
    const base = b * perSample;
    // Emit the touched bins in ascending key order. A sample that touches a fair part of its T×C grid
    // (SHD: ~9k of 70k bins) is read back through the bitmap of touched bins, 32 bins a word (a comparison
    // sort of its keys costs twice the whole binning); a sparse one sorts its few keys.
    if (nTouched * 8 < words) {
      const keys = touched.subarray(0, nTouched).sort();
      for (let k = 0; k < nTouched; k++) {
        const key = keys[k];
        flat[n] = base + key;
        counts[n] = scratch[key];
        scratch[key] = 0;
        bits[key >>> 5] = 0;
        n++;
      }
    } else {
      for (let w = 0; w < words; w++) {
        let word = bits[w];
        if (word === 0) continue;
        bits[w] = 0;
        while (word !== 0) {
          const low = word & -word;
          const key = (w << 5) | (31 - Math.clz32(low));
          flat[n] = base + key;
          counts[n] = scratch[key];
          scratch[key] = 0;
          n++;
          word ^= low;
        }
      }
    }
  }
  return {
    size: B,
    nbSteps: T,
    channels: C,
    indices,
    labels,
    flat: flat.slice(0, n),
    counts: counts.slice(0, n),
    dropped,
  };
}

function maxSpikesPerSample(ds: SpikeDataset, indices: Int32Array): number {
  let m = 0;
  for (const i of indices) m = Math.max(m, ds.offsets[i + 1] - ds.offsets[i]);
  return m;
}

/** The batch as a dense row-major [B, T, C] float32 array (what the reference's `binned` returns). */
export function toDense(batch: BinnedBatch): Float32Array {
  const x = new Float32Array(batch.size * batch.nbSteps * batch.channels);
  for (let k = 0; k < batch.flat.length; k++) x[batch.flat[k]] = batch.counts[k];
  return x;
}
