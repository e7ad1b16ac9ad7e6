import { describe, expect, it } from 'vitest';
import { checkRowAxpy, rowAxpy, simdAvailable, type RowAxpyArgs } from '../../../../src/services/engine/cpu/rowAxpy';
import { SeededRandom } from '../../../../src/services/random/seededRandom';

function randomCase(rowLen: number, withCoef: boolean): RowAxpyArgs {
  const rng = new SeededRandom(rowLen * 7 + (withCoef ? 1 : 0));
  const dstRows = 9;
  const srcRows = 13;
  const n = 200;
  return {
    dst: Float32Array.from({ length: dstRows * rowLen }, () => rng.normal()),
    dstRow: Int32Array.from({ length: n }, () => rng.int(dstRows)),
    src: Float32Array.from({ length: srcRows * rowLen }, () => rng.normal()),
    srcRow: Int32Array.from({ length: n }, () => rng.int(srcRows)),
    coef: withCoef ? Float32Array.from({ length: n }, () => 1 + rng.int(4)) : null,
    n,
    rowLen,
  };
}

describe('rowAxpy', () => {
  it('computes dst[dstRow[i]] += coef[i]·src[srcRow[i]] (checked in float64)', () => {
    const a = randomCase(5, true);
    const want = Float64Array.from(a.dst);
    for (let i = 0; i < a.n; i++) for (let j = 0; j < 5; j++) want[a.dstRow[i] * 5 + j] += a.coef![i] * a.src[a.srcRow[i] * 5 + j];
    rowAxpy(a);
    for (let k = 0; k < want.length; k++) expect(a.dst[k]).toBeCloseTo(want[k], 4);
  });

  it('WebAssembly SIMD is available and gives bit-identical results to JS, tails included', () => {
    expect(simdAvailable()).toBe(true);
    for (const rowLen of [1, 3, 4, 7, 16, 130]) {
      for (const withCoef of [true, false]) {
        const js = randomCase(rowLen, withCoef);
        const wasm = randomCase(rowLen, withCoef);
        rowAxpy(js, { simd: false });
        rowAxpy(wasm);
        expect(Array.from(wasm.dst)).toEqual(Array.from(js.dst));
        expect(wasm.dst.some((x, i) => x !== randomCase(rowLen, withCoef).dst[i])).toBe(true);
      }
    }
  });

  it('processes only the first n pairs', () => {
    const a: RowAxpyArgs = { dst: new Float32Array(4), dstRow: Int32Array.from([0, 1]), src: Float32Array.from([1, 2, 3, 4]), srcRow: Int32Array.from([1, 0]), coef: null, n: 1, rowLen: 2 };
    rowAxpy(a);
    expect(Array.from(a.dst)).toEqual([3, 4, 0, 0]);
  });

  it('checkRowAxpy names an out-of-range row', () => {
    const a = randomCase(4, false);
    a.srcRow[17] = 13;
    expect(() => checkRowAxpy(a)).toThrow(/source row 13 out of range 0…12/);
  });
});
