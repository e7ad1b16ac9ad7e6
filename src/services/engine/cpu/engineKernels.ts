/**
 * The engine's WebAssembly SIMD kernels, assembled at load time (wasmAssembler.ts). JS has no SIMD and
 * bounds-checks every typed-array access; these loops run several times faster and give bit-for-bit the
 * float32 results of their JS twins (jsKernels.ts), because every product and sum is rounded to float32 in
 * the same order.
 *
 *   rowAxpy(dst, dstRow, src, srcRow, coef, n, rowLen)
 *       for i < n: dst[dstRow[i]] += (coef ? coef[i] : 1) · src[srcRow[i]]          rows of rowLen floats
 *   spikeRowsAdd(dst, src, idx, count, rowLen)
 *       for k < count: i = idx[k]; dst[i / rowLen] += src[i % rowLen]                 S_{t−1}·V1 from a spike list
 *   steps: the neuron kinds' generated step kernels (codegen/wasmEmit.ts, arguments in codegen/kernelArgs.ts)
 *   matmul(dst, a, b, rows, inner, cols)
 *       dst = a·b, row-major, in 4 × 8 register tiles (rows % 4 = 0, cols % 8 = 0)
 *   tapGather(dst, src, k, rows, rowLen, taps, stride)
 *       dst[r, j] = Σ_{m < taps} k[m, j] · src[m·stride + r·rowLen + j], summed over m in order from 0
 *       (rows of rowLen floats; stride in floats): the delays' Σ_m k_h(m)·P_{t+m} (fusedDelays.ts)
 *   nonZeros(colOut, rowOut, valOut, src, rows, cols) → count
 *       the non-zeros of src [rows × cols] in row order, as (column, row, value): a dense matrix as rowAxpy's
 *       pair list (∂W = Dᵀ·G with the delays' dense D)
 *
 * Pointers are byte offsets into the module's memory; 0 means "absent" for the optional ones (coef, rec, den,
 * memRec). The step kernels need n divisible by 4 and 16-byte aligned arrays.
 */
import { jsKernels } from './jsKernels';
import type { EngineKernels, KernelFunctions } from './kernelSignatures';
import { stepWasmFuncs } from '../codegen/stepKernels';
import { Func, I, assembleModule } from './wasmAssembler';

/** Emits dst row += c·src row for the current d, s pointers (locals d, s, j, vecEnd, end, c, cv). */
function rowAdd(f: Func): void {
  f.emit(I.i32Const(0), f.set('j'));
  // Four lanes at a time…
  f.emit(I.block, I.loop);
  f.emit(f.get('j'), f.get('vecEnd'), I.i32GeU, I.brIf(1));
  f.emit(f.get('d'), f.get('j'), I.i32Add);
  f.emit(f.get('d'), f.get('j'), I.i32Add, I.v128Load);
  f.emit(f.get('cv'), f.get('s'), f.get('j'), I.i32Add, I.v128Load, I.f32x4Mul);
  f.emit(I.f32x4Add, I.v128Store);
  f.emit(f.get('j'), I.i32Const(16), I.i32Add, f.set('j'), I.br(0));
  f.emit(I.end, I.end);
  // …then the rest one float at a time.
  f.emit(I.block, I.loop);
  f.emit(f.get('j'), f.get('end'), I.i32GeU, I.brIf(1));
  f.emit(f.get('d'), f.get('j'), I.i32Add);
  f.emit(f.get('d'), f.get('j'), I.i32Add, I.f32Load);
  f.emit(f.get('c'), f.get('s'), f.get('j'), I.i32Add, I.f32Load, I.f32Mul);
  f.emit(I.f32Add, I.f32Store);
  f.emit(f.get('j'), I.i32Const(4), I.i32Add, f.set('j'), I.br(0));
  f.emit(I.end, I.end);
}

const ROW_LOCALS: [string, 'i32' | 'f32' | 'v128'][] = [
  ['i', 'i32'], ['d', 'i32'], ['s', 'i32'], ['j', 'i32'], ['vecEnd', 'i32'], ['end', 'i32'], ['c', 'f32'], ['cv', 'v128'],
];

/** end = rowLen·4 bytes; vecEnd = (rowLen rounded down to 4)·4. */
function rowBounds(f: Func): void {
  f.emit(f.get('rowLen'), I.i32Const(2), I.i32Shl, f.set('end'));
  f.emit(f.get('rowLen'), I.i32Const(-4), I.i32And, I.i32Const(2), I.i32Shl, f.set('vecEnd'));
}

