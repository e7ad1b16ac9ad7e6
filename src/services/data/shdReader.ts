/**
 * SHD-layout HDF5 → {@link SpikeDataset}, validated.
 *
 * Layout (Cramer et al., "The Heidelberg Spiking Data Sets", 2020):
 *   spikes/times   N × vlen float16 (or float32/float64), seconds
 *   spikes/units   N × vlen uint16 (any integer width accepted), input channel of each spike
 *   labels         N integers (any width)
 *   extra/keys     class names, fixed or variable-length strings (optional: else classes = max label + 1)
 *   extra/speaker  N integers (optional); extra/meta_info (optional, not read)
 *   extra/encoder  JSON, written by `encode` (optional): its "speakers" name the speaker ids
 *
 * The channel count comes from the data (max unit + 1) unless the caller knows better (`channels`, e.g. 700
 * for SHD when a file's units do not reach the top channel); classes come from extra/keys. Nothing is
 * hard-coded to SHD's 700 channels or 20 classes.
 *
 * Memory: two passes over the samples in chunks of about {@link CHUNK_SPIKES} spikes. The first reads
 * the units only to learn each sample's length, so the compressed-row arrays are allocated once at their
 * exact size (no growing, no concatenation); the second fills them. Peak memory is the final arrays
 * (6 bytes a spike) plus one chunk in the wasm heap.
 */
import { constants as bufferConstants } from 'node:buffer';
import { totalmem } from 'node:os';
import type { Dataset } from 'h5wasm/node';
import { halfBitsToFloat, halfTable } from './float16';
import {
  H5T,
  SpikeFileError,
  findDataset,
  oneDimensional,
  readVlenRange,
  withHdf5File,
  type H5File,
  type H5Module,
} from './hdf5Access';
import type { SpikeDataset } from './spikeDataset';

export { SpikeFileError } from './hdf5Access';
export { summarize, type DatasetSummary } from './datasetSummary';
import { SpikeStats, type DatasetSummary } from './datasetSummary';

/** {@link summarize} of a file, read once in chunks: memory is one chunk whatever the file size (`info`). */
export async function summarizeFile(file: string, opts: ReadSpikeOptions = {}): Promise<DatasetSummary> {
  const stats = new SpikeStats();
  const index = await scanSpikeFile(file, opts, (c) => stats.add(c.offsets, c.count, c.times));
  return stats.finish(index);
}

export const TIMES = 'spikes/times';
export const UNITS = 'spikes/units';
export const LABELS = 'labels';
export const KEYS = 'extra/keys';
export const SPEAKER = 'extra/speaker';
export const ENCODER = 'extra/encoder';

/** Spikes per read; keeps the wasm heap to a few MB per chunk whatever the file size. */
export const CHUNK_SPIKES = 1 << 21;
const MAX_UNITS = 65536; // units are held as uint16
/** Elements of the largest Float32Array this Node can allocate. */
const MAX_TYPED_LENGTH = Math.floor(bufferConstants.MAX_LENGTH / 4);

export interface ReadSpikeOptions {
  /** Input channel count when the file's units do not reach the top channel; every unit must be below it. */
  channels?: number;
}

export async function readSpikeFile(file: string, opts: ReadSpikeOptions = {}): Promise<SpikeDataset> {
  if (opts.channels !== undefined && (!Number.isInteger(opts.channels) || opts.channels < 1 || opts.channels > MAX_UNITS)) {
    throw new Error(`channels must be an integer in 1…${MAX_UNITS} (got ${opts.channels})`);
  }
  return withHdf5File(file, (f, M) => readLayout(file, f, M, opts.channels));
}

function required(file: string, f: H5File, path: string): Dataset {
  const ds = findDataset(f, path);
  if (!ds) throw new SpikeFileError(file, 'missing (an SHD-layout file has spikes/times, spikes/units and labels)', path);
  return ds;
}

type NumericArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | BigInt64Array | BigUint64Array;

