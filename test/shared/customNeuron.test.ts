import { describe, expect, it } from 'vitest';
import { customNeuronErrors, EXAMPLE_CUSTOM_SOURCE, parseCustomNeuron } from '../../src/shared/customNeuron';
import { configErrors, DEFAULT_CONFIG } from '../../src/shared/config';

const errorsOf = (source: string) => {
  const r = parseCustomNeuron(source);
  return r.errors.map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message));
};

describe('the custom neuron language', () => {
  it('reads the example (LIF) into states, parameters, the record and the update lines in order', () => {
    const r = parseCustomNeuron(EXAMPLE_CUSTOM_SOURCE);
    expect(r.errors).toEqual([]);
    expect(r.program!.states).toEqual(['U', 'I']);
    expect(r.program!.params).toEqual([
      { name: 'alpha', lo: 0.8187, hi: 0.8187, learn: false },
      { name: 'beta', lo: 0.9048, hi: 0.9048, learn: false },
    ]);
    expect(r.program!.record).toBe('U');
    expect(r.program!.lines.map((l) => l.target)).toEqual(['S', 'U', 'I']);
  });

  it('parses precedence, unary minus, functions, ×, ÷ and −', () => {
    const r = parseCustomNeuron('state u\nparam a in 0..1\nS = spike(u − theta)\nu = -a × u ÷ 2 + max(exp(J), abs(-1)) - sqrt(min(1, 2))');
    expect(r.errors).toEqual([]);
    const u = r.program!.lines[1].expr;
    expect(u.kind === 'bin' && u.op).toBe('-');
  });

  it('says what is wrong, in words, with the line', () => {
    expect(errorsOf('state U\nS = spike(U - theta)\nU = alhpa * U + J\nparam alpha in 0..1')).toEqual(['line 3: unknown name alhpa; did you mean alpha?']);
    expect(errorsOf('state U, W\nS = spike(U - theta)\nU = U + J')).toEqual(['line 1: state W is never updated: add a line "W = …"']);
    expect(errorsOf('state U\nU = U + J')).toEqual(['no spike: add a line "S = spike(…)", e.g. S = spike(U - theta)']);
    // A line that does not parse counts as setting its name: one message, not a cascade.
    expect(errorsOf('state U\nS = U > theta\nU = U + J')).toEqual(['line 2: S = …: cannot read "> theta"']);
    expect(errorsOf('state U\nS = U - theta\nU = U + J')).toEqual(['line 2: the spike is set as S = spike(expression): the surrogate differentiates spike(…)']);
    expect(errorsOf('state U\nS = spike(U - theta)\nU = v + J\nv = U')).toEqual(['line 3: v is used before line 4 sets it']);
    expect(errorsOf('state U\nS = spike(U - theta)\nU = exp(U, J)')).toEqual(['line 3: U = …: exp takes 1 argument, not 2']);
    expect(errorsOf('state U, J\nS = spike(U - theta)\nU = U')).toEqual(['line 1: J is reserved (the input current); choose another name']);
    expect(errorsOf('state U\nparam a in 2..1\nS = spike(U - theta)\nU = a*U')).toEqual(['line 2: a: the range 2..1 runs backwards']);
    expect(errorsOf('state U\nS = spike(U - theta)\nU = U + spike(J)')).toEqual(['line 3: spike(…) may only set S (use S on other lines)']);
    expect(errorsOf('state U\nS = spike(U - theta)\nU = U +')).toEqual(['line 3: U = …: the expression ends too early']);
    expect(errorsOf('state U\nrecord Q\nS = spike(U - theta)\nU = U')).toEqual(['line 2: record Q: not a state nor a value a line sets']);
    expect(errorsOf('')).toEqual(['no state: declare at least one, e.g. "state U"', 'no spike: add a line "S = spike(…)", e.g. S = spike(U - theta)']);
  });

  it('the config: neuron custom needs a sound program, named errors; other kinds keep one without effect', () => {
    const spec = { name: 'mine', source: EXAMPLE_CUSTOM_SOURCE, surrogate: 'fast-sigmoid' };
    expect(configErrors({ ...DEFAULT_CONFIG, neuron: 'custom', customNeuron: spec })).toEqual([]);
    expect(configErrors({ ...DEFAULT_CONFIG, neuron: 'custom' }).map((e) => e.message)).toEqual(['neuron "custom" needs customNeuron (its name, source and surrogate)']);
    expect(configErrors({ ...DEFAULT_CONFIG, neuron: 'custom', customNeuron: { ...spec, source: 'state U' } }).map((e) => e.message)).toEqual([
      'customNeuron: line 1: state U is never updated: add a line "U = …"',
      'customNeuron: no spike: add a line "S = spike(…)", e.g. S = spike(U - theta)',
    ]);
    expect(customNeuronErrors({ ...spec, surrogate: 'boxcar' })).toEqual(['surrogate must be one of fast-sigmoid, double-gaussian']);
    expect(configErrors({ ...DEFAULT_CONFIG, customNeuron: spec })).toEqual([]);
  });
});
