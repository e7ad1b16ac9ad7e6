/**
 * Writes an SHD-layout HDF5 file, one sample at a time, in the dtypes SHD uses:
 *   spikes/times   vlen float16 (seconds)      spikes/units   vlen uint16 (channel)
 *   labels         uint16                       extra/keys     fixed-length byte strings (class names)
 *   extra/speaker  uint16 (when speakers are given)
 * Samples stream to disk as they come (memory holds one global heap collection and 40 bytes per sample);
 * the file is written under a temporary name in the target's folder and renamed into place by `finish()`,
 * so a failed or abandoned encode leaves nothing half-written. The HDF5 structures are in hdf5Write/format.ts.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { floatToHalfBits } from './float16';
import {
  Bytes,
  collectionBytes,
  datasetMessages,
  fixedStringType,
  float16Type,
  GLOBAL_HEAP_MAX_OBJECTS,
  globalHeapCollection,
  groupMessages,
  objectHeader,
  superblock,
  SUPERBLOCK_BYTES,
  uint16Type,
  VLEN_ELEMENT_BYTES,
  vlenSequenceType,
} from './hdf5Write/format';

export interface ShdWriterOptions {
  /** Class names in label order; written to extra/keys. */
  classNames: readonly string[];
  /** Units must be below this (≤ 65 536). */
  channels: number;
  /** Whether every sample carries a speaker id (then extra/speaker is written). */
  speakers: boolean;
  /** Text datasets under extra/ (e.g. how the spikes were made), each one fixed-length string. */
  extraText?: Record<string, string>;
}

export interface ShdSampleIn {
  /** Spike times in seconds (finite, ≥ 0, ≤ 65 504: the float16 range); any order, kept as given. */
  times: ArrayLike<number>;
  units: ArrayLike<number>;
  label: number;
  speaker?: number;
}

/** Collections grow to about this size before they are written (HDF5 reads a whole collection per access). */
const COLLECTION_TARGET_BYTES = 64 * 1024;
const MAX_HALF = 65504;

export class ShdFileWriter {
  private readonly fd: number;
  private readonly temp: string;
  private offset = 0;
  private closed = false;
  private samples = 0;
  // Per sample: spike count and the heap IDs of its times and units objects.
  private counts = new Uint32Array(1024);
  private heapAddr = new Float64Array(2048);
  private heapIndex = new Uint32Array(2048);
  private labels = new Uint16Array(1024);
  private speakerIds = new Uint16Array(1024);
  // The collection being filled: its objects and which heap ID slot (2·sample + 0|1) each one is.
  private pending: Uint8Array[] = [];
  private pendingSlots: number[] = [];
  private pendingSizes: number[] = [];

