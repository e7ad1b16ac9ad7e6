/**
 * The WebAssembly SIMD kernels against their JS twins: the same bits, for inputs that exercise spikes,
 * resets, the optional arguments and row-length tails. The neuron kinds' step kernels go through the kernel
 * runtime as the engine uses them: `pick(true)` (SIMD where a kind has SIMD kernels, else its JS twins) on
 * one memory, `createKernelRuntime(false)` (the JS twins) on another, with the same inputs at the same
 * addresses.
 */
import { describe, expect, it } from 'vitest';
import { Arena, createKernelRuntime, instantiateKernels, kernelModuleBytes, type KernelRuntime } from '../../../../src/services/engine/cpu/engineKernels';
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

  /**
   * Runs `kernel` on the SIMD runtime's pick and on the JS runtime, each on its own memory with the same
   * inputs (`fill` allocates them in the same order, so at the same addresses), and returns both memories'
   * arrays after the call and the kernels' return values.
   */
  function twin<A extends Record<string, { ptr: number; view: Float32Array | Int32Array }>>(
    fill: (arena: Arena, rng: SeededRandom) => A,
    call: (k: ReturnType<KernelRuntime['pick']>, a: A) => number | void,
  ) {
    const runOn = (rt: KernelRuntime, fits: boolean) => {
      const arena = new Arena(rt.memory);
      arena.reset(1 << 16, 64);
      const arrays = fill(arena, new SeededRandom(21));
      const ret = call(rt.pick(fits), arrays);
      return { arrays, ret };
    };
    return { simd: runOn(createKernelRuntime(true), true), js: runOn(createKernelRuntime(false), true) };
  }

  function expectSameBits<A extends Record<string, { view: Float32Array | Int32Array }>>(a: A, b: A, skip: string[] = []) {
    for (const key of Object.keys(a)) {
      if (skip.includes(key)) continue;
      const [x, y] = [a[key].view, b[key].view];
      expect(new Uint32Array(x.buffer, x.byteOffset, x.length), key).toEqual(new Uint32Array(y.buffer, y.byteOffset, y.length));
    }
  }

  const uniform = (rng: SeededRandom, lo: number, hi: number) => lo + (hi - lo) * rng.next();
  const vec = (arena: Arena, rng: SeededRandom, n: number, gen: () => number) => {
    const a = arena.f32(n);
    for (let i = 0; i < n; i++) a.view[i] = gen();
    return a;
  };
  const B = 3;

  for (const H of [8, 12]) {
    for (const optional of [true, false]) {
      const what = `B=${B}, H=${H}, optional pointers ${optional ? 'given' : '0'}`;
      const n = B * H;

      it(`lifForwardStep: SIMD = JS twin bit for bit (${what})`, () => {
        const fill = (arena: Arena, rng: SeededRandom) => ({
          xw: vec(arena, rng, n, () => rng.normal() * 0.7),
          rec: vec(arena, rng, n, () => rng.normal() * 0.3),
          syn: vec(arena, rng, n, () => rng.normal() * 0.5),
          mem: vec(arena, rng, n, () => 0.8 + 0.6 * rng.normal()), // around the threshold: some neurons spike
          spk: arena.f32(n),
          den: arena.f32(n),
          memRec: arena.f32(n),
          synRec: arena.f32(n),
          list: arena.i32(n),
          alpha: vec(arena, rng, H, () => uniform(rng, 0.6, 0.99)),
          beta: vec(arena, rng, H, () => uniform(rng, 0.6, 0.99)),
        });
        const { simd, js } = twin(fill, (k, a) =>
          k.lifForwardStep(n, H, a.xw.ptr, optional ? a.rec.ptr : 0, a.syn.ptr, a.mem.ptr, a.spk.ptr, optional ? a.den.ptr : 0,
            optional ? a.memRec.ptr : 0, optional ? a.synRec.ptr : 0, a.list.ptr, a.alpha.ptr, a.beta.ptr, 1, 100),
        );
        const count = simd.ret as number;
        expect(count).toBe(js.ret);
        expect(count).toBeGreaterThan(2);
        expect(count).toBeLessThan(n - 2);
        expectSameBits(simd.arrays, js.arrays, ['list']);
        expect(Array.from(simd.arrays.list.view.subarray(0, count))).toEqual(Array.from(js.arrays.list.view.subarray(0, count)));
        // The list holds exactly the spiking elements, in order, and spiking neurons are reset.
        const spiking = Array.from(simd.arrays.spk.view).flatMap((s, i) => (s === 1 ? [i] : []));
        expect(Array.from(simd.arrays.list.view.subarray(0, count))).toEqual(spiking);
        for (const i of spiking) expect(simd.arrays.mem.view[i]).toBe(0);
        if (!optional) for (const key of ['den', 'memRec', 'synRec'] as const) expect(simd.arrays[key].view.every((x) => x === 0), key).toBe(true);
        else expect(simd.arrays.den.view.every((x) => x >= 1)).toBe(true);
      });

      it(`lifBackwardStep: SIMD = JS twin bit for bit (${what})`, () => {
        const fill = (arena: Arena, rng: SeededRandom) => ({
          g: arena.f32(n),
          dIn: vec(arena, rng, n, () => rng.normal()),
          rec: vec(arena, rng, n, () => rng.normal()),
          spk: vec(arena, rng, n, () => (rng.next() < 0.25 ? 1 : 0)),
          den: vec(arena, rng, n, () => 1 + 50 * rng.next()),
          memRec: vec(arena, rng, n, () => rng.normal()),
          synRec: vec(arena, rng, n, () => rng.normal()),
          gMem: vec(arena, rng, n, () => rng.normal()),
          gSyn: vec(arena, rng, n, () => rng.normal()),
          accAlpha: vec(arena, rng, n, () => rng.normal()),
          accBeta: vec(arena, rng, n, () => rng.normal()),
          alpha: vec(arena, rng, H, () => uniform(rng, 0.6, 0.99)),
          beta: vec(arena, rng, H, () => uniform(rng, 0.6, 0.99)),
        });
        const { simd, js } = twin(fill, (k, a) =>
          k.lifBackwardStep(n, H, a.g.ptr, a.dIn.ptr, optional ? a.rec.ptr : 0, a.spk.ptr, a.den.ptr, optional ? a.memRec.ptr : 0, optional ? a.synRec.ptr : 0,
            a.gMem.ptr, a.gSyn.ptr, optional ? a.accAlpha.ptr : 0, optional ? a.accBeta.ptr : 0, a.alpha.ptr, a.beta.ptr),
        );
        expectSameBits(simd.arrays, js.arrays);
        expect(simd.arrays.g.view.some((x) => x !== 0)).toBe(true);
      });

      it(`adlifForwardStep: SIMD = JS twin bit for bit (${what})`, () => {
        const fill = (arena: Arena, rng: SeededRandom) => ({
          xw: vec(arena, rng, n, () => 1 + 3 * rng.normal()),
          rec: vec(arena, rng, n, () => rng.normal()),
          u: vec(arena, rng, n, () => 0.9 + 0.4 * rng.normal()),
          w: vec(arena, rng, n, () => 0.3 * rng.normal()),
          spk: arena.f32(n),
          den: arena.f32(n),
          memRec: arena.f32(n),
          adaptRec: arena.f32(n),
          list: arena.i32(n),
          alpha: vec(arena, rng, H, () => uniform(rng, 0.8, 0.99)),
          beta: vec(arena, rng, H, () => uniform(rng, 0.9, 0.999)),
          a: vec(arena, rng, H, () => uniform(rng, -0.5, 1)),
          b: vec(arena, rng, H, () => uniform(rng, 0, 2)),
        });
        const { simd, js } = twin(fill, (k, a) =>
          k.adlifForwardStep(n, H, a.xw.ptr, optional ? a.rec.ptr : 0, a.u.ptr, a.w.ptr, a.spk.ptr, optional ? a.den.ptr : 0, optional ? a.memRec.ptr : 0,
            optional ? a.adaptRec.ptr : 0, a.list.ptr, a.alpha.ptr, a.beta.ptr, a.a.ptr, a.b.ptr, 1, 100, 30),
        );
        const count = simd.ret as number;
        expect(count).toBe(js.ret);
        expect(count).toBeGreaterThan(2);
        expect(count).toBeLessThan(n - 2);
        expectSameBits(simd.arrays, js.arrays, ['list']);
        expect(Array.from(simd.arrays.list.view.subarray(0, count))).toEqual(Array.from(js.arrays.list.view.subarray(0, count)));
        const spiking = Array.from(simd.arrays.spk.view).flatMap((s, i) => (s === 1 ? [i] : []));
        expect(Array.from(simd.arrays.list.view.subarray(0, count))).toEqual(spiking);
        // U'_t = 0 after a spike; with the records given, A_t is recorded as the new state.
        for (const i of spiking) expect(simd.arrays.u.view[i]).toBe(0);
        if (optional) expect(Array.from(simd.arrays.adaptRec.view)).toEqual(Array.from(simd.arrays.w.view));
      });

      it(`adlifBackwardStep: SIMD = JS twin bit for bit (${what})`, () => {
        const fill = (arena: Arena, rng: SeededRandom) => ({
          g: arena.f32(n),
          dIn: vec(arena, rng, n, () => rng.normal()),
          rec: vec(arena, rng, n, () => rng.normal()),
          spk: vec(arena, rng, n, () => (rng.next() < 0.25 ? 1 : 0)),
          den: vec(arena, rng, n, () => 1 + 50 * rng.next()),
          memRec: vec(arena, rng, n, () => 0.9 + 0.4 * rng.normal()),
          xw: vec(arena, rng, n, () => rng.normal()),
          prevMem: vec(arena, rng, n, () => 0.9 + 0.4 * rng.normal()),
          prevSpk: vec(arena, rng, n, () => (rng.next() < 0.25 ? 1 : 0)),
          prevAdapt: vec(arena, rng, n, () => 0.3 * rng.normal()),
          gU: vec(arena, rng, n, () => rng.normal()),
          gA: vec(arena, rng, n, () => rng.normal()),
          accAlpha: vec(arena, rng, n, () => rng.normal()),
          accBeta: vec(arena, rng, n, () => rng.normal()),
          accA: vec(arena, rng, n, () => rng.normal()),
          accB: vec(arena, rng, n, () => rng.normal()),
          alpha: vec(arena, rng, H, () => uniform(rng, 0.8, 0.99)),
          beta: vec(arena, rng, H, () => uniform(rng, 0.9, 0.999)),
          a: vec(arena, rng, H, () => uniform(rng, -0.5, 1)),
          b: vec(arena, rng, H, () => uniform(rng, 0, 2)),
        });
        const o = (p: number) => (optional ? p : 0);
        const { simd, js } = twin(fill, (k, a) =>
          k.adlifBackwardStep(n, H, a.g.ptr, a.dIn.ptr, o(a.rec.ptr), a.spk.ptr, a.den.ptr, a.memRec.ptr, a.xw.ptr, o(a.prevMem.ptr), o(a.prevSpk.ptr), o(a.prevAdapt.ptr),
            a.gU.ptr, a.gA.ptr, o(a.accAlpha.ptr), o(a.accBeta.ptr), o(a.accA.ptr), o(a.accB.ptr), a.alpha.ptr, a.beta.ptr, a.a.ptr, a.b.ptr, 30),
        );
        expectSameBits(simd.arrays, js.arrays);
        expect(simd.arrays.g.view.some((x) => x !== 0)).toBe(true);
      });
    }
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
