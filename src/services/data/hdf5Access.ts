/**
 * Read-only HDF5 access for the spike reader, on h5wasm's node build (NODERAWFS: HDF5 reads the file
 * through the OS in place; nothing is copied into the wasm heap but what a read asks for).
 *
 * Three things h5wasm does not do for us, done here:
 * - Clear errors. For a missing, foreign or truncated file h5wasm throws "error - name not defined!" and
 *   HDF5 prints its diagnostic stack on stderr. The file is checked in JS first (exists, is a file, carries
 *   the HDF5 signature), and while a file is open HDF5's throwing error handler is switched on, so HDF5
 *   failures arrive as exceptions (nothing on stderr) whose last line (e.g. "truncated file: eof = …,
 *   stored_eof = …") becomes our message.
 * - Variable-length float16. `Dataset.value`/`slice` throw "Float16 not supported" for vlen half floats and
 *   copy every sample into its own small array. {@link readVlenRange} calls the same C entry point h5wasm's
 *   `slice` uses (`get_dataset_data`, a hyperslab read into an `hvl_t` buffer), hands the caller each
 *   sample's raw little-endian bytes in the wasm heap (HDF5 converts big-endian files to little-endian
 *   while reading), then frees HDF5's allocations with `reclaim_vlen_memory_count`, as `slice` does.
 * - Bounded memory: a read covers a range of samples, so the wasm heap holds one chunk at a time.
 */
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { Dataset, Metadata } from 'h5wasm/node';

export type H5Module = Awaited<typeof h5wasm.ready>;
export type H5File = InstanceType<typeof h5wasm.File>;

/** HDF5 type classes (H5T_class_t) as h5wasm's metadata reports them. */
export const H5T = { INTEGER: 0, FLOAT: 1, STRING: 3, VLEN: 9 } as const;

/** An input file the reader refuses; the message names the file and, where known, dataset and sample. */
export class SpikeFileError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly dataset?: string,
    readonly sample?: number,
  ) {
    const where = [dataset !== undefined ? `dataset "${dataset}"` : '', sample !== undefined ? `sample ${sample}` : '']
      .filter(Boolean)
      .join(', ');
    super(`${file}: ${where ? where + ': ' : ''}${detail}`);
    this.name = 'SpikeFileError';
  }
}

const SIGNATURE = Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a);

/**
 * Checks that `file` exists, is a regular file, carries the HDF5 signature (HDF5 looks for it at offset
 * 0, 512, 1024, 2048, … since a user block may precede the superblock) and is not shorter than the
 * end-of-file address its superblock records. HDF5 makes the same size check, but a file cut inside the
 * superblock only gets cryptic messages from it. Returns the file size.
 */
