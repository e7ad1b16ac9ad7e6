/**
 * The WebAssembly SIMD kernels against their JS twins: the same bits, for inputs that exercise row-length tails.
 * The neuron kinds' generated step kernels have their own test (test/services/engine/codegen/stepKernels.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { Arena, createKernelRuntime, instantiateKernels, kernelModuleBytes } from '../../../../src/services/engine/cpu/engineKernels';
import { jsKernels } from '../../../../src/services/engine/cpu/jsKernels';
import { SeededRandom } from '../../../../src/services/random/seededRandom';

function setup() {
  const wasm = instantiateKernels();
  if (!wasm) throw new Error('WebAssembly SIMD unavailable');
  const js = jsKernels(wasm.memory);
  const arena = new Arena(wasm.memory);
  arena.reset(1 << 20, 64);
  return { wasm, js, arena };
}

function fill(view: Float32Array, rng: SeededRandom, scale = 1, offset = 0) {
  for (let i = 0; i < view.length; i++) view[i] = offset + scale * rng.normal();
}

describe('engine kernels', () => {
  it('the module validates', () => {
    expect(WebAssembly.validate(kernelModuleBytes())).toBe(true);
  });

  it('the runtime: SIMD where available, the JS twins without', () => {
    expect(createKernelRuntime(true).simd).toBe(true);
    const js = createKernelRuntime(false);
    expect(js.simd).toBe(false);
    expect(js.pick(true)).toBe(js.kernels);
  });

  it('spikeRowsAdd: wasm = js, and adds src row i % rowLen to dst row i / rowLen', () => {
    const { wasm, js, arena } = setup();
    const rowLen = 7;
    const rng = new SeededRandom(4);
    const src = arena.f32(rowLen * rowLen);
    fill(src.view, rng);
    const idx = arena.i32(20);
    for (let k = 0; k < 20; k++) idx.view[k] = rng.int(3 * rowLen);
    const da = arena.f32(3 * rowLen);
    const db = arena.f32(3 * rowLen);
    wasm.spikeRowsAdd(da.ptr, src.ptr, idx.ptr, 20, rowLen);
    js.spikeRowsAdd(db.ptr, src.ptr, idx.ptr, 20, rowLen);
    expect(Array.from(da.view)).toEqual(Array.from(db.view));
    const want = new Float64Array(3 * rowLen);
    for (let k = 0; k < 20; k++) {
      const i = idx.view[k];
      for (let j = 0; j < rowLen; j++) want[Math.floor(i / rowLen) * rowLen + j] += src.view[(i % rowLen) * rowLen + j];
    }
    for (let j = 0; j < want.length; j++) expect(da.view[j]).toBeCloseTo(want[j], 5);
  });

  it('matmul: wasm = js and = a·b (checked in float64)', () => {
    const { wasm, js, arena } = setup();
    const [rows, inner, cols] = [8, 21, 16];
    const rng = new SeededRandom(12);
    const a = arena.f32(rows * inner);
    const b = arena.f32(inner * cols);
    fill(a.view, rng);
    fill(b.view, rng);
    const da = arena.f32(rows * cols);
    const db = arena.f32(rows * cols);
    wasm.matmul(da.ptr, a.ptr, b.ptr, rows, inner, cols);
    js.matmul(db.ptr, a.ptr, b.ptr, rows, inner, cols);
    expect(Array.from(da.view)).toEqual(Array.from(db.view));
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        let want = 0;
        for (let j = 0; j < inner; j++) want += a.view[r * inner + j] * b.view[j * cols + c];
        expect(da.view[r * cols + c]).toBeCloseTo(want, 4);
      }
    }
  });

  it('tapGather: wasm = js (vector lanes and tail), and = Σ_m k[m]·src[m·stride + row] in float64', () => {
    const { wasm, js, arena } = setup();
    const [rows, rowLen, taps, stride] = [3, 10, 5, 37];
    const rng = new SeededRandom(21);
    const k = arena.f32(taps * rowLen);
    fill(k.view, rng);
    // A zero coefficient (a tap outside a neuron's kernel) adds nothing.
    k.view[2 * rowLen + 3] = 0;
    const src = arena.f32(taps * stride + rows * rowLen);
    fill(src.view, rng);
    const da = arena.f32(rows * rowLen);
    const db = arena.f32(rows * rowLen);
    wasm.tapGather(da.ptr, src.ptr, k.ptr, rows, rowLen, taps, stride);
    js.tapGather(db.ptr, src.ptr, k.ptr, rows, rowLen, taps, stride);
    expect(Array.from(da.view)).toEqual(Array.from(db.view));
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < rowLen; j++) {
        let want = 0;
        for (let m = 0; m < taps; m++) want += k.view[m * rowLen + j] * src.view[m * stride + r * rowLen + j];
        expect(da.view[r * rowLen + j]).toBeCloseTo(want, 5);
      }
    }
    // No taps: zeros.
    wasm.tapGather(da.ptr, src.ptr, k.ptr, rows, rowLen, 0, stride);
    expect(Array.from(da.view).every((x) => x === 0)).toBe(true);
  });

  it('nonZeros: wasm = js, the non-zeros of a matrix in row order as (column, row, value); −0 counts as zero', () => {
    const { wasm, js, arena } = setup();
    const [rows, cols] = [5, 7];
    const rng = new SeededRandom(33);
    const src = arena.f32(rows * cols);
    for (let i = 0; i < src.view.length; i++) src.view[i] = rng.next() < 0.4 ? rng.normal() : 0;
    src.view[3] = -0;
    const out = () => ({ c: arena.i32(rows * cols), r: arena.i32(rows * cols), v: arena.f32(rows * cols) });
    const [a, b] = [out(), out()];
    const na = wasm.nonZeros(a.c.ptr, a.r.ptr, a.v.ptr, src.ptr, rows, cols);
    const nb = js.nonZeros(b.c.ptr, b.r.ptr, b.v.ptr, src.ptr, rows, cols);
    const want: [number, number, number][] = [];
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (src.view[r * cols + c] !== 0) want.push([c, r, src.view[r * cols + c]]);
    expect(want.length).toBeGreaterThan(5);
    expect(na).toBe(want.length);
    expect(nb).toBe(want.length);
    for (const o of [a, b]) expect(want.map((_, i) => [o.c.view[i], o.r.view[i], o.v.view[i]])).toEqual(want);
  });

  it('the arena refuses to hand out more than was reserved', () => {
    const { arena } = setup();
    arena.reset(64, 0);
    arena.f32(16);
    expect(() => arena.f32(1)).toThrow(/arena overflow/);
  });
});
