/**
 * The binned cache of a spike file: its non-zero bins under one binning, built once by streaming the file
 * (memory: one chunk) and read back per batch, so training and evaluation on a file of any size hold the
 * batch, not the file (SSC's train set: 600 M spikes, 3.6 GB as arrays).
 *
 * Where: next to the data, `.<file>.<T>x<maxTime>s-<binning>.swbins`, or in the system's temp folder when the
 * data's folder is read-only. Keyed by the binning in the name and by the file's fingerprint in the header
 * (size, modification time, SHA-256 of its first and last MiB): a changed file or binning gets a new cache;
 * a stale one is rebuilt. Written under a temporary name and renamed, so a killed build leaves no cache.
 * Channels are not part of the key: bins store (time bin, unit) and a reader of C channels maps them to t·C + c.
 *
 * Layout (little-endian):
 *   0      "SWBINS01", u32 JSON length, JSON header (version, source fingerprint, spec, samples, …), padded to 4 KiB
 *   4096…  one record per sample: its bins' keys (u32: t << 16 | unit, ascending), then their counts (u16),
 *          padded to 4 bytes
 *   table  f64 record position and u32 bin count per sample (at header.tableAt)
 */
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { binBatch, checkBinSpec, sameBinSpec, type BinSpec } from './binning';
import { scanSpikeFile, type SpikeFileIndex } from './shdReader';
import type { SpikeDataset } from './spikeDataset';

const MAGIC = 'SWBINS01';
const HEADER_BYTES = 4096;
const VERSION = 1;
/** Samples binned per call while building (bins of one call are a few MB). */
const BUILD_BATCH = 256;

export interface FileFingerprint {
  size: number;
  mtimeMs: number;
  head: string;
  tail: string;
}

interface CacheHeader {
  version: number;
  source: FileFingerprint;
  spec: BinSpec;
  samples: number;
  bins: number;
  spikes: number;
  dropped: number;
  maxUnit: number;
  tableAt: number;
  /** The content fingerprint a session records (see {@link OpenedBinCache.fingerprint}). */
  fingerprint: string;
}

/** A cache opened for reading: where each sample's record is, and the file's index. */
export interface BinCache {
  path: string;
  spec: BinSpec;
  /** Byte position of sample i's record, and its number of non-zero bins. */
  pos: Float64Array;
  count: Uint32Array;
  /** Spikes outside the time window over the whole file. */
  dropped: number;
  spikes: number;
  maxUnit: number;
  fingerprint: string;
}

export interface OpenedBinCache {
  cache: BinCache;
  index: SpikeFileIndex & { channels: number };
  /**
   * What the data's content hashes to, computed while the cache was built ("sha256s:…", scheme
   * spike-stream-v1: the sample and class counts, the labels, then each sample's spike count, times (float32)
   * and units (uint16) in file order). It names the data in a session as fingerprintDataset does for data in
   * memory; the two schemes differ, so a session resumes on the path it was trained on.
   */
  fingerprint: string;
  /** Whether it was built now (false: an existing cache was reused). */
  built: boolean;
  seconds: number;
}

export interface BinCacheOptions {
  /** As readSpikeFile's `channels`: every unit must be below it; default max unit + 1. */
  channels?: number;
  /** Where to put the cache (default: next to the file, else the temp folder). */
  dir?: string;
  /** Called while building with samples done and the total. */
  onProgress?: (done: number, total: number) => void;
}

export function fileFingerprint(file: string): FileFingerprint {
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    const part = (at: number): string => {
      const n = Math.min(1 << 20, st.size - at);
      const buf = Buffer.alloc(Math.max(0, n));
      if (n > 0) readSync(fd, buf, 0, n, at);
      return createHash('sha256').update(buf).digest('hex');
    };
    return { size: st.size, mtimeMs: st.mtimeMs, head: part(0), tail: part(Math.max(0, st.size - (1 << 20))) };
  } finally {
    closeSync(fd);
  }
}

