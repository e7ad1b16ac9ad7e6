import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeHalfArray, halfBitsToFloat, halfBitsToFloat32Bits, halfTable } from '../../../src/services/data/float16';

/** numpy: np.arange(65536, dtype=np.uint16).view(np.float16).astype(np.float32), little-endian bits. */
function numpyTableBits(): Uint32Array {
  const buf = readFileSync(new URL('../../fixtures/float16_table.f32', import.meta.url));
  expect(buf.length).toBe(65536 * 4);
  const bits = new Uint32Array(65536);
  for (let i = 0; i < 65536; i++) bits[i] = buf.readUInt32LE(i * 4);
  return bits;
}

describe('float16', () => {
  const ref = numpyTableBits();

  it('matches numpy bit for bit on all 65 536 patterns (table, incl. NaN payloads)', () => {
    const lut = halfTable();
    const bits = new Uint32Array(lut.buffer, lut.byteOffset, 65536);
    let mismatches = 0;
    for (let h = 0; h < 65536; h++) if (bits[h] !== ref[h] || halfBitsToFloat32Bits(h) !== ref[h]) mismatches++;
    expect(mismatches).toBe(0);
  });

  it('the scalar decoder gives the same values (NaN as NaN, -0 as -0)', () => {
    const refF = new Float32Array(ref.buffer);
    const bad: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const v = halfBitsToFloat(h);
      if (!Object.is(v, refF[h]) && !(isNaN(refF[h]) && isNaN(v))) bad.push(h);
    }
    expect(bad).toEqual([]);
  });

  it('decodes the special patterns by hand', () => {
    expect(Object.is(halfBitsToFloat(0x0000), 0)).toBe(true);
    expect(Object.is(halfBitsToFloat(0x8000), -0)).toBe(true);
    expect(halfBitsToFloat(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(halfBitsToFloat(0x03ff)).toBe(1023 * 2 ** -24); // largest subnormal
    expect(halfBitsToFloat(0x0400)).toBe(2 ** -14); // smallest normal
    expect(halfBitsToFloat(0x3c00)).toBe(1);
    expect(halfBitsToFloat(0x3c01)).toBe(1 + 2 ** -10);
    expect(halfBitsToFloat(0xc000)).toBe(-2);
    expect(halfBitsToFloat(0x7bff)).toBe(65504);
    expect(halfBitsToFloat(0x7c00)).toBe(Infinity);
    expect(halfBitsToFloat(0xfc00)).toBe(-Infinity);
    expect(halfBitsToFloat(0x7e00)).toBeNaN();
    expect(halfBitsToFloat(0x7c01)).toBeNaN();
    expect(halfBitsToFloat(0x3555)).toBeCloseTo(0.333251953125, 12);
  });

  it('bulk-decodes a Uint16Array into a given or new Float32Array', () => {
    const src = new Uint16Array(65536);
    for (let h = 0; h < 65536; h++) src[h] = (h * 7919) & 0xffff;
    const out = decodeHalfArray(src);
    const outBits = new Uint32Array(out.buffer);
    for (let i = 0; i < src.length; i++) if (outBits[i] !== ref[src[i]]) throw new Error(`mismatch at ${i}`);
    const dst = new Float32Array(4);
    expect(decodeHalfArray(Uint16Array.of(0x3c00, 0x4000), dst)).toBe(dst);
    expect(Array.from(dst)).toEqual([1, 2, 0, 0]);
    expect(() => decodeHalfArray(new Uint16Array(5), new Float32Array(4))).toThrow(/needs 5/);
  });
});
