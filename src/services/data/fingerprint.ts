/**
 * A stable digest of a spike dataset's content, so a session records what it was trained on and resume can
 * refuse other data. It covers what training sees (channels, class count, labels, and every spike's sample,
 * time and unit) and nothing else: the file's name, path, speakers and HDF5 layout do not change it.
 */
import { createHash } from 'node:crypto';
import type { SpikeDataset } from './spikeDataset';

/** Hex sha256 prefixed with the scheme, e.g. "sha256:3f2a…"; equal datasets give equal strings on every machine. */
export function fingerprintDataset(ds: SpikeDataset): string {
  const hash = createHash('sha256');
  // A header fixes the meaning of the byte streams that follow (their lengths follow from samples and offsets).
  hash.update(`spike-dataset-v1 samples=${ds.samples} channels=${ds.channels} classes=${ds.classNames.length}\n`);
  for (const a of [ds.labels, ds.offsets, ds.times.subarray(0, ds.offsets[ds.samples]), ds.units.subarray(0, ds.offsets[ds.samples])]) {
    updateInParts(hash, littleEndianBytes(a));
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * Node's hash.update refuses a buffer over 2 GiB ("data is too long": SSC's 600 M spike times are 2.4 GB);
 * feeding it in parts gives the same digest, since a hash only sees the byte stream.
 */
const UPDATE_PART = 1 << 28;
export function updateInParts(hash: ReturnType<typeof createHash>, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length; at += UPDATE_PART) hash.update(bytes.subarray(at, Math.min(bytes.length, at + UPDATE_PART)));
}

type NumericArray = Int32Array | Float64Array | Float32Array | Uint16Array;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The array's bytes in little-endian order, whatever the host, so a digest is the same everywhere. */
function littleEndianBytes(a: NumericArray): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE_ENDIAN || a.BYTES_PER_ELEMENT === 1) return bytes;
  const swapped = new Uint8Array(bytes.length);
  const n = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += n) for (let k = 0; k < n; k++) swapped[i + k] = bytes[i + n - 1 - k];
  return swapped;
}
