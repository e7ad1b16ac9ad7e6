/**
 * A very small WebAssembly assembler: just enough to write the engine's SIMD kernels as readable TypeScript
 * (named locals, one helper per instruction) and get a module's bytes, with no toolchain and no binary file
 * in the repository. Encodings follow the WebAssembly core specification 2.0 and its fixed-width SIMD
 * instructions (prefix 0xFD). WebAssembly.validate checks the result; the kernels' tests check what it
 * computes.
 */

export type ValType = 'i32' | 'f32' | 'v128';
const TYPE_CODE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
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

const simd = (code: number) => [0xfd, ...uleb(code)];
/** memarg: alignment exponent and offset. */
const mem = (align: number, offset = 0) => [align, ...uleb(offset)];

/** Instructions as byte sequences. Stack-machine order: operands first, then the instruction. */
export const I = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  ifThen: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  return: [0x0f],
  drop: [0x1a],

  i32Const: (x: number) => [0x41, ...sleb(x | 0)],
  f32Const: (x: number) => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)],
  i32Load: [0x28, ...mem(2)],
  f32Load: [0x2a, ...mem(2)],
  i32Store: [0x36, ...mem(2)],
  f32Store: [0x38, ...mem(2)],
  i32Eqz: [0x45],
  i32Ne: [0x47],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  i32Ctz: [0x68],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32DivU: [0x6e],
  i32And: [0x71],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  f32Ne: [0x5c],
  f32Add: [0x92],
  f32Mul: [0x94],

  v128Load: [...simd(0x00), ...mem(0)],
  /** v128.load with a constant byte offset added to the address. */
  v128LoadAt: (offset: number) => [...simd(0x00), ...mem(0, offset)],
  v128StoreAt: (offset: number) => [...simd(0x0b), ...mem(0, offset)],
  v128Store: [...simd(0x0b), ...mem(0)],
  f32x4Splat: simd(0x13),
  f32x4Ne: simd(0x42),
  f32x4Gt: simd(0x44),
  v128And: simd(0x4e),
  v128AndNot: simd(0x4f),
  i32x4Bitmask: simd(0xa4),
  f32x4Abs: simd(0xe0),
  f32x4Neg: simd(0xe1),
  f32x4Sqrt: simd(0xe3),
  f32x4Add: simd(0xe4),
  f32x4Sub: simd(0xe5),
  f32x4Mul: simd(0xe6),
  f32x4Div: simd(0xe7),
  f32x4Min: simd(0xe8),
  f32x4Max: simd(0xe9),
} as const;

/** One function: named parameters and locals, a body built from I's instructions. */
export class Func {
  private readonly index = new Map<string, number>();
  private readonly localTypes: ValType[] = [];
  private readonly paramTypes: ValType[];
  readonly body: number[] = [];

  constructor(
    readonly name: string,
    params: [string, ValType][],
    readonly result: ValType | null,
    locals: [string, ValType][],
  ) {
    this.paramTypes = params.map(([, t]) => t);
    params.forEach(([n], i) => this.index.set(n, i));
    locals.forEach(([n, t]) => {
      this.index.set(n, params.length + this.localTypes.length);
      this.localTypes.push(t);
    });
  }

  private idx(name: string): number {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`${this.name}: no local "${name}"`);
    return i;
  }

  get(name: string): number[] {
    return [0x20, ...uleb(this.idx(name))];
  }

  set(name: string): number[] {
    return [0x21, ...uleb(this.idx(name))];
  }

  tee(name: string): number[] {
    return [0x22, ...uleb(this.idx(name))];
  }

  emit(...parts: (number[] | readonly number[])[]): this {
    for (const p of parts) this.body.push(...p);
    return this;
  }

  typeBytes(): number[] {
    return [0x60, ...uleb(this.paramTypes.length), ...this.paramTypes.map((t) => TYPE_CODE[t]), ...(this.result ? [1, TYPE_CODE[this.result]] : [0])];
  }

  codeBytes(): number[] {
    // Locals are declared one entry each; the count of entries is small.
    const decl = [...uleb(this.localTypes.length), ...this.localTypes.flatMap((t) => [1, TYPE_CODE[t]])];
    const code = [...decl, ...this.body, 0x0b];
    return [...uleb(code.length), ...code];
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
}

/** A module of the given functions (each exported under its name) and one exported memory "mem". */
export function assembleModule(funcs: Func[]): Uint8Array<ArrayBuffer> {
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(funcs.length), ...funcs.flatMap((f) => f.typeBytes())]),
    ...section(3, [...uleb(funcs.length), ...funcs.flatMap((_, i) => uleb(i))]),
    ...section(5, [...uleb(1), 0x00, ...uleb(1)]),
    ...section(7, [
      ...uleb(funcs.length + 1),
      ...name('mem'), 0x02, ...uleb(0),
      ...funcs.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
    ]),
    ...section(10, [...uleb(funcs.length), ...funcs.flatMap((f) => f.codeBytes())]),
  ];
  return new Uint8Array(bytes);
}
