import { describe, expect, it } from 'vitest';
import { batchOrder, epochSeed } from '../../../src/services/data/batches';

const sorted = (batches: Int32Array[]) =>
  batches
    .flatMap((b) => Array.from(b))
    .sort((a, b) => a - b);

describe('batchOrder', () => {
  it('without shuffling keeps the file order and the last partial batch', () => {
    const b = batchOrder(10, { batchSize: 4, shuffle: false, seed: 0, epoch: 0 });
    expect(b.map((x) => Array.from(x))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });
  it('shuffled: every sample exactly once, sizes 256…256 then the rest', () => {
    const b = batchOrder(8156, { batchSize: 256, shuffle: true, seed: 3, epoch: 1 });
    expect(b.length).toBe(32);
    expect(b.slice(0, 31).every((x) => x.length === 256)).toBe(true);
    expect(b[31].length).toBe(8156 - 31 * 256);
    expect(sorted(b)).toEqual(Array.from({ length: 8156 }, (_, i) => i));
  });
  it('same seed and epoch → same order; another epoch or seed → another order', () => {
    const order = (seed: number, epoch: number) => batchOrder(50, { batchSize: 7, shuffle: true, seed, epoch }).flatMap((x) => Array.from(x));
    expect(order(5, 2)).toEqual(order(5, 2));
    expect(order(5, 2)).not.toEqual(order(5, 3));
    expect(order(5, 2)).not.toEqual(order(6, 2));
    expect(order(5, 2)).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
  it('mixes seed and epoch so that (s, e+1) is not (s+1, e)', () => {
    const seen = new Set<number>();
    for (let s = 0; s < 20; s++) for (let e = 0; e < 20; e++) seen.add(epochSeed(s, e));
    expect(seen.size).toBe(400);
  });
  it('handles zero samples and batches larger than the dataset', () => {
    expect(batchOrder(0, { batchSize: 4, shuffle: true, seed: 0, epoch: 0 })).toEqual([]);
    const b = batchOrder(3, { batchSize: 10, shuffle: true, seed: 0, epoch: 0 });
    expect(b.length).toBe(1);
    expect(sorted(b)).toEqual([0, 1, 2]);
  });
  it('refuses bad arguments', () => {
    expect(() => batchOrder(10, { batchSize: 0, shuffle: false, seed: 0, epoch: 0 })).toThrow(/batch size/);
    expect(() => batchOrder(-1, { batchSize: 2, shuffle: false, seed: 0, epoch: 0 })).toThrow(/sample count/);
    expect(() => batchOrder(10, { batchSize: 2, shuffle: true, seed: 1.5, epoch: 0 })).toThrow(/seed/);
  });
});