/** A typed view on the wasm heap, or a copy when HDF5's buffer is not aligned for it. */
function heapView<T extends ArrayBufferView>(
  M: H5Module,
  Ctor: { new (buffer: ArrayBufferLike, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number },
  ptr: number,
  length: number,
): T {
  if (ptr % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(M.HEAPU8.buffer, ptr, length);
  const copy = M.HEAPU8.slice(ptr, ptr + length * Ctor.BYTES_PER_ELEMENT);
  return new Ctor(copy.buffer, 0, length);
}

/** One sample's integers of the given width as a typed view (or aligned copy) of the wasm heap. */
function integerView(M: H5Module, size: number, signed: boolean, ptr: number, length: number): NumericArray | null {
  switch (size) {
    case 1:
      return signed ? heapView(M, Int8Array, ptr, length) : heapView(M, Uint8Array, ptr, length);
    case 2:
      return signed ? heapView(M, Int16Array, ptr, length) : heapView(M, Uint16Array, ptr, length);
    case 4:
      return signed ? heapView(M, Int32Array, ptr, length) : heapView(M, Uint32Array, ptr, length);
    case 8:
      return signed ? heapView(M, BigInt64Array, ptr, length) : heapView(M, BigUint64Array, ptr, length);
    default:
      return null;
  }
}

/** A 1-D integer dataset of `n` entries as numbers (labels, speakers). */
function readIntegers(file: string, path: string, ds: Dataset, n: number, what: string): Int32Array {
  const md = oneDimensional(file, path, ds);
  if (md.type !== H5T.INTEGER) throw new SpikeFileError(file, `${what} must be integers (found HDF5 type class ${md.type})`, path);
  if (md.length !== n) throw new SpikeFileError(file, `has ${md.length} ${what} for ${n} samples`, path);
  const raw = ds.value as NumericArray;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(raw[i]);
    if (v < 0 || v > 2 ** 31 - 1) throw new SpikeFileError(file, `${what === 'labels' ? 'label' : 'value'} ${v} out of range`, path, i);
    out[i] = v;
  }
  return out;
}

function readClassNames(file: string, f: H5File): string[] | null {
  const ds = findDataset(f, KEYS);
  if (!ds) return null;
  const md = oneDimensional(file, KEYS, ds);
  if (md.type !== H5T.STRING && md.type !== H5T.INTEGER) {
    throw new SpikeFileError(file, `class names must be strings (found HDF5 type class ${md.type})`, KEYS);
  }
  if (md.length === 0) return [];
  const v = ds.value;
  // Strings come back as string[]; integer "names" (a file that numbers its classes) as a typed array.
  const values: unknown[] = Array.isArray(v) ? v : ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number | bigint>) : [v];
  return values.map((x) => String(x));
}

interface VlenLayout {
  samples: number;
  baseSize: number;
  baseSigned: boolean;
}

function vlenLayout(file: string, path: string, ds: Dataset, baseClass: number, sizes: number[], what: string): VlenLayout {
  const md = oneDimensional(file, path, ds);
  const base = md.vlen_type;
  if (md.type !== H5T.VLEN || !base || base.type !== baseClass || !sizes.includes(base.size)) {
    const found = md.type === H5T.VLEN && base ? `vlen of type class ${base.type}, ${base.size} bytes` : `type class ${md.type}, ${md.size} bytes`;
    throw new SpikeFileError(file, `expected variable-length ${what} per sample, found ${found}`, path);
  }
  return { samples: md.length, baseSize: base.size, baseSigned: base.signed };
}

/** What a file holds besides its spikes: sample count, labels, class names, speakers (read in full; small). */
export interface SpikeFileIndex {
  name: string;
  samples: number;
  classNames: string[];
  labels: Int32Array;
  speakers?: Int32Array;
  /** Speaker names by id, where the file records them (`encode` writes them into extra/encoder). */
  speakerNames?: string[];
}

interface FileLayout extends SpikeFileIndex {
  tl: VlenLayout;
  ul: VlenLayout;
}

