import { describe, expect, it } from 'vitest';
import type { PlaygroundResult } from '../../../../src/shared/playground';
import { fiRises, fiSeries, fiText, phaseChoices, phasePath, phasePoints, rateText, tracePanels } from '../../../../src/renderer/src/lib/playgroundPlots';
import { neuronDescriptions } from '../../../../src/services/playground/neuronDescriptions';

const kinds = neuronDescriptions();
const adlif = kinds.find((d) => d.kind === 'adlif')!;

const result: PlaygroundResult = {
  neuron: 'adlif',
  dtS: 1e-3,
  steps: 4,
  input: [0, 1, 1, 1],
  states: [
    { name: 'u', values: [0, 0.5, 0, 0.4] },
    { name: 'w', values: [0, 0.1, 0.3, 0.2] },
  ],
  records: [
    { name: 'mem', values: [0, 0.5, 1.2, 0.4] },
    { name: 'adapt', values: [0, 0.1, 0.3, 0.2] },
  ],
  spikeSteps: [2],
  rateHz: 250,
  fi: { amplitude: [0, 1, 2], rateHz: [0, 0, 50] },
};

describe('playground plots', () => {
  it('draw the input, every state and every record, the threshold on the probe\'s membrane', () => {
    const panels = tracePanels(result, adlif, { threshold: 1.5, surrogateScale: 100, adaptQ: 30 });
    expect(panels.map((p) => [p.id, p.threshold])).toEqual([
      ['input', null],
      ['state-u', null],
      ['state-w', null],
      ['record-mem', 1.5],
      ['record-adapt', null],
    ]);
    expect(panels[1].title).toBe(`state u: ${adlif.states[0].doc}`);
    expect(panels[3].title).toBe('record mem (membrane)');
    expect(panels[4].title).toBe('record adapt (adaptation)');
    expect(new Set(panels.map((p) => p.trace.color)).size).toBe(5);
  });

  it('give the f–I curve as points, and whether it rises', () => {
    expect(fiSeries(result)[0].points).toEqual([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 2, y: 50 }]);
    expect(fiRises(result)).toBe(true);
    expect(fiRises({ ...result, fi: { amplitude: [0, 1], rateHz: [10, 10] } })).toBe(false);
    expect(fiText(result)).toBe('fires from J = 2.00 (50.0 Hz); at J = 2.00: 50.0 Hz');
    expect(fiText({ ...result, fi: { amplitude: [0, 0.5, 1], rateHz: [0, 4, 10] } })).toBe('fires from J = 0.500 (4.0 Hz); at J = 1.00: 10.0 Hz');
    expect(fiText({ ...result, fi: { amplitude: [0, 1], rateHz: [0, 0] } })).toBe('silent over the whole sweep (0 to 1): try larger currents');
  });

  it('offer the states for the phase portrait, the first two first, and map the path into the plot area', () => {
    for (const d of kinds) expect(phaseChoices(d).initial).toEqual([d.states[0].name, d.states[1].name]);
    expect(phaseChoices({ ...adlif, states: [adlif.states[0]] }).initial).toBeNull();
    const path = phasePath(result, 'u', 'w')!;
    expect(path.spikes).toEqual([2]);
    const pts = phasePoints(path, 100, 50);
    // u from 0 to 0.5 and w from 0 to 0.3, each padded by 5 %: the first point at the lower left.
    expect(pts[0]!.x).toBeCloseTo((0.025 / 0.55) * 100, 6);
    expect(pts[0]!.y).toBeCloseTo(50 - (0.015 / 0.33) * 50, 6);
    expect(pts[1]!.x).toBeCloseTo((0.525 / 0.55) * 100, 6);
    expect(phasePath(result, 'u', 'nope')).toBeNull();
  });

  it('say how often the neuron fired', () => {
    expect(rateText(result)).toBe('1 spike in 4.000 ms: 250.0 Hz');
  });
});
