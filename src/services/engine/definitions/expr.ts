/**
 * The expression tree a neuron definition's step is written in, and from which every backend's kernels are
 * generated (codegen/). A node is immutable and interned by its builder (`ExprBuilder`): building the same
 * operation on the same operands twice gives the same node, so the step and the backward derived from it share
 * their common subexpressions, and the code generators compute each node once.
 *
 * Nodes are numbered in creation order and operands are always created before the node that uses them, so
 * ascending ids are a valid evaluation order.
 *
 * Leaves:
 *   state(name)   a state's value before the step (every state starts at 0)
 *   input         J_t, the step's input current (x_t·W_in + S_{t−1}·W_rec; the projections are not the neuron's)
 *   param(name)   a per-neuron parameter [H]
 *   scalar(name)  a constant of the run (threshold, surrogate scale, …)
 *   const         a number
 *   adj(name)     in a backward graph only: the adjoint arriving from after the step, of the spike ('$spike')
 *                 or of a state's next value
 * Operations: add sub mul div min max (two operands), neg abs exp sqrt cos sin (one; cos and sin in radians), spike (Θ(v): 1 where v > 0, else
 * 0, differentiated by the definition's surrogate), detach (the value, differentiated as 0), gt (1 where
 * a > b, else 0; never differentiated).
 */

export type UnaryOp = 'neg' | 'abs' | 'exp' | 'sqrt' | 'cos' | 'sin' | 'spike' | 'detach';
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'gt';

export type Expr =
  | { readonly id: number; readonly op: 'const'; readonly value: number }
  | { readonly id: number; readonly op: 'state' | 'param' | 'scalar' | 'adj'; readonly name: string }
  | { readonly id: number; readonly op: 'input' }
  | { readonly id: number; readonly op: UnaryOp; readonly a: Expr }
  | { readonly id: number; readonly op: BinaryOp; readonly a: Expr; readonly b: Expr };

export type Operand = Expr | number;

export const UNARY_OPS: readonly UnaryOp[] = ['neg', 'abs', 'exp', 'sqrt', 'cos', 'sin', 'spike', 'detach'];
export const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'min', 'max', 'gt'];

/** The operands of a node (none for a leaf). */
export function operands(e: Expr): Expr[] {
  if ('b' in e) return [e.a, e.b];
  if ('a' in e) return [e.a];
  return [];
}

export const isConst = (e: Expr, value?: number): boolean => e.op === 'const' && (value === undefined || Object.is(e.value, value) || e.value === value);

/**
 * Builds interned nodes. One builder per definition: the forward step and its derived backward are built in
 * it, so a node of the backward that is also one of the forward is the same object.
 */
export class ExprBuilder {
  private readonly nodes = new Map<string, Expr>();
  private next = 0;

  private intern(key: string, make: (id: number) => Expr): Expr {
    let e = this.nodes.get(key);
    if (!e) {
      e = make(this.next++);
      this.nodes.set(key, e);
    }
    return e;
  }

  /** Every node built so far, in id order. */
  all(): Expr[] {
    return [...this.nodes.values()].sort((x, y) => x.id - y.id);
  }

  c = (value: number): Expr => {
    if (!Number.isFinite(value)) throw new Error(`a constant must be finite (got ${value})`);
    return this.intern(`c:${Object.is(value, -0) ? '-0' : value}`, (id) => ({ id, op: 'const', value }));
  };

  leaf = (op: 'state' | 'param' | 'scalar' | 'adj', name: string): Expr => this.intern(`${op}:${name}`, (id) => ({ id, op, name }));
  input = (): Expr => this.intern('input', (id) => ({ id, op: 'input' }));

  lift = (x: Operand): Expr => (typeof x === 'number' ? this.c(x) : x);

  unary = (op: UnaryOp, x: Operand): Expr => {
    const a = this.lift(x);
    return this.intern(`${op}(${a.id})`, (id) => ({ id, op, a }));
  };

  binary = (op: BinaryOp, x: Operand, y: Operand): Expr => {
    const a = this.lift(x);
    const b = this.lift(y);
    return this.intern(`${op}(${a.id},${b.id})`, (id) => ({ id, op, a, b }));
  };

  add = (x: Operand, y: Operand): Expr => this.binary('add', x, y);
  sub = (x: Operand, y: Operand): Expr => this.binary('sub', x, y);
  mul = (x: Operand, y: Operand): Expr => this.binary('mul', x, y);
  div = (x: Operand, y: Operand): Expr => this.binary('div', x, y);
  min = (x: Operand, y: Operand): Expr => this.binary('min', x, y);
  max = (x: Operand, y: Operand): Expr => this.binary('max', x, y);
  gt = (x: Operand, y: Operand): Expr => this.binary('gt', x, y);
  neg = (x: Operand): Expr => this.unary('neg', x);
  abs = (x: Operand): Expr => this.unary('abs', x);
  exp = (x: Operand): Expr => this.unary('exp', x);
  sqrt = (x: Operand): Expr => this.unary('sqrt', x);
  cos = (x: Operand): Expr => this.unary('cos', x);
  sin = (x: Operand): Expr => this.unary('sin', x);
  spike = (x: Operand): Expr => this.unary('spike', x);
  detach = (x: Operand): Expr => this.unary('detach', x);
  /** x·x, one product (so that a square's operand is computed once). */
  square = (x: Operand): Expr => {
    const a = this.lift(x);
    return this.mul(a, a);
  };

  /** Sums for building adjoints: 0 + x = x (adjoints that never arrive stay out of the code). */
  sum = (x: Expr | null, y: Expr): Expr => (x === null || isConst(x, 0) ? y : isConst(y, 0) ? x : this.add(x, y));
  /** Products for building adjoints: 1·x = x, and a zero stays null (no contribution). */
  prod = (x: Expr, y: Expr): Expr | null => (isConst(x, 0) || isConst(y, 0) ? null : isConst(x, 1) ? y : isConst(y, 1) ? x : this.mul(x, y));
}

/** Every node `roots` depend on, in id (evaluation) order. */
export function closure(roots: Iterable<Expr>, stop: (e: Expr) => boolean = () => false): Expr[] {
  const seen = new Map<number, Expr>();
  const stack = [...roots];
  while (stack.length) {
    const e = stack.pop()!;
    if (seen.has(e.id)) continue;
    seen.set(e.id, e);
    if (!stop(e)) stack.push(...operands(e));
  }
  return [...seen.values()].sort((x, y) => x.id - y.id);
}
