/**
 * A kind's step as tfjs ops, interpreted from its definition's expressions: the tensorflow backends' layer loop
 * (tfjs/tensorNetwork.ts), whose gradients come from tfjs' own autograd — an independent check of the backward
 * the other backends' kernels derive (both must match the reference's golden files). The spike is a
 * tf.customGrad with the definition's surrogate; detach is a tf.customGrad with a zero gradient.
 * tfjs comes in as an argument so that importing this module does not load it.
 */
import type * as TF from '@tensorflow/tfjs';
import { closure, ExprBuilder, type Expr } from '../definitions/expr';
import type { NeuronDefinition } from '../definitions/neuronDefinition';
import { stepPlan } from './stepPlan';

type Value = TF.Tensor | number;

export interface TensorStepResult {
  spikes: TF.Tensor2D;
  next: Record<string, TF.Tensor2D>;
  records: Record<string, TF.Tensor2D>;
}

export interface TensorKind {
  init(B: number, H: number): Record<string, TF.Tensor2D>;
  /** One step: the states before it, J_t [B, H], the parameters [H] by name. */
  step(state: Record<string, TF.Tensor2D>, J: TF.Tensor2D, param: Record<string, TF.Tensor1D>): TensorStepResult;
}

function binary(tf: typeof TF, op: Expr['op'], a: Value, b: Value): Value {
  const [x, y] = [a as TF.Tensor, b as TF.Tensor];
  switch (op) {
    case 'add': return tf.add(x, y);
    case 'sub': return tf.sub(x, y);
    case 'mul': return tf.mul(x, y);
    case 'div': return tf.div(x, y);
    case 'min': return tf.minimum(x, y);
    case 'max': return tf.maximum(x, y);
    case 'gt': return tf.cast(tf.greater(x, y), 'float32');
    default: throw new Error(`not a binary operation: ${op}`);
  }
}

/** The tfjs step of `def` for the run's constants `scalars`. */
export function tensorKind(tf: typeof TF, def: NeuronDefinition, scalars: Record<string, number>): TensorKind {
  const plan = stepPlan(def);
  const f = plan.forward;
  const nodes = closure([f.spike, ...Object.values(f.next), ...Object.values(f.records)]);
  // The surrogate as its own small graph of v and the adjoint g.
  const sb = new ExprBuilder();
  const [vLeaf, gLeaf] = [sb.leaf('adj', '$v'), sb.leaf('adj', '$g')];
  const surrogate = def.surrogate.grad(sb, vLeaf, gLeaf);
  const surrogateNodes = closure([surrogate]);

  const evaluate = (list: Expr[], leaf: (e: Expr) => Value): Map<number, Value> => {
    const val = new Map<number, Value>();
    for (const e of list) {
      const v = (o: Expr) => val.get(o.id)!;
      let r: Value;
      switch (e.op) {
        case 'const': r = e.value; break;
        case 'scalar': r = scalars[e.name]; break;
        case 'state': case 'param': case 'input': case 'adj': r = leaf(e); break;
        case 'neg': r = tf.neg(v(e.a) as TF.Tensor); break;
        case 'abs': r = tf.abs(v(e.a) as TF.Tensor); break;
        case 'exp': r = tf.exp(v(e.a) as TF.Tensor); break;
        case 'sqrt': r = tf.sqrt(v(e.a) as TF.Tensor); break;
        case 'cos': r = tf.cos(v(e.a) as TF.Tensor); break;
        case 'sin': r = tf.sin(v(e.a) as TF.Tensor); break;
        case 'spike': r = spike(v(e.a) as TF.Tensor); break;
        case 'detach': r = detach(v(e.a) as TF.Tensor); break;
        default: r = binary(tf, e.op, v(e.a), v(e.b));
      }
      val.set(e.id, r);
    }
    return val;
  };

  const spike = tf.customGrad((...args: (TF.Tensor | TF.GradSaveFunc)[]) => {
    const [v, save] = args as [TF.Tensor, TF.GradSaveFunc];
    save([v]);
    return {
      value: tf.step(v),
      gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => evaluate(surrogateNodes, (e) => (e === vLeaf ? saved[0] : dy)).get(surrogate.id) as TF.Tensor,
    };
  }) as (v: TF.Tensor) => TF.Tensor;

  const detach = tf.customGrad((...args: (TF.Tensor | TF.GradSaveFunc)[]) => {
    const x = args[0] as TF.Tensor;
    return { value: tf.clone(x), gradFunc: (dy: TF.Tensor) => tf.zerosLike(dy) };
  }) as (v: TF.Tensor) => TF.Tensor;

  return {
    init: (B, H) => Object.fromEntries(plan.states.map((s) => [s, tf.zeros([B, H]) as TF.Tensor2D])),
    step(state, J, param) {
      const val = evaluate(nodes, (e) => (e.op === 'state' ? state[e.name] : e.op === 'param' ? param[e.name] : J));
      const tensor = (e: Expr) => {
        const v = val.get(e.id)!;
        return (typeof v === 'number' ? tf.fill(J.shape, v) : v) as TF.Tensor2D;
      };
      return {
        spikes: tensor(f.spike),
        next: Object.fromEntries(plan.states.map((s) => [s, tensor(f.next[s])])),
        records: Object.fromEntries(plan.records.map((r) => [r, tensor(f.records[r])])),
      };
    },
  };
}
