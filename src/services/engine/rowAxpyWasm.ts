/**
 * The sparse row kernel of rowAxpy.ts as a tiny WebAssembly SIMD module, assembled here from its
 * instructions (no toolchain, no binary file to ship). JS cannot use SIMD; with f32x4 lanes and no bounds
 * checks the same loop runs several times faster, which matters because x·W1 and xᵀ·∂I over the non-zero
 * input bins are the largest part of a training step.
 *
 * The module:
 *
 *     (func (export "rowAxpy") (param dst dstRow src srcRow coef n rowLen i32)   ;; pointers in bytes
 *       for i < n:
 *         d = dst + dstRow[i]·rowLen·4;  s = src + srcRow[i]·rowLen·4
 *         c = coef ? coef[i] : 1.0
 *         for j < rowLen rounded down to 4:   v128 d[j..j+3] = d[j..j+3] + splat(c)·s[j..j+3]
 *         for the remaining j:                 f32  d[j] = d[j] + c·s[j])
 *
 * Every product and sum is rounded to float32, so it gives exactly what rowAxpyJs gives.
 * Arguments are copied into the module's memory, which grows as needed and is kept between calls.
 */
import type { RowAxpyArgs } from './rowAxpy';

// Opcodes (WebAssembly core 2.0 and the fixed-width SIMD proposal).
const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Const: 0x41,
  f32Const: 0x43,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  f32Add: 0x92,
  f32Mul: 0x94,
  simd: 0xfd,
} as const;
const simd = { v128Load: 0x00, v128Store: 0x0b, f32x4Splat: 0x13, f32x4Add: 0xe4, f32x4Mul: 0xe6 } as const;
const VOID = 0x40;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
}

function f32Bytes(x: number): number[] {
  return Array.from(new Uint8Array(new Float32Array([x]).buffer));
}

/** The function body of rowAxpy (see the module comment). */
function rowAxpyBody(): number[] {
  // Parameters 0…6, then locals.
  const [dst, dstRow, src, srcRow, coef, n, rowLen] = [0, 1, 2, 3, 4, 5, 6];
  const [i, d, s, j, vecEnd, end, c, cv] = [7, 8, 9, 10, 11, 12, 13, 14];
  const get = (x: number) => [op.localGet, x];
  const set = (x: number) => [op.localSet, x];
  const i32 = (x: number) => [op.i32Const, ...sleb(x)];
  const mem = (align: number) => [align, 0];
  const code: number[] = [
    ...i32(0), ...set(i),
    ...i32(0), ...set(j),
    // end = rowLen·4; vecEnd = (rowLen & ~3)·4
    ...get(rowLen), ...i32(2), op.i32Shl, ...set(end),
    ...get(rowLen), ...i32(-4), op.i32And, ...i32(2), op.i32Shl, ...set(vecEnd),
    op.block, VOID,
    op.loop, VOID,
    ...get(i), ...get(n), op.i32GeU, op.brIf, 1,
    // d = dst + dstRow[i]·end; s = src + srcRow[i]·end
    ...get(dstRow), ...get(i), ...i32(2), op.i32Shl, op.i32Add, op.i32Load, ...mem(2), ...get(end), op.i32Mul, ...get(dst), op.i32Add, ...set(d),
    ...get(srcRow), ...get(i), ...i32(2), op.i32Shl, op.i32Add, op.i32Load, ...mem(2), ...get(end), op.i32Mul, ...get(src), op.i32Add, ...set(s),
    // c = coef ? coef[i] : 1
    ...get(coef), op.if, F32,
    ...get(coef), ...get(i), ...i32(2), op.i32Shl, op.i32Add, op.f32Load, ...mem(2),
    op.else, op.f32Const, ...f32Bytes(1),
    op.end,
    op.localTee, c, op.simd, ...uleb(simd.f32x4Splat), ...set(cv),
    ...i32(0), ...set(j),
    // Four lanes at a time.
    op.block, VOID,
    op.loop, VOID,
    ...get(j), ...get(vecEnd), op.i32GeU, op.brIf, 1,
    ...get(d), ...get(j), op.i32Add,
    ...get(d), ...get(j), op.i32Add, op.simd, ...uleb(simd.v128Load), ...mem(0),
    ...get(cv),
    ...get(s), ...get(j), op.i32Add, op.simd, ...uleb(simd.v128Load), ...mem(0),
    op.simd, ...uleb(simd.f32x4Mul),
    op.simd, ...uleb(simd.f32x4Add),
    op.simd, ...uleb(simd.v128Store), ...mem(0),
    ...get(j), ...i32(16), op.i32Add, ...set(j),
    op.br, 0,
    op.end,
    op.end,
    // The rest one float at a time.
    op.block, VOID,
    op.loop, VOID,
    ...get(j), ...get(end), op.i32GeU, op.brIf, 1,
    ...get(d), ...get(j), op.i32Add,
    ...get(d), ...get(j), op.i32Add, op.f32Load, ...mem(2),
    ...get(c),
    ...get(s), ...get(j), op.i32Add, op.f32Load, ...mem(2),
    op.f32Mul,
    op.f32Add,
    op.f32Store, ...mem(2),
    ...get(j), ...i32(4), op.i32Add, ...set(j),
    op.br, 0,
    op.end,
    op.end,
    ...get(i), ...i32(1), op.i32Add, ...set(i),
    op.br, 0,
    op.end,
    op.end,
    op.end,
  ];
  const locals = [3, ...uleb(6), I32, ...uleb(1), F32, ...uleb(1), V128];
  const body = [...locals, ...code];
  return [...uleb(body.length), ...body];
}