function rowAxpyFunc(): Func {
  const f = new Func('rowAxpy', [['dst', 'i32'], ['dstRow', 'i32'], ['src', 'i32'], ['srcRow', 'i32'], ['coef', 'i32'], ['n', 'i32'], ['rowLen', 'i32']], null, ROW_LOCALS);
  rowBounds(f);
  f.emit(I.i32Const(0), f.set('i'));
  f.emit(I.block, I.loop);
  f.emit(f.get('i'), f.get('n'), I.i32GeU, I.brIf(1));
  // d = dst + dstRow[i]·end; s = src + srcRow[i]·end
  f.emit(f.get('dstRow'), f.get('i'), I.i32Const(2), I.i32Shl, I.i32Add, I.i32Load, f.get('end'), I.i32Mul, f.get('dst'), I.i32Add, f.set('d'));
  f.emit(f.get('srcRow'), f.get('i'), I.i32Const(2), I.i32Shl, I.i32Add, I.i32Load, f.get('end'), I.i32Mul, f.get('src'), I.i32Add, f.set('s'));
  // c = coef ? coef[i] : 1
  f.emit(I.f32Const(1), f.set('c'));
  f.emit(f.get('coef'), I.ifThen, f.get('coef'), f.get('i'), I.i32Const(2), I.i32Shl, I.i32Add, I.f32Load, f.set('c'), I.end);
  f.emit(f.get('c'), I.f32x4Splat, f.set('cv'));
  rowAdd(f);
  f.emit(f.get('i'), I.i32Const(1), I.i32Add, f.set('i'), I.br(0));
  f.emit(I.end, I.end);
  return f;
}

function spikeRowsAddFunc(): Func {
  const f = new Func('spikeRowsAdd', [['dst', 'i32'], ['src', 'i32'], ['idx', 'i32'], ['count', 'i32'], ['rowLen', 'i32']], null, [...ROW_LOCALS, ['flat', 'i32'], ['row', 'i32']]);
  rowBounds(f);
  f.emit(I.f32Const(1), f.set('c'), f.get('c'), I.f32x4Splat, f.set('cv'));
  f.emit(I.i32Const(0), f.set('i'));
  f.emit(I.block, I.loop);
  f.emit(f.get('i'), f.get('count'), I.i32GeU, I.brIf(1));
  // flat = idx[i]; row = flat / rowLen; d = dst + row·end; s = src + (flat − row·rowLen)·end
  f.emit(f.get('idx'), f.get('i'), I.i32Const(2), I.i32Shl, I.i32Add, I.i32Load, f.set('flat'));
  f.emit(f.get('flat'), f.get('rowLen'), I.i32DivU, f.set('row'));
  f.emit(f.get('dst'), f.get('row'), f.get('end'), I.i32Mul, I.i32Add, f.set('d'));
  f.emit(f.get('src'), f.get('flat'), f.get('row'), f.get('rowLen'), I.i32Mul, I.i32Sub, f.get('end'), I.i32Mul, I.i32Add, f.set('s'));
  rowAdd(f);
  f.emit(f.get('i'), I.i32Const(1), I.i32Add, f.set('i'), I.br(0));
  f.emit(I.end, I.end);
  return f;
}

/**
 * dst = a·b for row-major a [rows × inner], b [inner × cols], dst [rows × cols]; rows % 4 = 0, cols % 8 = 0.
 * Tiles of 4 rows × 8 columns stay in eight registers over the whole inner loop; each output is summed over
 * j in order, so the JS twin gives the same bits.
 */
