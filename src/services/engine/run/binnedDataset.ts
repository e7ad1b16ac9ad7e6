/**
 * A dataset binned once, kept as its non-zero bins per sample, so that every epoch assembles its batches
 * by copying instead of binning millions of spike times again (binning SHD's train set takes seconds; the
 * binned form of it is ≈ 32 M non-zero bins, 6 bytes each). Binning itself is binning.ts's, applied to
 * chunks of samples, so the bins are exactly those binBatch makes.
 */
import { openSync, readSync } from 'node:fs';
import type { BinCache } from '../../data/binCache';
import { binBatch, type BinnedBatch, type BinSpec } from '../../data/binning';
import type { SpikeDataset } from '../../data/spikeDataset';

export interface BinnedDataset {
  spec: BinSpec;
  name: string;
  samples: number;
  channels: number;
  labels: Int32Array;
  /** Non-zero bins of sample i are keys/counts[offsets[i] … offsets[i+1]). */
  offsets: Float64Array;
  /** t·channels + c, ascending within a sample. */
  keys: Int32Array;
  counts: Uint16Array;
  /** Spikes outside the time window, over the whole dataset. */
  dropped: number;
  /**
   * Bins kept on disk instead (binCache.ts): sample rows are read per batch, and offsets/keys/counts are empty.
   * Plain data (a path and two arrays), so a worker thread given this dataset reads the same file itself.
   */
  disk?: { path: string; pos: Float64Array; count: Uint32Array };
  /** A view: sample j of this dataset is row rows[j] of the bins above (labels are the view's own). */
  rows?: Int32Array;
}

/** A file's bin cache as a dataset of `channels` input channels (nothing is read until a batch asks). */
export function cachedBins(cache: BinCache, index: { name: string; channels: number; labels: Int32Array }): BinnedDataset {
  return {
    spec: cache.spec,
    name: index.name,
    samples: cache.pos.length,
    channels: index.channels,
    labels: index.labels,
    offsets: new Float64Array(1),
    keys: new Int32Array(0),
    counts: new Uint16Array(0),
    dropped: cache.dropped,
    disk: { path: cache.path, pos: cache.pos, count: cache.count },
  };
}

/** The samples `rows` of `bd` (in that order) as a dataset of their own, sharing the bins (no copy). */
export function viewOf(bd: BinnedDataset, rows: ArrayLike<number>, name = bd.name): BinnedDataset {
  const own = Int32Array.from(rows, (j) => {
    if (!Number.isInteger(j) || j < 0 || j >= bd.samples) throw new Error(`${bd.name}: sample index ${j} out of range 0…${bd.samples - 1}`);
    return bd.rows ? bd.rows[j] : j;
  });
  const labels = Int32Array.from(rows, (j) => bd.labels[j]);
  return { ...bd, name, samples: own.length, labels, rows: own };
}

const openFiles = new Map<string, number>();
let scratch = Buffer.alloc(1 << 16);

/** Reads one sample's record (its keys and counts) from a bin cache into the shared scratch buffer. */
function readRecord(path: string, at: number, n: number): { keys: Uint32Array; counts: Uint16Array } {
  let fd = openFiles.get(path);
  if (fd === undefined) {
    fd = openSync(path, 'r');
    openFiles.set(path, fd);
  }
  const bytes = Math.ceil((6 * n) / 4) * 4;
  if (scratch.length < bytes) scratch = Buffer.alloc(Math.max(bytes, 2 * scratch.length));
  let done = 0;
  while (done < bytes) {
    const got = readSync(fd, scratch, done, bytes - done, at + done);
    if (got === 0) throw new Error(`${path}: bin cache ends inside a record (at byte ${at + done}); delete it to rebuild`);
    done += got;
  }
  return { keys: new Uint32Array(scratch.buffer, scratch.byteOffset, n), counts: new Uint16Array(scratch.buffer, scratch.byteOffset + 4 * n, n) };
}

