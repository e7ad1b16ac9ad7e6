/**
 * The kernels of engineKernels.ts in plain JS, on the same memory and with the same pointer arguments:
 * the fallback where WebAssembly SIMD is missing (or n is not a multiple of 4), and the reference the
 * WebAssembly versions are tested against bit for bit. Every product and sum is rounded to float32
 * (Math.fround, or a store into a Float32Array) exactly where the f32x4 instructions round.
 */
import type { KernelFunctions } from './kernelSignatures';
import { stepJsKernels } from '../codegen/stepKernels';

const f = Math.fround;

export function jsKernels(memory: WebAssembly.Memory): KernelFunctions {
  let buffer: ArrayBuffer | null = null;
  let F = new Float32Array(0);
  let N = new Int32Array(0);
  // Views are rebuilt whenever the memory has grown (growing replaces the buffer).
  const views = () => {
    if (buffer !== memory.buffer) {
      buffer = memory.buffer;
      F = new Float32Array(buffer);
      N = new Int32Array(buffer);
    }
  };
  return {
    steps: stepJsKernels(memory),
    rowAxpy(dst, dstRow, src, srcRow, coef, n, rowLen) {
      views();
      for (let i = 0; i < n; i++) {
        const d = (dst >>> 2) + N[(dstRow >>> 2) + i] * rowLen;
        const s = (src >>> 2) + N[(srcRow >>> 2) + i] * rowLen;
        if (coef === 0) {
          for (let j = 0; j < rowLen; j++) F[d + j] += F[s + j];
        } else {
          const c = F[(coef >>> 2) + i];
          for (let j = 0; j < rowLen; j++) F[d + j] += f(c * F[s + j]);
        }
      }
    },

    spikeRowsAdd(dst, src, idx, count, rowLen) {
      views();
      for (let k = 0; k < count; k++) {
        const flat = N[(idx >>> 2) + k];
        const row = Math.floor(flat / rowLen);
        const d = (dst >>> 2) + row * rowLen;
        const s = (src >>> 2) + (flat - row * rowLen) * rowLen;
        for (let j = 0; j < rowLen; j++) F[d + j] += F[s + j];
      }
    },

    tapGather(dst, src, k, rows, rowLen, taps, stride) {
      views();
      const [d0, s0, k0] = [dst >>> 2, src >>> 2, k >>> 2];
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < rowLen; j++) {
          let acc = 0;
          for (let m = 0; m < taps; m++) acc = f(acc + f(F[k0 + m * rowLen + j] * F[s0 + m * stride + r * rowLen + j]));
          F[d0 + r * rowLen + j] = acc;
        }
      }
    },

    nonZeros(colOut, rowOut, valOut, src, rows, cols) {
      views();
      const [c0, r0, v0, s0] = [colOut >>> 2, rowOut >>> 2, valOut >>> 2, src >>> 2];
      let n = 0;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const v = F[s0 + r * cols + c];
          if (v === 0) continue;
          N[c0 + n] = c;
          N[r0 + n] = r;
          F[v0 + n] = v;
          n++;
        }
      }
      return n;
    },

    matmul(dst, a, b, rows, inner, cols) {
      views();
      const [d0, a0, b0] = [dst >>> 2, a >>> 2, b >>> 2];
      // Row by row, j outer and columns inner (contiguous reads of b); each output still sums over j in order.
      for (let r = 0; r < rows; r++) {
        const out = d0 + r * cols;
        F.fill(0, out, out + cols);
        for (let j = 0; j < inner; j++) {
          const x = F[a0 + r * inner + j];
          const row = b0 + j * cols;
          for (let c = 0; c < cols; c++) F[out + c] += f(x * F[row + c]);
        }
      }
    },
  };
}