function matmulFunc(): Func {
  const acc = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7'];
  const rowPtr = ['a0', 'a1', 'a2', 'a3'];
  const f = new Func(
    'matmul',
    [['dst', 'i32'], ['a', 'i32'], ['b', 'i32'], ['rows', 'i32'], ['inner', 'i32'], ['cols', 'i32']],
    null,
    [
      ['r', 'i32'], ['c', 'i32'], ['j', 'i32'], ...rowPtr.map((n): [string, 'i32'] => [n, 'i32']), ['bp', 'i32'], ['rowBytes', 'i32'], ['colBytes', 'i32'], ['d', 'i32'],
      ...acc.map((n): [string, 'v128'] => [n, 'v128']), ['b0', 'v128'], ['b1', 'v128'], ['av', 'v128'], ['zero', 'v128'],
    ],
  );
  f.emit(f.get('inner'), I.i32Const(2), I.i32Shl, f.set('rowBytes'));
  f.emit(f.get('cols'), I.i32Const(2), I.i32Shl, f.set('colBytes'));
  f.emit(I.f32Const(0), I.f32x4Splat, f.set('zero'));
  f.emit(I.i32Const(0), f.set('r'));
  f.emit(I.block, I.loop, f.get('r'), f.get('rows'), I.i32GeU, I.brIf(1));
  f.emit(I.i32Const(0), f.set('c'));
  f.emit(I.block, I.loop, f.get('c'), f.get('cols'), I.i32GeU, I.brIf(1));
  for (const x of acc) f.emit(f.get('zero'), f.set(x));
  f.emit(f.get('a'), f.get('r'), f.get('rowBytes'), I.i32Mul, I.i32Add, f.set('a0'));
  for (let q = 1; q < 4; q++) f.emit(f.get(rowPtr[q - 1]), f.get('rowBytes'), I.i32Add, f.set(rowPtr[q]));
  f.emit(f.get('b'), f.get('c'), I.i32Const(2), I.i32Shl, I.i32Add, f.set('bp'));
  f.emit(I.i32Const(0), f.set('j'));
  f.emit(I.block, I.loop, f.get('j'), f.get('inner'), I.i32GeU, I.brIf(1));
  f.emit(f.get('bp'), I.v128Load, f.set('b0'), f.get('bp'), I.v128LoadAt(16), f.set('b1'));
  for (let q = 0; q < 4; q++) {
    f.emit(f.get(rowPtr[q]), I.f32Load, I.f32x4Splat, f.set('av'));
    f.emit(f.get(acc[2 * q]), f.get('av'), f.get('b0'), I.f32x4Mul, I.f32x4Add, f.set(acc[2 * q]));
    f.emit(f.get(acc[2 * q + 1]), f.get('av'), f.get('b1'), I.f32x4Mul, I.f32x4Add, f.set(acc[2 * q + 1]));
    f.emit(f.get(rowPtr[q]), I.i32Const(4), I.i32Add, f.set(rowPtr[q]));
  }
  f.emit(f.get('bp'), f.get('colBytes'), I.i32Add, f.set('bp'));
  f.emit(f.get('j'), I.i32Const(1), I.i32Add, f.set('j'), I.br(0), I.end, I.end);
  for (let q = 0; q < 4; q++) {
    f.emit(f.get('dst'), f.get('r'), I.i32Const(q), I.i32Add, f.get('colBytes'), I.i32Mul, I.i32Add, f.get('c'), I.i32Const(2), I.i32Shl, I.i32Add, f.set('d'));
    f.emit(f.get('d'), f.get(acc[2 * q]), I.v128Store, f.get('d'), f.get(acc[2 * q + 1]), I.v128StoreAt(16));
  }
  f.emit(f.get('c'), I.i32Const(8), I.i32Add, f.set('c'), I.br(0), I.end, I.end);
  f.emit(f.get('r'), I.i32Const(4), I.i32Add, f.set('r'), I.br(0), I.end, I.end);
  return f;
}

/**
 * dst[r, j] = Σ_{m < taps} k[m·rowLen + j] · src[m·stride + r·rowLen + j] (stride in floats): per row, four
 * columns at a time with the sum over m in one register, then the tail one float at a time. The products and
 * sums are rounded to float32 in m order, as the JS twin rounds them.
 */
