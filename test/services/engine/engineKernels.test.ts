/**
 * The WebAssembly SIMD kernels against their JS twins: the same bits on the same memory, for inputs
 * that exercise spikes, resets, the optional arguments and row-length tails.
 */
import { describe, expect, it } from 'vitest';
import { Arena, instantiateKernels, kernelModuleBytes } from '../../../src/services/engine/engineKernels';
import { jsKernels } from '../../../src/services/engine/jsKernels';
import { SeededRandom } from '../../../src/services/random/seededRandom';

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

  for (const withRec of [false, true]) {
    it(`lifForwardStep: wasm = js${withRec ? ' (with recurrent input)' : ''}`, () => {
      const { wasm, js, arena } = setup();
      const n = 96;
      const rng = new SeededRandom(withRec ? 5 : 6);
      const xw = arena.f32(n);
      const rec = arena.f32(n);
      fill(xw.view, rng, 0.7);
      fill(rec.view, rng, 0.3);
      const state = () => {
        const syn = arena.f32(n);
        const mem = arena.f32(n);
        const r = new SeededRandom(9);
        fill(syn.view, r, 0.5);
        fill(mem.view, r, 0.6, 0.8); // around the threshold: some neurons spike
        return { syn, mem, spk: arena.f32(n), den: arena.f32(n), memRec: arena.f32(n), list: arena.i32(n) };
      };
      const a = state();
      const b = state();
      const args = (s: ReturnType<typeof state>) =>
        [n, xw.ptr, withRec ? rec.ptr : 0, s.syn.ptr, s.mem.ptr, s.spk.ptr, s.den.ptr, s.memRec.ptr, s.list.ptr, 0.8187, 0.9048, 1, 100] as const;
      const ca = wasm.lifForwardStep(...args(a));
      const cb = js.lifForwardStep(...args(b));
      expect(ca).toBe(cb);
      expect(ca).toBeGreaterThan(5);
      expect(ca).toBeLessThan(n - 5);
      for (const key of ['syn', 'mem', 'spk', 'den', 'memRec'] as const) expect(Array.from(a[key].view), key).toEqual(Array.from(b[key].view));
      expect(Array.from(a.list.view.subarray(0, ca))).toEqual(Array.from(b.list.view.subarray(0, cb)));
      // The list holds exactly the spiking lanes, in order, and spiking neurons are reset.
      const spiking = Array.from(a.spk.view).flatMap((s, i) => (s === 1 ? [i] : []));
      expect(Array.from(a.list.view.subarray(0, ca))).toEqual(spiking);
      for (const i of spiking) expect(a.mem.view[i]).toBe(0);
    });
  }

  for (const withRec of [false, true]) {
    it(`lifBackwardStep: wasm = js${withRec ? ' (with recurrent gradient)' : ''}`, () => {
      const { wasm, js, arena } = setup();
      const n = 64;
      const rng = new SeededRandom(withRec ? 7 : 8);
      const dIn = arena.f32(n);
      const rec = arena.f32(n);
      const spk = arena.f32(n);
      const den = arena.f32(n);
      fill(dIn.view, rng);
      fill(rec.view, rng);
      for (let i = 0; i < n; i++) {
        spk.view[i] = rng.next() < 0.2 ? 1 : 0;
        den.view[i] = 1 + 50 * rng.next();
      }
      const state = () => {
        const r = new SeededRandom(3);
        const s = { g: arena.f32(n), gMem: arena.f32(n), gSyn: arena.f32(n) };
        fill(s.gMem.view, r);
        fill(s.gSyn.view, r);
        return s;
      };
      const a = state();
      const b = state();
      const run = (k: typeof js, s: ReturnType<typeof state>) => k.lifBackwardStep(n, s.g.ptr, dIn.ptr, withRec ? rec.ptr : 0, spk.ptr, den.ptr, s.gMem.ptr, s.gSyn.ptr, 0.8187, 0.9048);
      run(wasm, a);
      run(js, b);
      for (const key of ['g', 'gMem', 'gSyn'] as const) expect(Array.from(a[key].view), key).toEqual(Array.from(b[key].view));
    });
  }

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

  it('the arena refuses to hand out more than was reserved', () => {
    const { arena } = setup();
    arena.reset(64, 0);
    arena.f32(16);
    expect(() => arena.f32(1)).toThrow(/arena overflow/);
  });
});
