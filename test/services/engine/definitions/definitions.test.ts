/**
 * The definitions against the contract that describes them to the renderer and the CLI (shared/config.ts:
 * which spans and constants each kind reads), and defineNeuron's refusals of a malformed definition.
 */
import { describe, expect, it } from 'vitest';
import { NEURON_NUMBERS, NEURON_SPANS, NEURONS } from '../../../../src/shared/config';
import { NEURON_DEFINITIONS } from '../../../../src/services/engine/definitions';
import { defineNeuron } from '../../../../src/services/engine/definitions/neuronDefinition';
import { lif } from '../../../../src/services/engine/definitions/lif';

describe('neuron definitions', () => {
  it('every built-in kind of the contract has a definition, and no other (custom ones come with their program)', () => {
    expect(Object.keys(NEURON_DEFINITIONS).sort()).toEqual(NEURONS.filter((k) => k !== 'custom').sort());
  });

  for (const def of Object.values(NEURON_DEFINITIONS)) {
    it(`${def.kind}: its parameters' spans and its constants are the ones the form and the CLI show for it`, () => {
      const spans = def.params.map((p) => ('decayOf' in p.init ? p.init.decayOf : 'span' in p.init ? p.init.span : 'range'));
      expect([...new Set(spans)].sort()).toEqual([...NEURON_SPANS[def.kind]].sort());
      expect(def.scalars.map((s) => s.config).filter((k) => k !== 'threshold').sort()).toEqual([...NEURON_NUMBERS[def.kind]].sort());
    });
  }

  it('refuses a step whose spike is not spike(…), a state never updated, an update of no state, a name used twice', () => {
    const broken = (patch: Partial<Parameters<typeof defineNeuron>[0]>) => () => defineNeuron({ ...lif, ...patch }).graph();
    expect(broken({ step: (b, x) => ({ ...lif.step(b, x), spike: b.gt(x.state.mem, 1) }) })).toThrow(/spike must be spike/);
    expect(broken({ step: (b, x) => ({ ...lif.step(b, x), next: { syn: x.J } }) })).toThrow('gives no next value of the state mem');
    expect(broken({ step: (b, x) => ({ ...lif.step(b, x), next: { ...lif.step(b, x).next, other: x.J } }) })).toThrow('updates other, which is not a state');
    expect(broken({ scalars: [...lif.scalars, { name: 'mem', config: 'adaptQ', doc: '' }] })).toThrow('"mem" is used twice');
    expect(broken({ states: [...lif.states, { name: '2x', doc: '' }] })).toThrow('"2x" is not a name');
  });
});