function tapGatherFunc(): Func {
  const f = new Func(
    'tapGather',
    [['dst', 'i32'], ['src', 'i32'], ['k', 'i32'], ['rows', 'i32'], ['rowLen', 'i32'], ['taps', 'i32'], ['stride', 'i32']],
    null,
    [['r', 'i32'], ['j', 'i32'], ['m', 'i32'], ['kp', 'i32'], ['sp', 'i32'], ['rowOff', 'i32'], ['end', 'i32'], ['vecEnd', 'i32'], ['strideBytes', 'i32'], ['acc', 'v128'], ['a', 'f32']],
  );
  rowBounds(f);
  f.emit(f.get('stride'), I.i32Const(2), I.i32Shl, f.set('strideBytes'));
  f.emit(I.i32Const(0), f.set('r'));
  f.emit(I.block, I.loop, f.get('r'), f.get('rows'), I.i32GeU, I.brIf(1));
  f.emit(f.get('r'), f.get('end'), I.i32Mul, f.set('rowOff'));
  f.emit(I.i32Const(0), f.set('j'));
  // Four columns at a time…
  f.emit(I.block, I.loop, f.get('j'), f.get('vecEnd'), I.i32GeU, I.brIf(1));
  f.emit(I.f32Const(0), I.f32x4Splat, f.set('acc'));
  f.emit(f.get('k'), f.get('j'), I.i32Add, f.set('kp'));
  f.emit(f.get('src'), f.get('rowOff'), I.i32Add, f.get('j'), I.i32Add, f.set('sp'));
  f.emit(I.i32Const(0), f.set('m'));
  f.emit(I.block, I.loop, f.get('m'), f.get('taps'), I.i32GeU, I.brIf(1));
  f.emit(f.get('acc'), f.get('kp'), I.v128Load, f.get('sp'), I.v128Load, I.f32x4Mul, I.f32x4Add, f.set('acc'));
  f.emit(f.get('kp'), f.get('end'), I.i32Add, f.set('kp'));
  f.emit(f.get('sp'), f.get('strideBytes'), I.i32Add, f.set('sp'));
  f.emit(f.get('m'), I.i32Const(1), I.i32Add, f.set('m'), I.br(0), I.end, I.end);
  f.emit(f.get('dst'), f.get('rowOff'), I.i32Add, f.get('j'), I.i32Add, f.get('acc'), I.v128Store);
  f.emit(f.get('j'), I.i32Const(16), I.i32Add, f.set('j'), I.br(0), I.end, I.end);
  // …then the rest one float at a time.
  f.emit(I.block, I.loop, f.get('j'), f.get('end'), I.i32GeU, I.brIf(1));
  f.emit(I.f32Const(0), f.set('a'));
  f.emit(f.get('k'), f.get('j'), I.i32Add, f.set('kp'));
  f.emit(f.get('src'), f.get('rowOff'), I.i32Add, f.get('j'), I.i32Add, f.set('sp'));
  f.emit(I.i32Const(0), f.set('m'));
  f.emit(I.block, I.loop, f.get('m'), f.get('taps'), I.i32GeU, I.brIf(1));
  f.emit(f.get('a'), f.get('kp'), I.f32Load, f.get('sp'), I.f32Load, I.f32Mul, I.f32Add, f.set('a'));
  f.emit(f.get('kp'), f.get('end'), I.i32Add, f.set('kp'));
  f.emit(f.get('sp'), f.get('strideBytes'), I.i32Add, f.set('sp'));
  f.emit(f.get('m'), I.i32Const(1), I.i32Add, f.set('m'), I.br(0), I.end, I.end);
  f.emit(f.get('dst'), f.get('rowOff'), I.i32Add, f.get('j'), I.i32Add, f.get('a'), I.f32Store);
  f.emit(f.get('j'), I.i32Const(4), I.i32Add, f.set('j'), I.br(0), I.end, I.end);
  f.emit(f.get('r'), I.i32Const(1), I.i32Add, f.set('r'), I.br(0), I.end, I.end);
  return f;
}

function nonZerosFunc(): Func {
  const f = new Func(
    'nonZeros',
    [['colOut', 'i32'], ['rowOut', 'i32'], ['valOut', 'i32'], ['src', 'i32'], ['rows', 'i32'], ['cols', 'i32']],
    'i32',
    [['n', 'i32'], ['r', 'i32'], ['c', 'i32'], ['p', 'i32'], ['o', 'i32'], ['v', 'f32']],
  );
  f.emit(I.i32Const(0), f.set('n'), f.get('src'), f.set('p'), I.i32Const(0), f.set('r'));
  f.emit(I.block, I.loop, f.get('r'), f.get('rows'), I.i32GeU, I.brIf(1));
  f.emit(I.i32Const(0), f.set('c'));
  f.emit(I.block, I.loop, f.get('c'), f.get('cols'), I.i32GeU, I.brIf(1));
  f.emit(f.get('p'), I.f32Load, f.tee('v'), I.f32Const(0), I.f32Ne, I.ifThen);
  // o = n·4: the outputs' byte offset.
  f.emit(f.get('n'), I.i32Const(2), I.i32Shl, f.set('o'));
  f.emit(f.get('colOut'), f.get('o'), I.i32Add, f.get('c'), I.i32Store);
  f.emit(f.get('rowOut'), f.get('o'), I.i32Add, f.get('r'), I.i32Store);
  f.emit(f.get('valOut'), f.get('o'), I.i32Add, f.get('v'), I.f32Store);
  f.emit(f.get('n'), I.i32Const(1), I.i32Add, f.set('n'), I.end);
  f.emit(f.get('p'), I.i32Const(4), I.i32Add, f.set('p'));
  f.emit(f.get('c'), I.i32Const(1), I.i32Add, f.set('c'), I.br(0), I.end, I.end);
  f.emit(f.get('r'), I.i32Const(1), I.i32Add, f.set('r'), I.br(0), I.end, I.end);
  f.emit(f.get('n'));
  return f;
}