function specKey(spec: BinSpec): string {
  return `${spec.nbSteps}x${spec.maxTimeS}s-${spec.binning}`;
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where the cache of `file` under `spec` lives. */
export function binCachePath(file: string, spec: BinSpec, dir?: string): string {
  const abs = resolve(file);
  const name = `.${basename(abs)}.${specKey(spec)}.swbins`;
  if (dir) return join(dir, name);
  if (writable(dirname(abs))) return join(dirname(abs), name);
  const hash = createHash('sha256').update(abs).digest('hex').slice(0, 12);
  return join(tmpdir(), 'spiking-workbench-bins', `${hash}${name}`);
}

function readHeader(path: string): CacheHeader | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, head, 0, HEADER_BYTES, 0) < HEADER_BYTES || head.toString('latin1', 0, 8) !== MAGIC) return null;
    const len = head.readUInt32LE(8);
    if (len > HEADER_BYTES - 12) return null;
    const h = JSON.parse(head.toString('utf8', 12, 12 + len)) as CacheHeader;
    return h.version === VERSION ? h : null;
  } catch {
    return null; // unreadable header: rebuilt
  } finally {
    closeSync(fd);
  }
}

function sameSource(a: FileFingerprint, b: FileFingerprint): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.head === b.head && a.tail === b.tail;
}

function loadTable(path: string, h: CacheHeader): BinCache {
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const tableBytes = h.samples * 12;
    if (h.tableAt + tableBytes !== size) throw new Error(`${path}: cache is ${size} bytes, its header expects ${h.tableAt + tableBytes}; delete it to rebuild`);
    const buf = Buffer.alloc(tableBytes);
    readSync(fd, buf, 0, tableBytes, h.tableAt);
    const pos = new Float64Array(h.samples);
    const count = new Uint32Array(h.samples);
    for (let i = 0; i < h.samples; i++) {
      pos[i] = buf.readDoubleLE(i * 8);
      count[i] = buf.readUInt32LE(h.samples * 8 + i * 4);
    }
    return { path, spec: h.spec, pos, count, dropped: h.dropped, spikes: h.spikes, maxUnit: h.maxUnit, fingerprint: h.fingerprint };
  } finally {
    closeSync(fd);
  }
}

/**
 * The cache of `file` under `spec`: reused when its header matches the file's fingerprint, else built by one
 * streamed pass over the file. The index (labels, classes, speakers) is read from the file either way.
 */
export async function openBinCache(file: string, spec: BinSpec, opts: BinCacheOptions = {}): Promise<OpenedBinCache> {
  checkBinSpec(spec);
  if (spec.nbSteps > 65536) throw new Error(`the bin cache holds at most 65 536 time steps (got ${spec.nbSteps})`);
  const t0 = performance.now();
  const path = binCachePath(file, spec, opts.dir);
  const source = fileFingerprint(file);
  const h = readHeader(path);
  let cache: BinCache;
  let index: SpikeFileIndex;
  let built = false;
  if (h && sameSource(h.source, source) && sameBinSpec(h.spec, spec)) {
    cache = loadTable(path, h);
    const { readSpikeIndex } = await import('./shdReader');
    index = await readSpikeIndex(file);
    if (index.samples !== h.samples) throw new Error(`${path}: cache has ${h.samples} samples, ${file} ${index.samples}; delete the cache to rebuild`);
  } else {
    ({ cache, index } = await buildBinCache(file, spec, path, source, opts));
    built = true;
  }
  let channels = opts.channels;
  if (channels === undefined) {
    if (cache.maxUnit < 0) throw new Error(`${file}: dataset "spikes/units": no spikes at all, so the channel count cannot be inferred; pass channels`);
    channels = cache.maxUnit + 1;
  } else if (cache.maxUnit >= channels) {
    throw new Error(`${file}: dataset "spikes/units": unit ${cache.maxUnit} ≥ channels ${channels}`);
  }
  return { cache, index: { ...index, channels }, fingerprint: cache.fingerprint, built, seconds: (performance.now() - t0) / 1000 };
}

