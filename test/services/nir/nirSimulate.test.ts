/**
 * The NIR simulator on a graph of the node kinds the exporter does not write (Affine, LIF, Scale, LI), worked by
 * hand: dt = 1 ms, so dt/τ = 0.5 for the LIF (τ = 2 ms) and 1 for the LI (τ = 1 ms).
 *   Affine W = [1, 0.5], b = 0.1 on inputs [1, 0], [0, 2], [0, 0]  →  1.1, 1.1, 0.1
 *   LIF (r = 2, θ = 0.6, v_reset = 0):  delayed   v = 0, 1.1, 0, 0.1   z = 0, 1, 0   (the spike read before the step)
 *                                       immediate v = 0, 0, 0, 0.1     z = 1, 1, 0   (reset as soon as it crosses)
 *   Scale 3, LI (r = 1): v_{t+1} = its input at t; delayed 0, 0, 3, 0; immediate 0, 3, 3, 0
 */
import { describe, expect, it } from 'vitest';
import type { NirGraph } from '../../../src/services/nir/nirGraph';
import { NirSimulator } from '../../../src/services/nir/nirSimulate';

const f = (...v: number[]) => ({ data: Float64Array.from(v), shape: [v.length] });
const graph: NirGraph = {
  nodes: {
    input: { type: 'Input', params: { shape: { data: BigInt64Array.from([2n]), shape: [1] } } },
    aff: { type: 'Affine', params: { weight: { data: Float64Array.from([1, 0.5]), shape: [1, 2] }, bias: f(0.1) } },
    lif: { type: 'LIF', params: { tau: f(2e-3), r: f(2), v_leak: f(0), v_threshold: f(0.6), v_reset: f(0) } },
    scale: { type: 'Scale', params: { scale: f(3) } },
    li: { type: 'LI', params: { tau: f(1e-3), r: f(1), v_leak: f(0) } },
    output: { type: 'Output', params: { shape: { data: BigInt64Array.from([1n]), shape: [1] } } },
  },
  edges: [
    ['input', 'aff'],
    ['aff', 'lif'],
    ['lif', 'scale'],
    ['scale', 'li'],
    ['li', 'output'],
  ],
};
// Steps 0 and 1 carry input: [1, 0] then [0, 2].
const frames = { steps: 3, channels: 2, flat: [0, 3], counts: [1, 2] };
const close = (got: Float64Array, want: number[]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 12));

describe('NirSimulator on Affine → LIF → Scale → LI', () => {
  it('delayed reset: the spike from the membrane the step starts with, v_reset in place of the integration', () => {
    const run = new NirSimulator(graph, 1e-3).run(frames, 'delayed');
    expect(Array.from(run.spikes.lif)).toEqual([0, 1, 0]);
    close(run.membranes.lif, [0, 1.1, 0, 0.1]);
    close(run.membranes.li, [0, 0, 3, 0]);
  });

  it('immediate reset: integrate, spike on the new membrane, reset at once', () => {
    const run = new NirSimulator(graph, 1e-3).run(frames, 'immediate');
    expect(Array.from(run.spikes.lif)).toEqual([1, 1, 0]);
    close(run.membranes.lif, [0, 0, 0, 0.1]);
    close(run.membranes.li, [0, 3, 3, 0]);
  });

  it('refuses a bad time step, a second Input, parameters that are not finite and inputs of the wrong width', () => {
    expect(() => new NirSimulator(graph, 0)).toThrow(/time step 0 s: must be a positive number/);
    expect(() => new NirSimulator({ ...graph, nodes: { ...graph.nodes, in2: graph.nodes.input } }, 1e-3)).toThrow(/the graph has 2 Input nodes/);
    expect(() => new NirSimulator({ ...graph, nodes: { ...graph.nodes, lif: { type: 'LIF', params: { ...graph.nodes.lif.params, tau: f(NaN) } } } }, 1e-3)).toThrow(/node lif \(LIF\): tau holds a value that is not finite/);
    expect(() => new NirSimulator({ ...graph, nodes: { ...graph.nodes, li: { type: 'LI', params: { ...graph.nodes.li.params, tau: f(-1) } } } }, 1e-3)).toThrow(/node li \(LI\): tau must be positive/);
    expect(() => new NirSimulator(graph, 1e-3).run({ ...frames, channels: 3 }, 'delayed')).toThrow(/the input has 3 channels, the graph's Input 2/);
  });
});
