/**
 * The derived backward of every kind against finite differences in float64 (conformance/finiteDifference.ts),
 * and proof that the check fails on a wrong backward: a definition whose surrogate is not the derivative of
 * its smooth stand-in.
 */
import { describe, expect, it } from 'vitest';
import { finiteDifferenceCheck } from '../../../../src/services/engine/conformance/finiteDifference';
import { NEURON_DEFINITIONS } from '../../../../src/services/engine/definitions';
import { defineNeuron, fastSigmoid } from '../../../../src/services/engine/definitions/neuronDefinition';
import { lif } from '../../../../src/services/engine/definitions/lif';

describe('finite-difference check of the derived backward', () => {
  for (const def of Object.values(NEURON_DEFINITIONS)) {
    it(`${def.kind}: every parameter, input and initial state`, () => {
      const r = finiteDifferenceCheck(def);
      expect(r.mismatches).toEqual([]);
      expect(r.checked).toBeGreaterThan(12 * (def.params.length + 8));
      expect(r.worst).toBeLessThan(1e-5);
    });
  }

  it('fails where the surrogate is not the stand-in\'s derivative (a wrong backward)', () => {
    const wrong = defineNeuron({ ...lif, surrogate: { ...fastSigmoid, smooth: (v, s) => (2 * v) / (s('scale') * Math.abs(v) + 1) } });
    const r = finiteDifferenceCheck(wrong);
    expect(r.mismatches.length).toBeGreaterThan(0);
    expect(r.mismatches.some((m) => m.what.startsWith('param beta'))).toBe(true);
  });

  it('agrees where the step detaches a parameter: the derived backward drops that path, the rollout holds it fixed', () => {
    const leaky = defineNeuron({
      ...lif,
      kind: 'lif',
      step: (b, x) => {
        const out = lif.step(b, x);
        return { ...out, next: { ...out.next, syn: b.add(b.mul(b.detach(x.param.alpha), x.state.syn), x.J) } };
      },
    });
    const r = finiteDifferenceCheck(leaky);
    expect(r.mismatches).toEqual([]);
  });
});