async function buildBinCache(file: string, spec: BinSpec, path: string, source: FileFingerprint, opts: BinCacheOptions): Promise<{ cache: BinCache; index: SpikeFileIndex }> {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.part`;
  const fd = openSync(temp, 'w');
  let at = HEADER_BYTES;
  let pos = new Float64Array(0);
  let count = new Uint32Array(0);
  let bins = 0;
  let dropped = 0;
  let maxUnit = -1;
  const hash = createHash('sha256');
  const le = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength); // hosts are little-endian (x86, arm)
  const write = (buf: Uint8Array): void => {
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done, at + done);
    at += buf.length;
  };
  try {
    const index = await scanSpikeFile(file, { channels: opts.channels }, (chunk, idx) => {
      if (pos.length === 0) {
        pos = new Float64Array(idx.samples);
        count = new Uint32Array(idx.samples);
        hash.update(`spike-stream-v1 samples=${idx.samples} classes=${idx.classNames.length}\n`);
        hash.update(le(idx.labels));
      }
      const n32 = new Uint32Array(1);
      for (let j = 0; j < chunk.count; j++) {
        const a = chunk.offsets[j];
        const b = chunk.offsets[j + 1];
        n32[0] = b - a;
        hash.update(le(n32));
        hash.update(le(chunk.times.subarray(a, b)));
        hash.update(le(chunk.units.subarray(a, b)));
      }
      let chunkMax = -1;
      for (let k = 0; k < chunk.units.length; k++) if (chunk.units[k] > chunkMax) chunkMax = chunk.units[k];
      if (chunkMax > maxUnit) maxUnit = chunkMax;
      // The chunk as a dataset of just enough channels; its bin keys t·C + c become t << 16 | c below.
      const C = Math.max(1, chunkMax + 1);
      const ds: SpikeDataset = {
        name: file,
        samples: chunk.count,
        channels: C,
        classNames: idx.classNames,
        labels: idx.labels.subarray(chunk.start, chunk.start + chunk.count),
        offsets: chunk.offsets,
        times: chunk.times,
        units: chunk.units,
      };
      for (let s = 0; s < chunk.count; s += BUILD_BATCH) {
        const rows = Int32Array.from({ length: Math.min(BUILD_BATCH, chunk.count - s) }, (_, k) => s + k);
        const batch = binBatch(ds, rows, spec);
        dropped += batch.dropped;
        const perSample = spec.nbSteps * C;
        let k = 0;
        for (let b = 0; b < rows.length; b++) {
          let end = k;
          while (end < batch.flat.length && batch.flat[end] < (b + 1) * perSample) end++;
          const n = end - k;
          const record = new Uint8Array(Math.ceil((6 * n) / 4) * 4);
          const keys = new Uint32Array(record.buffer, 0, n);
          const counts = new Uint16Array(record.buffer, 4 * n, n);
          for (let q = 0; q < n; q++) {
            const key = batch.flat[k + q] - b * perSample;
            const t = Math.floor(key / C);
            keys[q] = ((t << 16) | (key - t * C)) >>> 0;
            const c = batch.counts[k + q];
            if (c > 65535) throw new Error(`${file}: sample ${chunk.start + s + b} has ${c} spikes in one bin of one channel`);
            counts[q] = c;
          }
          const i = chunk.start + s + b;
          pos[i] = at;
          count[i] = n;
          bins += n;
          write(record);
          k = end;
        }
      }
      opts.onProgress?.(chunk.start + chunk.count, idx.samples);
    });
    const tableAt = at;
    const table = Buffer.alloc(index.samples * 12);
    for (let i = 0; i < index.samples; i++) {
      table.writeDoubleLE(pos[i], i * 8);
      table.writeUInt32LE(count[i], index.samples * 8 + i * 4);
    }
    write(table);
    const fingerprint = `sha256s:${hash.digest('hex')}`;
    const header: CacheHeader = { version: VERSION, source, spec, samples: index.samples, bins, spikes: index.spikes, dropped, maxUnit, tableAt, fingerprint };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    if (json.length > HEADER_BYTES - 12) throw new Error('bin cache header too long');
    const head = Buffer.alloc(HEADER_BYTES);
    head.write(MAGIC, 0, 'latin1');
    head.writeUInt32LE(json.length, 8);
    json.copy(head, 12);
    writeSync(fd, head, 0, HEADER_BYTES, 0);
    closeSync(fd);
    renameSync(temp, path);
    const { spikes: _s, channels: _c, ...idx } = index;
    return { cache: { path, spec, pos, count, dropped, spikes: index.spikes, maxUnit, fingerprint }, index: idx };
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      /* closed already */
    }
    rmSync(temp, { force: true });
    throw err;
  }
}
