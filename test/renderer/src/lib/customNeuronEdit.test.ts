import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../src/shared/config';
import { EXAMPLE_CUSTOM_SOURCE } from '../../../../src/shared/customNeuron';
import { checkProgram, DEFAULT_CUSTOM_NEURON, editorRows, withCustomProgram } from '../../../../src/renderer/src/lib/customNeuronEdit';

describe('the custom-neuron editor', () => {
  it('starts a config switched to custom from the example program, and keeps a program it has', () => {
    const started = withCustomProgram({ ...DEFAULT_CONFIG, neuron: 'custom' });
    expect(started.customNeuron).toEqual({ name: 'my neuron', source: EXAMPLE_CUSTOM_SOURCE, surrogate: 'fast-sigmoid' });
    const mine = { ...DEFAULT_CUSTOM_NEURON, source: 'state U\nS = spike(U - theta)\nU = J' };
    expect(withCustomProgram({ ...DEFAULT_CONFIG, neuron: 'custom', customNeuron: mine }).customNeuron).toBe(mine);
    expect(withCustomProgram(DEFAULT_CONFIG)).toBe(DEFAULT_CONFIG);
  });

  it('sums up a sound program in a sentence, and lists a faulty one\'s problems by line', () => {
    expect(checkProgram(EXAMPLE_CUSTOM_SOURCE)).toEqual({
      errors: [],
      summary: '2 states (U, I), 2 parameters (0 learned), 0 constants, 3 update lines; the membrane shown is U',
    });
    expect(checkProgram('state U, V\nparam k in 2..1\nS = spike(U - theta)\nU = k*U + Jx')).toEqual({
      errors: ['line 1: state V is never updated: add a line "V = …"', 'line 2: k: the range 2..1 runs backwards', 'line 4: unknown name Jx; did you mean J?'],
      summary: null,
    });
  });

  it('is as tall as the program and a line, within 8 to 30 lines', () => {
    expect(editorRows('state U')).toBe(8);
    expect(editorRows(Array.from({ length: 12 }, () => 'x').join('\n'))).toBe(13);
    expect(editorRows('\n'.repeat(100))).toBe(30);
  });
});
