/**
 * A user-defined neuron (shared/customNeuron.ts: its text, parsed and checked there) as a definition like the
 * built-in ones, so every backend's kernels and the backward are generated from it the same way. One definition
 * per program (cached by its text), its kernels named `custom_<digest>` so sessions with different custom neurons
 * can be open in one process.
 */
import { parseCustomNeuron, type CustomExpr, type CustomNeuronSpec } from '../../../shared/customNeuron';
import { doubleGaussian } from './brf';
import type { Expr, ExprBuilder } from './expr';
import { defineNeuron, fastSigmoid, type NeuronDefinition } from './neuronDefinition';

const cache = new Map<string, NeuronDefinition>();

/** A short stable digest of a text (FNV-1a, 32 bits, hex), for kernel names. */
function digest(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function customDefinition(spec: CustomNeuronSpec): NeuronDefinition {
  const key = JSON.stringify([spec.name, spec.surrogate, spec.source]);
  const hit = cache.get(key);
  if (hit) return hit;
  const parsed = parseCustomNeuron(spec.source);
  if (!parsed.program) throw new Error(`custom neuron ${spec.name}: ${parsed.errors.map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message)).join('; ')}`);
  const prog = parsed.program;
  const fast = spec.surrogate === 'fast-sigmoid';
  const def = defineNeuron(
    {
      kind: 'custom',
      title: spec.name,
      paper: 'defined in the app by its user',
      equations: spec.source,
      states: prog.states.map((name) => ({ name, doc: `state ${name} of ${spec.name}` })),
      params: prog.params.map((p) => ({ name: p.name, doc: `uniform in ${p.lo}..${p.hi}`, init: { range: { lo: p.lo, hi: p.hi } }, learn: p.learn ? 'always' : 'fixed' })),
      scalars: [
        { name: 'theta', config: 'threshold', doc: 'firing threshold θ' },
        ...(fast ? [{ name: 'scale', config: 'surrogateScale' as const, doc: 'steepness of the surrogate' }] : []),
        ...prog.consts.map((c) => ({ name: c.name, value: c.value, doc: 'constant' })),
      ],
      surrogate: fast ? fastSigmoid : doubleGaussian,
      probe: { mem: 'mem' },
      step: (b, { state, param, scalar, J }) => {
        const env = new Map<string, Expr>([...Object.entries(state), ...Object.entries(param), ...Object.entries(scalar), ['J', J]]);
        const build = (e: CustomExpr): Expr => expr(b, e, env);
        for (const l of prog.lines) env.set(l.target, build(l.expr));
        return {
          spike: env.get('S')!,
          next: Object.fromEntries(prog.states.map((s) => [s, env.get(s)!])),
          records: { mem: env.get(prog.record)! },
        };
      },
    },
    `custom_${digest(key)}`,
  );
  cache.set(key, def);
  return def;
}

function expr(b: ExprBuilder, e: CustomExpr, env: Map<string, Expr>): Expr {
  const r = (x: CustomExpr) => expr(b, x, env);
  switch (e.kind) {
    case 'num': return b.c(e.value);
    case 'name': {
      const v = env.get(e.name);
      if (!v) throw new Error(`custom neuron: unknown name ${e.name}`);
      return v;
    }
    case 'neg': return b.neg(r(e.a));
    case 'bin': return e.op === '+' ? b.add(r(e.a), r(e.b)) : e.op === '-' ? b.sub(r(e.a), r(e.b)) : e.op === '*' ? b.mul(r(e.a), r(e.b)) : b.div(r(e.a), r(e.b));
    case 'call': {
      const [x, y] = e.args.map(r);
      switch (e.fn) {
        case 'exp': return b.exp(x);
        case 'abs': return b.abs(x);
        case 'sqrt': return b.sqrt(x);
        case 'min': return b.min(x, y);
        case 'max': return b.max(x, y);
        case 'spike': return b.spike(x);
        case 'detach': return b.detach(x);
      }
    }
  }
}
