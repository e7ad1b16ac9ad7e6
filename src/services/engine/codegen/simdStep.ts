/**
 * A small expression layer over wasmAssembler.ts for the generated element-wise step kernels (wasmEmit.ts):
 * `st('syn', add(mul(ldH('alpha'), v('s')), v('input')))`. Every f32x4 operation
 * rounds to float32 once, as the twin's Math.fround does, so the two give the same bits.
 *
 * A step kernel walks n = B·H elements four at a time with byte offset `i`; per-neuron vectors ([H]) are read
 * at byte offset `hp`, which wraps at H·4 (so H must be a multiple of 4). Pointer parameters are byte offsets
 * into the module's memory; an optional one is 0 when absent.
 */
import { Func, I, type ValType } from '../cpu/wasmAssembler';

export type Code = readonly number[];

const cat = (...parts: Code[]): number[] => parts.flat();

export class StepKernel {
  readonly f: Func;

  /**
   * `pointers` and `scalars` (f32) are the parameters after (n, H); `vectors` are v128 locals; the loop
   * locals i, end, hp, hEnd, count, bits and the constants vOne, vZero are added here.
   */
  constructor(name: string, pointers: string[], scalars: string[], vectors: string[], returnsCount: boolean) {
    const params: [string, ValType][] = [['n', 'i32'], ['H', 'i32'], ...pointers.map((p): [string, ValType] => [p, 'i32']), ...scalars.map((s): [string, ValType] => [s, 'f32'])];
    const locals: [string, ValType][] = [
      ['i', 'i32'], ['end', 'i32'], ['hp', 'i32'], ['hEnd', 'i32'], ['count', 'i32'], ['bits', 'i32'],
      ['vOne', 'v128'], ['vZero', 'v128'],
      ...vectors.map((v): [string, ValType] => [v, 'v128']),
    ];
    this.f = new Func(name, params, returnsCount ? 'i32' : null, locals);
  }

  /** A v128 local. */
  v = (name: string): Code => this.f.get(name);
  /** An f32 parameter splatted to four lanes. */
  splat = (name: string): Code => cat(this.f.get(name), I.f32x4Splat);
  /** The element at i of the array `ptr` points to. */
  ld = (ptr: string): Code => cat(this.f.get(ptr), this.f.get('i'), I.i32Add, I.v128Load);
  /** The per-neuron element at hp of the [H] vector `ptr` points to. */
  ldH = (ptr: string): Code => cat(this.f.get(ptr), this.f.get('hp'), I.i32Add, I.v128Load);
  /** Stores `value` at i of `ptr`'s array. */
  st = (ptr: string, value: Code): Code => cat(this.f.get(ptr), this.f.get('i'), I.i32Add, value, I.v128Store);
  /** Sets a v128 local. */
  let = (name: string, value: Code): Code => cat(value, this.f.set(name));
  /** `then` only when the pointer parameter `ptr` is non-zero. */
  ifPtr = (ptr: string, then: Code): Code => cat(this.f.get(ptr), I.ifThen, then, I.end);
  /** `then` when ptr is non-zero, `otherwise` when it is 0. */
  ifPtrElse = (ptr: string, then: Code, otherwise: Code): Code => cat(this.f.get(ptr), I.ifThen, then, I.else, otherwise, I.end);

  add = (a: Code, b: Code): Code => cat(a, b, I.f32x4Add);
  sub = (a: Code, b: Code): Code => cat(a, b, I.f32x4Sub);
  mul = (a: Code, b: Code): Code => cat(a, b, I.f32x4Mul);
  div = (a: Code, b: Code): Code => cat(a, b, I.f32x4Div);
  abs = (a: Code): Code => cat(a, I.f32x4Abs);
  neg = (a: Code): Code => cat(a, I.f32x4Neg);
  sqrt = (a: Code): Code => cat(a, I.f32x4Sqrt);
  /** Lane-wise minimum and maximum, NaN-propagating with −0 < +0, as Math.min and Math.max. */
  min = (a: Code, b: Code): Code => cat(a, b, I.f32x4Min);
  max = (a: Code, b: Code): Code => cat(a, b, I.f32x4Max);
  /** All-ones lanes where a > b. */
  gt = (a: Code, b: Code): Code => cat(a, b, I.f32x4Gt);
  /** All-ones lanes where a ≠ b. */
  ne = (a: Code, b: Code): Code => cat(a, b, I.f32x4Ne);
  and = (a: Code, b: Code): Code => cat(a, b, I.v128And);
  /** a with the lanes of `mask` cleared (a & ~mask): +0 where the mask is set. */
  andNot = (a: Code, mask: Code): Code => cat(a, mask, I.v128AndNot);

  /** Appends i/4 + lane of each set lane of the mask local to the i32 list at `list` (counting in `count`). */
  appendLanes = (mask: string, list: string): Code => {
    const f = this.f;
    return cat(
      f.get(mask), I.i32x4Bitmask, f.set('bits'),
      I.block, I.loop,
      f.get('bits'), I.i32Eqz, I.brIf(1),
      f.get(list), f.get('count'), I.i32Const(2), I.i32Shl, I.i32Add,
      f.get('i'), I.i32Const(2), I.i32ShrU, f.get('bits'), I.i32Ctz, I.i32Add, I.i32Store,
      f.get('count'), I.i32Const(1), I.i32Add, f.set('count'),
      f.get('bits'), f.get('bits'), I.i32Const(1), I.i32Sub, I.i32And, f.set('bits'),
      I.br(0), I.end, I.end,
    );
  };

  /** The whole function: constants and `prelude` (loop-invariant lanes), then `body` for i = 0, 16, … < 4n, with hp wrapping at 4H. */
  build(body: Code[], prelude: Code[] = []): Func {
    const f = this.f;
    f.emit(I.f32Const(1), I.f32x4Splat, f.set('vOne'), I.f32Const(0), I.f32x4Splat, f.set('vZero'));
    for (const part of prelude) f.emit(part);
    f.emit(f.get('n'), I.i32Const(2), I.i32Shl, f.set('end'), f.get('H'), I.i32Const(2), I.i32Shl, f.set('hEnd'));
    f.emit(I.i32Const(0), f.set('i'), I.i32Const(0), f.set('hp'), I.i32Const(0), f.set('count'));
    f.emit(I.block, I.loop);
    f.emit(f.get('i'), f.get('end'), I.i32GeU, I.brIf(1));
    for (const part of body) f.emit(part);
    f.emit(f.get('i'), I.i32Const(16), I.i32Add, f.set('i'));
    f.emit(f.get('hp'), I.i32Const(16), I.i32Add, f.set('hp'));
    f.emit(f.get('hp'), f.get('hEnd'), I.i32GeU, I.ifThen, I.i32Const(0), f.set('hp'), I.end);
    f.emit(I.br(0), I.end, I.end);
    if (f.result) f.emit(f.get('count'));
    return f;
  }
}