function readIndexParts(file: string, f: H5File): FileLayout {
  const timesDs = required(file, f, TIMES);
  const unitsDs = required(file, f, UNITS);
  const labelsDs = required(file, f, LABELS);
  const tl = vlenLayout(file, TIMES, timesDs, H5T.FLOAT, [2, 4, 8], 'float times');
  const ul = vlenLayout(file, UNITS, unitsDs, H5T.INTEGER, [1, 2, 4, 8], 'integer units');
  if (tl.samples !== ul.samples) {
    throw new SpikeFileError(file, `has ${ul.samples} samples but ${TIMES} has ${tl.samples}`, UNITS);
  }
  const samples = tl.samples;
  if (samples === 0) throw new SpikeFileError(file, 'holds no samples', TIMES);
  const labels = readIntegers(file, LABELS, labelsDs, samples, 'labels');

  const keys = readClassNames(file, f);
  let maxLabel = -1;
  for (let i = 0; i < samples; i++) maxLabel = Math.max(maxLabel, labels[i]);
  const classNames = keys ?? Array.from({ length: maxLabel + 1 }, (_, k) => String(k));
  for (let i = 0; i < samples; i++) {
    if (labels[i] >= classNames.length) {
      throw new SpikeFileError(file, `label ${labels[i]} ≥ number of classes ${classNames.length} (the names in ${KEYS})`, LABELS, i);
    }
  }
  const speakerDs = findDataset(f, SPEAKER);
  const speakers = speakerDs ? readIntegers(file, SPEAKER, speakerDs, samples, 'speaker ids') : undefined;
  const speakerNames = speakers ? readSpeakerNames(f, speakers) : undefined;
  return { name: file, samples, classNames, labels, ...(speakers ? { speakers } : {}), ...(speakerNames ? { speakerNames } : {}), tl, ul };
}

/**
 * The speaker names `encode` recorded in extra/encoder, when they name every id in extra/speaker. They only
 * serve to tell whether two files number their speakers alike (services/sessions/dataMatch.ts), so a record that
 * is not JSON or lacks them is passed over: the file trains as any SHD-layout file does.
 */
function readSpeakerNames(f: H5File, speakers: Int32Array): string[] | undefined {
  const ds = findDataset(f, ENCODER);
  if (!ds) return undefined;
  const raw = Array.isArray(ds.value) ? ds.value[0] : ds.value;
  if (typeof raw !== 'string') return undefined;
  let names: unknown;
  try {
    names = (JSON.parse(raw.replace(/\0+$/, '')) as { speakers?: unknown }).speakers;
  } catch {
    return undefined;
  }
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return undefined;
  for (const id of speakers) if (id >= names.length) return undefined;
  return names as string[];
}

/** The file's {@link SpikeFileIndex}, reading no spike (fast at any size). */
export async function readSpikeIndex(file: string): Promise<SpikeFileIndex> {
  return withHdf5File(file, (f) => {
    const { tl: _t, ul: _u, ...index } = readIndexParts(file, f);
    return index;
  });
}

/** One chunk of consecutive samples: sample start + j has spikes times/units[offsets[j] … offsets[j+1]). */
export interface SpikeChunk {
  start: number;
  count: number;
  offsets: Float64Array;
  times: Float32Array;
  units: Uint16Array;
}

/**
 * Reads every spike once, in chunks of consecutive samples of about {@link CHUNK_SPIKES} spikes, and hands each
 * chunk to `visit` (validated as readSpikeFile validates); memory holds one chunk whatever the file size.
 * Returns the index with the channel count (max unit + 1 unless `channels` is given) and the spike total.
 */