function diskBatchOf(bd: BinnedDataset, disk: NonNullable<BinnedDataset['disk']>, sampleIndices: ArrayLike<number>): BinnedBatch {
  const B = sampleIndices.length;
  const C = bd.channels;
  const perSample = bd.spec.nbSteps * C;
  const rowOf = new Int32Array(B);
  let n = 0;
  for (let b = 0; b < B; b++) {
    const i = sampleIndices[b];
    if (!Number.isInteger(i) || i < 0 || i >= bd.samples) throw new Error(`${bd.name}: sample index ${i} out of range 0…${bd.samples - 1}`);
    rowOf[b] = bd.rows ? bd.rows[i] : i;
    n += disk.count[rowOf[b]];
  }
  const flat = new Int32Array(n);
  const counts = new Float32Array(n);
  const indices = Int32Array.from(sampleIndices);
  const labels = new Int32Array(B);
  let k = 0;
  for (let b = 0; b < B; b++) {
    labels[b] = bd.labels[indices[b]];
    const row = rowOf[b];
    const rec = readRecord(disk.path, disk.pos[row], disk.count[row]);
    const base = b * perSample;
    for (let q = 0; q < rec.keys.length; q++, k++) {
      const key = rec.keys[q];
      flat[k] = base + (key >>> 16) * C + (key & 0xffff);
      counts[k] = rec.counts[q];
    }
  }
  return { size: B, nbSteps: bd.spec.nbSteps, channels: C, indices, labels, flat, counts, dropped: 0 };
}

const CHUNK = 256;

/**
 * `shared`: keys and counts live in SharedArrayBuffers, so that worker threads (workerPool.ts) read the
 * same memory instead of a copy each.
 */
export function binDataset(ds: SpikeDataset, spec: BinSpec, { shared = false }: { shared?: boolean } = {}): BinnedDataset {
  const perSample = spec.nbSteps * ds.channels;
  const offsets = new Float64Array(ds.samples + 1);
  const parts: { keys: Int32Array; counts: Uint16Array }[] = [];
  let total = 0;
  let dropped = 0;
  for (let start = 0; start < ds.samples; start += CHUNK) {
    const end = Math.min(ds.samples, start + CHUNK);
    const indices = Int32Array.from({ length: end - start }, (_, k) => start + k);
    const batch = binBatch(ds, indices, spec);
    dropped += batch.dropped;
    const keys = new Int32Array(batch.flat.length);
    const counts = new Uint16Array(batch.flat.length);
    let b = 0;
    for (let k = 0; k < batch.flat.length; k++) {
      const f = batch.flat[k];
      while (f >= (b + 1) * perSample) offsets[start + ++b] = total + k;
      keys[k] = f - b * perSample;
      const c = batch.counts[k];
      if (c > 65535) throw new Error(`${ds.name}: sample ${start + b} has ${c} spikes in one bin of one channel`);
      counts[k] = c;
    }
    while (b < end - start) offsets[start + ++b] = total + batch.flat.length;
    total += batch.flat.length;
    parts.push({ keys, counts });
  }
  const keys = shared ? new Int32Array(new SharedArrayBuffer(total * 4)) : new Int32Array(total);
  const counts = shared ? new Uint16Array(new SharedArrayBuffer(total * 2)) : new Uint16Array(total);
  let at = 0;
  for (const p of parts) {
    keys.set(p.keys, at);
    counts.set(p.counts, at);
    at += p.keys.length;
  }
  return { spec, name: ds.name, samples: ds.samples, channels: ds.channels, labels: ds.labels, offsets, keys, counts, dropped };
}

/** The batch of the given samples, as binBatch would return it. */
export function batchOf(bd: BinnedDataset, sampleIndices: ArrayLike<number>): BinnedBatch {
  if (bd.disk) return diskBatchOf(bd, bd.disk, sampleIndices);
  const B = sampleIndices.length;
  const perSample = bd.spec.nbSteps * bd.channels;
  let n = 0;
  for (let b = 0; b < B; b++) {
    const i = sampleIndices[b];
    if (!Number.isInteger(i) || i < 0 || i >= bd.samples) throw new Error(`${bd.name}: sample index ${i} out of range 0…${bd.samples - 1}`);
    const row = bd.rows ? bd.rows[i] : i;
    n += bd.offsets[row + 1] - bd.offsets[row];
  }
  const flat = new Int32Array(n);
  const counts = new Float32Array(n);
  const indices = new Int32Array(B);
  const labels = new Int32Array(B);
  let k = 0;
  for (let b = 0; b < B; b++) {
    const i = sampleIndices[b];
    indices[b] = i;
    labels[b] = bd.labels[i];
    const base = b * perSample;
    const row = bd.rows ? bd.rows[i] : i;
    for (let s = bd.offsets[row], end = bd.offsets[row + 1]; s < end; s++, k++) {
      flat[k] = base + bd.keys[s];
      counts[k] = bd.counts[s];
    }
  }
  // Dropped spikes are a property of the dataset here; per batch they are not tracked.
  return { size: B, nbSteps: bd.spec.nbSteps, channels: bd.channels, indices, labels, flat, counts, dropped: 0 };
}
