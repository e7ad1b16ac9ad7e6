/**
 * The engine's sparse row kernel on ordinary typed arrays:
 *
 *     for i in 0…n−1:  dst[dstRow[i], :] += coef[i] · src[srcRow[i], :]        (rows of `rowLen` floats)
 *
 * With the binned input as a list of non-zero bins (row = time step and sample, column = channel, value =
 * spike count) this is x·W1 and xᵀ·∂I; with the hidden spikes as a list it is S·W2 and Sᵀ·∂h2. Inputs are a
 * few percent dense and hidden spikes sparser still, so this does a small fraction of the work of the dense
 * matmuls it replaces. The arrays are copied into a kernel memory (engineKernels.ts) and the WebAssembly SIMD
 * kernel runs there, or its JS twin where SIMD is unavailable; the fused network (fusedNetwork.ts) calls the
 * kernels on its own memory without copies.
 */
import { createKernelRuntime, type KernelRuntime } from './engineKernels';

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

const runtimes = new Map<boolean, KernelRuntime>();

/** dst[dstRow[i]] += coef[i]·src[srcRow[i]] for i < n; `simd: false` forces the JS kernel. */
export function rowAxpy(a: RowAxpyArgs, opts: { simd?: boolean } = {}): void {
  const { dst, dstRow, src, srcRow, coef, n, rowLen } = a;
  if (n === 0 || rowLen === 0) return;
  const useSimd = opts.simd ?? true;
  let rt = runtimes.get(useSimd);
  if (!rt) {
    rt = createKernelRuntime(useSimd);
    runtimes.set(useSimd, rt);
  }
  // Layout: [16 unused][dst][src][dstRow][srcRow][coef], 16-byte aligned; address 0 means "no coef".
  const align = (x: number) => (x + 15) & ~15;
  const pDst = 16;
  const pSrc = align(pDst + dst.byteLength);
  const pDstRow = align(pSrc + src.byteLength);
  const pSrcRow = align(pDstRow + n * 4);
  const pCoef = align(pSrcRow + n * 4);
  const total = pCoef + (coef ? n * 4 : 0);
  const have = rt.memory.buffer.byteLength;
  if (total > have) rt.memory.grow(Math.ceil((total - have) / 65536));
  const buf = rt.memory.buffer;
  const dstView = new Float32Array(buf, pDst, dst.length);
  dstView.set(dst);
  new Float32Array(buf, pSrc, src.length).set(src);
  new Int32Array(buf, pDstRow, n).set(dstRow.subarray(0, n));
  new Int32Array(buf, pSrcRow, n).set(srcRow.subarray(0, n));
  if (coef) new Float32Array(buf, pCoef, n).set(coef.subarray(0, n));
  rt.kernels.rowAxpy(pDst, pDstRow, pSrc, pSrcRow, coef ? pCoef : 0, n, rowLen);
  dst.set(dstView);
}

export function simdAvailable(): boolean {
  let rt = runtimes.get(true);
  if (!rt) {
    rt = createKernelRuntime(true);
    runtimes.set(true, rt);
  }
  return rt.simd;
}