export async function scanSpikeFile(
  file: string,
  opts: ReadSpikeOptions,
  visit: (chunk: SpikeChunk, index: SpikeFileIndex) => void,
): Promise<SpikeFileIndex & { channels: number; spikes: number }> {
  return withHdf5File(file, (f, M) => {
    const { tl, ul, ...index } = readIndexParts(file, f);
    let times = new Float32Array(CHUNK_SPIKES);
    let units = new Uint16Array(CHUNK_SPIKES);
    let maxUnit = -1;
    let spikes = 0;
    let chunk = 64;
    for (let start = 0; start < index.samples; ) {
      const count = Math.min(chunk, index.samples - start);
      const offsets = new Float64Array(count + 1);
      readVlenRange(M, f, file, TIMES, start, count, (i, ptr, length) => {
        const j = i - start;
        offsets[j + 1] = offsets[j] + length;
        if (offsets[j + 1] > times.length) {
          const grown = new Float32Array(Math.max(offsets[j + 1], 2 * times.length));
          grown.set(times.subarray(0, offsets[j]));
          times = grown;
          units = new Uint16Array(grown.length);
        }
        copyTimes(M, file, i, ptr, length, tl.baseSize, times.subarray(offsets[j], offsets[j + 1]));
      });
      readVlenRange(M, f, file, UNITS, start, count, (i, ptr, length) => {
        const j = i - start;
        const expected = offsets[j + 1] - offsets[j];
        if (length !== expected) throw new SpikeFileError(file, `${expected} spike times but ${length} units`, UNITS, i);
        const m = copyUnits(M, file, i, ptr, length, ul, units.subarray(offsets[j], offsets[j + 1]), opts.channels);
        if (m > maxUnit) maxUnit = m;
      });
      const n = offsets[count];
      visit({ start, count, offsets, times: times.subarray(0, n), units: units.subarray(0, n) }, index);
      spikes += n;
      start += count;
      chunk = Math.max(1, Math.min(65536, Math.floor(CHUNK_SPIKES / Math.max(1, n / count))));
    }
    let channels = opts.channels;
    if (channels === undefined) {
      if (maxUnit < 0) throw new SpikeFileError(file, 'no spikes at all, so the channel count cannot be inferred; pass channels', UNITS);
      channels = maxUnit + 1;
    }
    return { ...index, channels, spikes };
  });
}

function readLayout(file: string, f: H5File, M: H5Module, channelsOpt: number | undefined): SpikeDataset {
  const { samples, labels, classNames, speakers, speakerNames, tl, ul } = readIndexParts(file, f);
  // Pass 1: sample lengths from the units, so the arrays below are allocated once at their exact size.
  const offsets = new Float64Array(samples + 1);
  let chunk = 64;
  for (let start = 0; start < samples; ) {
    const count = Math.min(chunk, samples - start);
    readVlenRange(M, f, file, UNITS, start, count, (i, _ptr, length) => {
      offsets[i + 1] = offsets[i] + length;
    });
    start += count;
    const mean = offsets[start] / start;
    chunk = Math.max(1, Math.min(65536, Math.floor(CHUNK_SPIKES / Math.max(1, mean))));
  }
  const total = offsets[samples];
  checkFitsInMemory(file, samples, total);
  const times = new Float32Array(total);
  const units = new Uint16Array(total);

  // Pass 2: chunks of about CHUNK_SPIKES spikes; each sample's two lengths must agree.
  let maxUnit = -1;
  for (let start = 0; start < samples; ) {
    let end = start + 1;
    while (end < samples && offsets[end + 1] - offsets[start] <= CHUNK_SPIKES) end++;
    readVlenRange(M, f, file, TIMES, start, end - start, (i, ptr, length) => {
      const expected = offsets[i + 1] - offsets[i];
      if (length !== expected) {
        throw new SpikeFileError(file, `${length} spike times but ${expected} units in ${UNITS}`, TIMES, i);
      }
      copyTimes(M, file, i, ptr, length, tl.baseSize, times.subarray(offsets[i], offsets[i + 1]));
    });
    readVlenRange(M, f, file, UNITS, start, end - start, (i, ptr, length) => {
      if (length !== offsets[i + 1] - offsets[i]) {
        throw new SpikeFileError(file, `length changed between reads (${length} ≠ ${offsets[i + 1] - offsets[i]})`, UNITS, i);
      }
      const m = copyUnits(M, file, i, ptr, length, ul, units.subarray(offsets[i], offsets[i + 1]), channelsOpt);
      if (m > maxUnit) maxUnit = m;
    });
    start = end;
  }

  let channels = channelsOpt;
  if (channels === undefined) {
    if (maxUnit < 0) throw new SpikeFileError(file, 'no spikes at all, so the channel count cannot be inferred; pass channels', UNITS);
    channels = maxUnit + 1;
  }
  return { name: file, samples, channels, classNames, labels, offsets, times, units, speakers, ...(speakerNames ? { speakerNames } : {}) };
}