let moduleCache: WebAssembly.Module | null | undefined;

export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule([rowAxpyFunc(), spikeRowsAddFunc(), matmulFunc(), tapGatherFunc(), nonZerosFunc(), ...stepWasmFuncs().map((make) => make())]);
}

/** A fresh instance (its own memory), or null where WebAssembly SIMD is not available. */
export function instantiateKernels(): EngineKernels | null {
  if (moduleCache === undefined) {
    moduleCache = null;
    try {
      const bytes = kernelModuleBytes();
      if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) moduleCache = new WebAssembly.Module(bytes);
    } catch {
      moduleCache = null;
    }
  }
  if (!moduleCache) return null;
  const exp = new WebAssembly.Instance(moduleCache, {}).exports as unknown as Record<string, unknown> & { mem: WebAssembly.Memory };
  // Step kernels without a SIMD version run as their JS twins on the same memory.
  const js = jsKernels(exp.mem);
  const steps = Object.fromEntries(Object.entries(js.steps).map(([name, twin]) => [name, (exp[name] as typeof twin | undefined) ?? twin]));
  const { rowAxpy, spikeRowsAdd, matmul, tapGather, nonZeros } = exp as unknown as KernelFunctions;
  return { rowAxpy, spikeRowsAdd, matmul, tapGather, nonZeros, steps, memory: exp.mem };
}

/**
 * The kernels for one memory: WebAssembly SIMD where available and wanted, the JS versions otherwise. Both
 * sets give the same bits, so they can be mixed: `pick(fits)` gives the SIMD set only when the shapes fit
 * its lanes (the step kernels need n % 4 = 0, matmul rows % 4 = 0 and cols % 8 = 0).
 */
export interface KernelRuntime {
  memory: WebAssembly.Memory;
  simd: boolean;
  /** For the kernels without shape conditions (rowAxpy, spikeRowsAdd, tapGather, nonZeros). */
  kernels: KernelFunctions;
  pick(fits: boolean): KernelFunctions;
}

export function createKernelRuntime(useSimd = true): KernelRuntime {
  const wasm = useSimd ? instantiateKernels() : null;
  const memory = wasm ? wasm.memory : new WebAssembly.Memory({ initial: 1 });
  const js = jsKernels(memory);
  return { memory, simd: wasm !== null, kernels: wasm ?? js, pick: (fits) => (wasm && fits ? wasm : js) };
}

/**
 * Bump allocation in a kernel instance's memory, reset per batch. The whole size is reserved first
 * (growing memory invalidates views), then arrays are carved out 16-byte aligned; address 0 stays unused
 * so that 0 can mean "absent".
 */
export class Arena {
  private top = 16;
  private limit = 16;

  constructor(readonly memory: WebAssembly.Memory) {}

  /** Starts a new batch with room for `bytes` (plus alignment slack for `arrays` arrays). */
  reset(bytes: number, arrays: number): void {
    this.top = 16;
    this.limit = 16 + bytes + arrays * 16;
    // wasm32 memory ends at 4 GiB (65 536 pages of 64 KiB).
    if (this.limit > 65536 * 65536) {
      throw new Error(`a batch needs ${(this.limit / 2 ** 30).toFixed(1)} GiB of kernel memory, over the 4 GiB WebAssembly limit; use a smaller batch, fewer steps or fewer hidden neurons`);
    }
    const have = this.memory.buffer.byteLength;
    if (this.limit > have) this.memory.grow(Math.ceil((this.limit - have) / 65536));
  }

  private take(bytes: number): number {
    const at = this.top;
    this.top = (at + bytes + 15) & ~15;
    if (this.top > this.limit) throw new Error(`kernel arena overflow: ${this.top} > ${this.limit} bytes reserved`);
    return at;
  }

  /** Zero-filled unless `zero` is false (for arrays a kernel overwrites whole). */
  f32(n: number, zero = true): { ptr: number; view: Float32Array } {
    const ptr = this.take(n * 4);
    const view = new Float32Array(this.memory.buffer, ptr, n);
    if (zero) view.fill(0);
    return { ptr, view };
  }

  i32(n: number): { ptr: number; view: Int32Array } {
    const ptr = this.take(n * 4);
    return { ptr, view: new Int32Array(this.memory.buffer, ptr, n) };
  }
}
