/**
 * lowbias32: a 32-bit integer hash whose output bits each flip with about half the input bits. The engine's
 * per-(seed, epoch, sample, …) randomness (dropout masks, augmentation) hashes keys with it instead of drawing
 * from a stream, so results do not depend on batch composition, order or worker split.
 */
export function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