export function checkHdf5File(file: string): number {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new SpikeFileError(file, 'not a regular file');
    size = st.size;
  } catch (err) {
    if (err instanceof SpikeFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new SpikeFileError(file, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`);
  }
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8);
    for (let offset = 0; offset + 8 <= size; offset = offset === 0 ? 512 : offset * 2) {
      if (readSync(fd, buf, 0, 8, offset) === 8 && buf.every((b, i) => b === SIGNATURE[i])) {
        checkSuperblockEof(file, fd, offset, size);
        return size;
      }
    }
  } finally {
    closeSync(fd);
  }
  throw new SpikeFileError(file, size === 0 ? 'not an HDF5 file (empty file)' : 'not an HDF5 file (no HDF5 signature found)');
}

/**
 * Superblock layouts (HDF5 file format spec, "Superblock"): after the 8-byte signature,
 * v0/v1 store version bytes, the size of offsets at +13, then base address at 24 (v0) or 28 (v1),
 * followed by the free-space address and the end-of-file address; v2/v3 store the size of offsets at +9
 * and base, extension and end-of-file addresses from +12. Addresses are relative to the base address.
 */
function checkSuperblockEof(file: string, fd: number, sig: number, size: number): void {
  const head = Buffer.alloc(64);
  const got = readSync(fd, head, 0, 64, sig);
  const version = got > 8 ? head[8] : -1;
  const sizeOffsetsAt = version === 0 || version === 1 ? 13 : version === 2 || version === 3 ? 9 : -1;
  if (sizeOffsetsAt < 0) {
    if (got <= 8) throw new SpikeFileError(file, `truncated file: ${size} bytes, the HDF5 superblock is incomplete`);
    return; // an unknown superblock version: leave it to HDF5
  }
  if (got <= sizeOffsetsAt) throw new SpikeFileError(file, `truncated file: ${size} bytes, the HDF5 superblock is incomplete`);
  const so = head[sizeOffsetsAt];
  if (so !== 2 && so !== 4 && so !== 8) return; // malformed: HDF5 will say so
  const baseAt = version === 0 ? 24 : version === 1 ? 28 : 12;
  const eofAt = baseAt + 2 * so;
  if (got < eofAt + so) throw new SpikeFileError(file, `truncated file: ${size} bytes, the HDF5 superblock is incomplete`);
  const read = (at: number) => (so === 8 ? Number(head.readBigUInt64LE(at)) : so === 4 ? head.readUInt32LE(at) : head.readUInt16LE(at));
  const undefinedAddr = 2 ** (8 * so) - 1;
  const base = read(baseAt);
  const eof = read(eofAt);
  if (eof >= undefinedAddr || base >= undefinedAddr) return;
  if (base + eof > size) {
    throw new SpikeFileError(file, `truncated file: ${size} bytes on disk, but its HDF5 superblock records ${base + eof}`);
  }
}

/** The most specific line of an HDF5 error stack, e.g. "truncated file: eof = 2000, …, stored_eof = 8988". */
export function hdf5Reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text.split('\n').filter((l) => /#\d+:/.test(l));
  const last = lines.length ? lines[lines.length - 1] : text;
  const m = /\(\): (.*)$/.exec(last.trim());
  return (m ? m[1] : last).trim();
}

/** Set once HDF5 itself failed or trapped in this thread (its state may be broken); our own refusals leave it clear. */
let hdf5Failed = false;

/** Whether this thread's HDF5 can be trusted with another file (the file guard keeps such a reader). */
export function hdf5Intact(): boolean {
  return !hdf5Failed;
}

/**
 * Opens `file` read-only, runs `body`, closes it. HDF5 errors inside become exceptions (see above); a
 * truncated file is refused here with HDF5's own comparison of the file size with the end-of-file
 * address in the superblock.
 */
export async function withHdf5File<T>(file: string, body: (f: H5File, M: H5Module) => T): Promise<T> {
  checkHdf5File(file);
  const M = await h5wasm.ready;
  noteAlive();
  M.activate_throwing_error_handler();
  try {
    let f: H5File;
    try {
      f = new h5wasm.File(resolve(file), 'r');
      noteAlive();
    } catch (err) {
      hdf5Failed = true;
      const reason = hdf5Reason(err);
      const cut = /truncated file: eof = (\d+).*stored_eof = (\d+)/.exec(reason);
      if (cut) throw new SpikeFileError(file, `truncated file: ${cut[1]} bytes on disk, but its HDF5 superblock records ${cut[2]}`);
      throw new SpikeFileError(file, `HDF5 cannot open it (${reason})`);
    }
    try {
      return body(f, M);
    } catch (err) {
      // A damaged file fails inside h5wasm calls our code does not wrap (a group's links, a dataset's
      // metadata), or makes them return nonsense: HDF5's stack, or whatever broke, becomes one sentence.
      // Our own refusals (SpikeFileError, SessionFileError: named classes) pass as they are.
      // A wasm trap (RuntimeError: out-of-bounds access, abort()) is the reader failing on garbage, not ours.
      if (err instanceof Error && !['Error', 'TypeError', 'RangeError', 'RuntimeError'].includes(err.name)) throw err;
      hdf5Failed = true;
      const text = err instanceof Error ? err.message : String(err);
      const detail = /#\d+:/.test(text) ? hdf5Reason(err) : text.split('\n')[0];
      throw new SpikeFileError(file, `damaged: HDF5 cannot read its structure (${detail})`);
    } finally {
      try {
        f.close();
      } catch {
        // Closing after a failed read can report the same failure again; the first error is the one to show.
      }
    }
  } finally {
    M.deactivate_throwing_error_handler();
  }
}

/**
 * Told which dataset is being read and that reading goes on (each chunk), so the file guard (fileGuard.ts) can
 * stop a read that makes no progress and name the dataset it was stuck in. A no-op unless a guard listens.
 */
let readingHook: ((dataset: string | null) => void) | null = null;
export function onReading(hook: ((dataset: string | null) => void) | null): void {
  readingHook = hook;
}
export function noteReading(dataset: string): void {
  readingHook?.(dataset);
}
/** A heartbeat that names no dataset: the reader got further (HDF5 started, a file opened). */
export function noteAlive(): void {
  readingHook?.(null);
}

/** The dataset at `path` (e.g. "spikes/times"), or null when it or a group on the way is missing. */
export function findDataset(f: H5File, path: string): Dataset | null {
  noteReading(path);
  const parts = path.split('/');
  let group: ReturnType<H5File['get']> = f;
  for (let i = 0; i < parts.length; i++) {
    if (!group || !(group instanceof h5wasm.Group) || !group.keys().includes(parts[i])) return null;
    group = group.get(parts[i]);
  }
  return group instanceof h5wasm.Dataset ? group : null;
}

/** Metadata of a one-dimensional dataset, refusing other ranks. */
export function oneDimensional(file: string, path: string, ds: Dataset): Metadata & { length: number } {
  const md = ds.metadata;
  if (!md.shape || md.shape.length !== 1) {
    throw new SpikeFileError(file, `expected a one-dimensional dataset, found shape [${(md.shape ?? []).join(', ')}]`, path);
  }
  return { ...md, length: md.shape[0] };
}

/**
 * Reads samples [start, start + count) of a 1-D variable-length dataset and calls `visit(i, ptr, length)`
 * for each: `length` elements of the base type start at byte `ptr` of `M.HEAPU8.buffer` (valid only
 * during the call). HDF5's allocations are freed before returning, also when `visit` throws.
 */
export function readVlenRange(
  M: H5Module,
  f: H5File,
  file: string,
  path: string,
  start: number,
  count: number,
  visit: (sample: number, ptr: number, length: number) => void,
): void {
  if (count === 0) return;
  noteReading(path);
  // An hvl_t on wasm32 is { size_t len; void *p; }: two uint32.
  const buf = M._malloc(count * 8);
  if (!buf) throw new SpikeFileError(file, `out of wasm memory reading samples ${start}…${start + count - 1}`, path);
  const range = [BigInt(count)];
  let filled = false;
  try {
    try {
      M.get_dataset_data(f.file_id, path, range, [BigInt(start)], [1n], BigInt(buf));
      filled = true;
    } catch (err) {
      throw new SpikeFileError(file, `HDF5 cannot read samples ${start}…${start + count - 1} (${hdf5Reason(err)})`, path);
    }
    for (let k = 0; k < count; k++) {
      // Re-read the heap view each time: the wasm memory may have grown (and moved) during the read.
      const pairs = new Uint32Array(M.HEAPU8.buffer, buf + k * 8, 2);
      visit(start + k, pairs[1], pairs[0]);
    }
  } finally {
    if (filled) M.reclaim_vlen_memory_count(f.file_id, path, '', BigInt(buf), range);
    M._free(buf);
  }
}