/**
 * Refuses, before allocating, a file whose spikes cannot be held as arrays here: past the typed-array length
 * limit, or needing more than half this machine's memory (6 bytes a spike; binning adds about as much again), with
 * the way out. Reading in chunks (info, the bin cache) has no such limit.
 */
export function checkFitsInMemory(file: string, samples: number, spikes: number, memoryBytes = totalmem()): void {
  const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;
  const wayOut = 'train from its bin cache instead (--bin-cache on; the default for files over 1 GB), or use fewer samples';
  if (spikes > MAX_TYPED_LENGTH) {
    throw new SpikeFileError(file, `${samples} samples with ${spikes} spikes exceed the ${MAX_TYPED_LENGTH} elements an array can hold; ${wayOut}`, TIMES);
  }
  const need = 6 * spikes;
  if (need > memoryBytes / 2) {
    throw new SpikeFileError(file, `${spikes} spikes need ${gb(need)} in memory (${gb(2 * need)} with their bins), over half of this machine's ${gb(memoryBytes)}; ${wayOut}`, TIMES);
  }
}

function copyTimes(M: H5Module, file: string, sample: number, ptr: number, length: number, size: number, out: Float32Array): void {
  if (length === 0) return;
  if (size === 2) {
    // SHD's case, in one pass: bit patterns ≥ 0x7c00 are ∞/NaN (exponent all ones) or negative (sign set), except
    // 0x8000 (−0, a valid 0 s); the rest decode through the table. (Twice as fast as decoding, then checking.)
    const src = heapView(M, Uint16Array, ptr, length);
    const lut = halfTable();
    for (let k = 0; k < length; k++) {
      const h = src[k];
      if (h >= 0x7c00 && h !== 0x8000) {
        const t = halfBitsToFloat(h);
        const why = Number.isNaN(t) ? 'not a number' : t === Infinity || t === -Infinity ? 'not finite' : 'negative';
        throw new SpikeFileError(file, `spike ${k} has time ${t} s (${why})`, TIMES, sample);
      }
      out[k] = lut[h];
    }
    return;
  }
  if (size === 4) out.set(heapView(M, Float32Array, ptr, length));
  else {
    const src = heapView(M, Float64Array, ptr, length);
    for (let k = 0; k < length; k++) out[k] = src[k]; // rounded to float32, as the reference's np.asarray(t, float32)
  }
  for (let k = 0; k < length; k++) {
    const t = out[k];
    if (t >= 0 && t !== Infinity) continue;
    const why = Number.isNaN(t) ? 'not a number' : t === Infinity || t === -Infinity ? 'not finite' : 'negative';
    throw new SpikeFileError(file, `spike ${k} has time ${t} s (${why})`, TIMES, sample);
  }
}

/** Copies and checks one sample's units; returns its largest unit (−1 when empty). */
function copyUnits(
  M: H5Module,
  file: string,
  sample: number,
  ptr: number,
  length: number,
  layout: VlenLayout,
  out: Uint16Array,
  channels: number | undefined,
): number {
  if (length === 0) return -1;
  const src = integerView(M, layout.baseSize, layout.baseSigned, ptr, length);
  if (!src) throw new SpikeFileError(file, `unsupported unit width ${layout.baseSize} bytes`, UNITS);
  const limit = channels ?? MAX_UNITS;
  let max = -1;
  if (src instanceof Uint16Array) {
    // SHD's uint16 units: one copy and a max; the per-spike checks below run only when the max is out of range.
    out.set(src);
    for (let k = 0; k < length; k++) if (src[k] > max) max = src[k];
    if (max < limit) return max;
    max = -1;
  }
  for (let k = 0; k < length; k++) {
    const u = Number(src[k]);
    if (u < 0 || u >= limit) {
      const detail =
        u < 0
          ? `negative unit ${u} at spike ${k}`
          : channels !== undefined
            ? `unit ${u} at spike ${k} ≥ channels ${channels}`
            : `unit ${u} at spike ${k} exceeds the largest supported channel ${MAX_UNITS - 1}`;
      throw new SpikeFileError(file, detail, UNITS, sample);
    }
    out[k] = u;
    if (u > max) max = u;
  }
  return max;
}