  constructor(
    readonly path: string,
    private readonly opts: ShdWriterOptions,
  ) {
    if (opts.classNames.length === 0) throw new Error(`${path}: no classes to write`);
    if (!Number.isInteger(opts.channels) || opts.channels < 1 || opts.channels > 65536) throw new Error(`${path}: channels ${opts.channels} must be 1…65536`);
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.part`);
    this.fd = openSync(this.temp, 'w');
    this.write(new Uint8Array(SUPERBLOCK_BYTES)); // rewritten by finish()
  }

  get sampleCount(): number {
    return this.samples;
  }

  add(s: ShdSampleIn): void {
    if (this.closed) throw new Error(`${this.path}: writer already finished`);
    const i = this.samples;
    const where = `${this.path}: sample ${i}`;
    const n = s.times.length;
    if (s.units.length !== n) throw new Error(`${where}: ${n} times but ${s.units.length} units`);
    if (!Number.isInteger(s.label) || s.label < 0 || s.label >= this.opts.classNames.length) {
      throw new Error(`${where}: label ${s.label} is not one of the ${this.opts.classNames.length} classes`);
    }
    if (this.opts.speakers && (s.speaker === undefined || !Number.isInteger(s.speaker) || s.speaker < 0 || s.speaker > 65535)) {
      throw new Error(`${where}: speaker ${s.speaker} must be an integer 0…65535`);
    }
    const times = new Uint16Array(n);
    const units = new Uint16Array(n);
    for (let k = 0; k < n; k++) {
      const t = s.times[k];
      const u = s.units[k];
      if (!(t >= 0 && t <= MAX_HALF)) throw new Error(`${where}: spike ${k} time ${t} is not a finite time 0…${MAX_HALF} s`);
      if (!Number.isInteger(u) || u < 0 || u >= this.opts.channels) throw new Error(`${where}: spike ${k} unit ${u} is not a channel 0…${this.opts.channels - 1}`);
      times[k] = floatToHalfBits(t);
      units[k] = u;
    }
    this.grow(i + 1);
    this.counts[i] = n;
    this.labels[i] = s.label;
    if (this.opts.speakers) this.speakerIds[i] = s.speaker as number;
    this.samples++;
    if (n === 0) return; // an empty sequence has no heap object (count 0, null heap ID)
    const bytes = n * 2;
    if (this.pending.length + 2 > GLOBAL_HEAP_MAX_OBJECTS || collectionBytes([...this.pendingSizes, bytes, bytes]) > COLLECTION_TARGET_BYTES) {
      this.flushCollection();
    }
    this.pending.push(new Uint8Array(times.buffer), new Uint8Array(units.buffer));
    this.pendingSlots.push(2 * i, 2 * i + 1);
    this.pendingSizes.push(bytes, bytes);
  }

  /** Writes the datasets and headers, then moves the file into place. Returns the bytes written. */
  finish(): number {
    if (this.closed) throw new Error(`${this.path}: writer already finished`);
    try {
      if (this.samples === 0) throw new Error(`${this.path}: no samples to write`);
      this.flushCollection();
      const n = this.samples;
      const vlen = (part: 0 | 1): Uint8Array => {
        const b = new Bytes();
        for (let i = 0; i < n; i++) b.u32(this.counts[i]).u64(this.heapAddr[2 * i + part]).u32(this.heapIndex[2 * i + part]);
        return b.done();
      };
      const timesAt = this.writeBlock(vlen(0));
      const unitsAt = this.writeBlock(vlen(1));
      const labelsAt = this.writeBlock(new Uint8Array(this.labels.buffer, 0, 2 * n));
      const speakersAt = this.opts.speakers ? this.writeBlock(new Uint8Array(this.speakerIds.buffer, 0, 2 * n)) : -1;
      const encoder = new TextEncoder();
      const names = this.opts.classNames.map((c) => encoder.encode(c));
      const width = Math.max(1, ...names.map((b) => b.length));
      const keys = new Uint8Array(width * names.length);
      names.forEach((b, k) => keys.set(b, k * width));
      const keysAt = this.writeBlock(keys);

      const header = (messages: ReturnType<typeof datasetMessages>): number => this.writeBlock(objectHeader(messages));
      const timesDs = header(datasetMessages(vlenSequenceType(float16Type()), n, timesAt, n * VLEN_ELEMENT_BYTES));
      const unitsDs = header(datasetMessages(vlenSequenceType(uint16Type()), n, unitsAt, n * VLEN_ELEMENT_BYTES));
      const labelsDs = header(datasetMessages(uint16Type(), n, labelsAt, 2 * n));
      const keysDs = header(datasetMessages(fixedStringType(width), names.length, keysAt, keys.length));
      const extraChildren = [{ name: 'keys', address: keysDs }];
      for (const [name, text] of Object.entries(this.opts.extraText ?? {})) {
        if (name === 'keys' || name === 'speaker') throw new Error(`${this.path}: extra/${name} is SHD's own dataset`);
        const bytes = text ? encoder.encode(text) : new Uint8Array(1);
        const at = this.writeBlock(bytes);
        extraChildren.push({ name, address: header(datasetMessages(fixedStringType(bytes.length), 1, at, bytes.length)) });
      }
      if (speakersAt >= 0) extraChildren.push({ name: 'speaker', address: header(datasetMessages(uint16Type(), n, speakersAt, 2 * n)) });
      const spikes = header(groupMessages([{ name: 'times', address: timesDs }, { name: 'units', address: unitsDs }]));
      const extra = header(groupMessages(extraChildren));
      const root = header(groupMessages([{ name: 'spikes', address: spikes }, { name: 'labels', address: labelsDs }, { name: 'extra', address: extra }]));
      writeSync(this.fd, superblock(this.offset, root), 0, SUPERBLOCK_BYTES, 0);
      closeSync(this.fd);
      this.closed = true;
      renameSync(this.temp, this.path);
      return this.offset;
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  /** Closes and deletes the temporary file (nothing reaches the target path). Safe to call twice. */
  abort(): void {
    if (!this.closed) {
      this.closed = true;
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
    }
    rmSync(this.temp, { force: true });
  }

  private flushCollection(): void {
    if (this.pending.length === 0) return;
    const address = this.writeBlock(globalHeapCollection(this.pending));
    this.pendingSlots.forEach((slot, k) => {
      this.heapAddr[slot] = address;
      this.heapIndex[slot] = k + 1;
    });
    this.pending = [];
    this.pendingSlots = [];
    this.pendingSizes = [];
  }

  private writeBlock(b: Uint8Array): number {
    const at = this.offset;
    this.write(b);
    return at;
  }

  private write(b: Uint8Array): void {
    let done = 0;
    while (done < b.length) done += writeSync(this.fd, b, done, b.length - done, this.offset + done);
    this.offset += b.length;
  }

  private grow(n: number): void {
    if (n <= this.counts.length) return;
    const size = this.counts.length * 2;
    const more = <T extends Uint32Array | Uint16Array | Float64Array>(a: T, len: number): T => {
      const next = new (a.constructor as new (n: number) => T)(len);
      next.set(a);
      return next;
    };
    this.counts = more(this.counts, size);
    this.labels = more(this.labels, size);
    this.speakerIds = more(this.speakerIds, size);
    this.heapAddr = more(this.heapAddr, 2 * size);
    this.heapIndex = more(this.heapIndex, 2 * size);
  }
}