/** The whole module: one function, one exported memory. */
export function rowAxpyModuleBytes(): Uint8Array<ArrayBuffer> {
  const type = [0x60, ...uleb(7), I32, I32, I32, I32, I32, I32, I32, ...uleb(0)];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(1), ...type]),
    ...section(3, [...uleb(1), ...uleb(0)]),
    ...section(5, [...uleb(1), 0x00, ...uleb(1)]),
    ...section(7, [...uleb(2), ...name('mem'), 0x02, ...uleb(0), ...name('rowAxpy'), 0x00, ...uleb(0)]),
    ...section(10, [...uleb(1), ...rowAxpyBody()]),
  ];
  return new Uint8Array(bytes);
}

interface Kernel {
  memory: WebAssembly.Memory;
  rowAxpy: (dst: number, dstRow: number, src: number, srcRow: number, coef: number, n: number, rowLen: number) => void;
}

let kernel: Kernel | null | undefined;

/** The instantiated module, or null where WebAssembly SIMD is unavailable. */
function getKernel(): Kernel | null {
  if (kernel !== undefined) return kernel;
  kernel = null;
  try {
    const bytes = rowAxpyModuleBytes();
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
      const exp = instance.exports as unknown as Kernel & { mem: WebAssembly.Memory };
      kernel = { memory: exp.mem, rowAxpy: exp.rowAxpy };
    }
  } catch {
    kernel = null;
  }
  return kernel;
}

export function rowAxpyWasmAvailable(): boolean {
  return getKernel() !== null;
}

/** Runs the kernel; false when WebAssembly SIMD is unavailable (the caller then uses the JS version). */
export function rowAxpyWasm(a: RowAxpyArgs): boolean {
  const k = getKernel();
  if (!k) return false;
  const { dst, dstRow, src, srcRow, coef, n, rowLen } = a;
  // Layout: [16 reserved][dst][src][dstRow][srcRow][coef], each 16-byte aligned; address 0 means "no coef".
  const align = (x: number) => (x + 15) & ~15;
  const pDst = 16;
  const pSrc = align(pDst + dst.byteLength);
  const pDstRow = align(pSrc + src.byteLength);
  const pSrcRow = align(pDstRow + n * 4);
  const pCoef = align(pSrcRow + n * 4);
  const total = pCoef + (coef ? n * 4 : 0);
  if (total > 2 ** 31) return false;
  const have = k.memory.buffer.byteLength;
  if (total > have) k.memory.grow(Math.ceil((total - have) / 65536));
  const buf = k.memory.buffer;
  const dstView = new Float32Array(buf, pDst, dst.length);
  dstView.set(dst);
  new Float32Array(buf, pSrc, src.length).set(src);
  new Int32Array(buf, pDstRow, n).set(dstRow.subarray(0, n));
  new Int32Array(buf, pSrcRow, n).set(srcRow.subarray(0, n));
  if (coef) new Float32Array(buf, pCoef, n).set(coef.subarray(0, n));
  k.rowAxpy(pDst, pDstRow, pSrc, pSrcRow, coef ? pCoef : 0, n, rowLen);
  dst.set(dstView);
  return true;
}
