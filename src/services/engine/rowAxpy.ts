/**
 * The one sparse kernel of the engine: add scaled rows of one matrix to rows of another.
 *
 *     for i in 0…n−1:  dst[dstRow[i], :] += coef[i] · src[srcRow[i], :]        (rows of `rowLen` floats)
 *
 * With the binned input as a list of non-zero bins (row = time step and sample, column = channel, value =
 * spike count) this is x·W1 (dst = projected input, src = W1) and xᵀ·G (dst = ∂W1, src = ∂I); with the hidden
 * spikes as a list it is S·W2, Sᵀ·∂H2 and S_{t−1}ᵀ·∂I. Inputs are a few percent dense and hidden spikes
 * sparser still, so this does a small fraction of the work of the dense matmuls it replaces.
 *
 * Two implementations with identical results (each row addition is done in float32, in index order): a
 * WebAssembly SIMD one (see rowAxpyWasm.ts), used when the runtime supports it, and plain JS.
 */
import { rowAxpyWasm } from './rowAxpyWasm';

export interface RowAxpyArgs {
  dst: Float32Array;
  dstRow: Int32Array;
  src: Float32Array;
  srcRow: Int32Array;
  /** Per-pair factor; null means 1 for every pair. */
  coef: Float32Array | null;
  /** Number of pairs to process (a prefix of the index arrays). */
  n: number;
  rowLen: number;
}

/** Plain JS version; the reference for the WebAssembly one and the fallback where it cannot run. */
export function rowAxpyJs(a: RowAxpyArgs): void {
  const { dst, dstRow, src, srcRow, coef, n, rowLen } = a;
  for (let i = 0; i < n; i++) {
    const d = dstRow[i] * rowLen;
    const s = srcRow[i] * rowLen;
    if (coef === null) {
      for (let j = 0; j < rowLen; j++) dst[d + j] += src[s + j];
    } else {
      const c = coef[i];
      // Product rounded to float32 first, as the WebAssembly kernel's f32x4.mul does.
      for (let j = 0; j < rowLen; j++) dst[d + j] += Math.fround(c * src[s + j]);
    }
  }
}

export function checkRowAxpy(a: RowAxpyArgs): void {
  const { dst, dstRow, src, srcRow, coef, n, rowLen } = a;
  if (n > dstRow.length || n > srcRow.length || (coef !== null && n > coef.length)) throw new Error(`rowAxpy: ${n} pairs but shorter index arrays`);
  const dstRows = dst.length / rowLen;
  const srcRows = src.length / rowLen;
  for (let i = 0; i < n; i++) {
    if (dstRow[i] < 0 || dstRow[i] >= dstRows) throw new Error(`rowAxpy: destination row ${dstRow[i]} out of range 0…${dstRows - 1}`);
    if (srcRow[i] < 0 || srcRow[i] >= srcRows) throw new Error(`rowAxpy: source row ${srcRow[i]} out of range 0…${srcRows - 1}`);
  }
}

/** dst[dstRow[i]] += coef[i]·src[srcRow[i]] for i < n; WebAssembly SIMD when available. */
export function rowAxpy(a: RowAxpyArgs): void {
  if (a.n === 0 || a.rowLen === 0) return;
  if (!rowAxpyWasm(a)) rowAxpyJs(a);
}
