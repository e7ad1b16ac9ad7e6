/**
 * NIR export of learnable axonal delays (issue 26): Delay nodes on the recurrent cycle (lif → rdelay → rec → lif)
 * and on each layer's way up (lif → delay → next Linear), the delays rounded to whole steps as evaluation rounds
 * them (half to even) and given in seconds; the simulator's Delay node worked by hand; and the exported graph of a
 * delayed two-layer network run in the simulator is the engine spike for spike (the same graph with its delays
 * set to 0 is not, so the comparison sees them).
 */
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../src/shared/config';
import { initNetwork } from '../../../src/services/engine/model/init';
import { layerTensors, networkShape } from '../../../src/services/engine/model/modelState';
import { evaluate, probe } from '../../../src/services/engine/training/evaluate';
import { batchOf, binDataset } from '../../../src/services/engine/run/binnedDataset';
import { binSpec } from '../../../src/services/data/binning';
import { fromNir, toNir, type NirGraph } from '../../../src/services/nir/nirGraph';
import { NirSimulator } from '../../../src/services/nir/nirSimulate';
import { checkNir, decodeReadout } from '../../../src/services/nir/nirCheck';
import { testSet } from '../engine/smallProblem';

const config = makeConfig({
  neuron: 'lif',
  layers: [
    { size: 16, recurrent: true, dropout: 0 },
    { size: 12, recurrent: false, dropout: 0 },
  ],
  nbSteps: 30,
  weightScale: 3,
  seed: 7,
  recDelayMax: 6,
  recDelayInit: { lo: 0, hi: 5 },
  ffDelayMax: 4,
  ffDelayInit: { lo: 0, hi: 3 },
  validationFraction: 0,
});
const params = initNetwork(networkShape(config, 40, 4), config);
// Halves, to see the rounding to even: 2.5 → 2, 3.5 → 4, 0.5 → 0.
layerTensors(params, 0).recDelay!.set([2.5, 3.5, 0.5], 0);
layerTensors(params, 1).ffDelay!.set([1.5, 2.5], 0);
const dt = config.dtS;
const nodeValues = (g: NirGraph, n: string) => Array.from(g.nodes[n].params.delay.data as Float64Array);

describe('NIR export of a delayed LIF network', () => {
  it('puts Delay nodes on the recurrent cycle and on every layer\'s way up, in whole steps times dt', () => {
    const g = toNir(params, config);
    expect(Object.fromEntries(Object.entries(g.nodes).map(([k, n]) => [k, n.type]))).toEqual({
      input: 'Input', fc0: 'Linear', lif0: 'CubaLIF', rec0: 'Linear', rdelay0: 'Delay', delay0: 'Delay',
      fc1: 'Linear', lif1: 'CubaLIF', delay1: 'Delay', fc_out: 'Linear', readout: 'CubaLI', output: 'Output',
    });
    expect(g.edges).toEqual([
      ['input', 'fc0'], ['fc0', 'lif0'], ['lif0', 'rdelay0'], ['rdelay0', 'rec0'], ['rec0', 'lif0'], ['lif0', 'delay0'],
      ['delay0', 'fc1'], ['fc1', 'lif1'], ['lif1', 'delay1'], ['delay1', 'fc_out'], ['fc_out', 'readout'], ['readout', 'output'],
    ]);
    const steps = (d: Float32Array) => Array.from(d, (x) => {
      const r = Math.round(x);
      return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
    });
    const rec = layerTensors(params, 0).recDelay!;
    expect(nodeValues(g, 'rdelay0').slice(0, 3)).toEqual([2 * dt, 4 * dt, 0]);
    expect(nodeValues(g, 'rdelay0')).toEqual(steps(rec).map((k) => k * dt));
    expect(nodeValues(g, 'delay0')).toEqual(steps(layerTensors(params, 0).ffDelay!).map((k) => k * dt));
    expect(nodeValues(g, 'delay1').slice(0, 2)).toEqual([2 * dt, 2 * dt]);
    expect(nodeValues(g, 'delay1')).toEqual(steps(layerTensors(params, 1).ffDelay!).map((k) => k * dt));
    // The delays drawn are not all one value: the rounding and the per-neuron vector matter.
    expect(new Set(nodeValues(g, 'rdelay0')).size).toBeGreaterThan(2);
    expect(g.nodes.rdelay0.params.delay.shape).toEqual([16]);
    expect(g.nodes.delay1.params.delay.shape).toEqual([12]);
  });

  it('simulated from the graph alone (delayed reset): the engine spike for spike; without its delays it is not', async () => {
    const g = toNir(params, config);
    const undelayed: NirGraph = { ...g, nodes: Object.fromEntries(Object.entries(g.nodes).map(([k, n]) => [k, n.type === 'Delay' ? { type: 'Delay', params: { delay: { data: new Float64Array(n.params.delay.shape[0]), shape: n.params.delay.shape } } } : n])) };
    const sim = new NirSimulator(g, dt);
    const plain = new NirSimulator(undelayed, dt);
    const bins = binDataset(testSet, binSpec(config));
    const engine = await evaluate(params, config, testSet);
    let spikes = 0;
    let differing = 0;
    const n = 12;
    for (let i = 0; i < n; i++) {
      const batch = batchOf(bins, Int32Array.from([i]));
      const frames = { steps: config.nbSteps, channels: batch.channels, flat: batch.flat, counts: batch.counts };
      const run = sim.run(frames, 'delayed');
      const other = plain.run(frames, 'delayed');
      const rec = await probe(params, config, testSet, i, 0);
      rec.layers.forEach((layer, l) => {
        const want = new Uint8Array(config.nbSteps * layer.size);
        layer.spikes.t.forEach((t, j) => (want[t * layer.size + layer.spikes.n[j]] = 1));
        expect(run.spikes[`lif${l}`], `sample ${i}, layer ${l}`).toEqual(want);
        spikes += layer.spikes.t.length;
        if (other.spikes[`lif${l}`].some((z, k) => z !== want[k])) differing++;
      });
      expect(decodeReadout(run.membranes.readout, 4, config.readout, config.readoutSkip)).toBe(engine.predictions[i]);
    }
    expect(spikes / n).toBeGreaterThan(20);
    expect(differing).toBeGreaterThan(0);
    const check = await checkNir(g, params, config, bins, { samples: n });
    expect(check.orders.find((o) => o.order === 'delayed')!.agreement).toBe(1);
  });

  it('import refuses a graph with Delay nodes, naming them', () => {
    expect(() => fromNir(toNir(params, config))).toThrow(/the graph has Delay nodes \(rdelay0, delay0, delay1\); import reads graphs without delays only/);
  });
});

describe('NIR export of per-layer delays', () => {
  // Layer 1: recurrent delays only (its own ff 0); layer 2: feed-forward only (its own, the config's being 0).
  const perLayer = makeConfig({
    ...config,
    ffDelayMax: 0,
    layers: [
      { size: 16, recurrent: true, dropout: 0, ffDelayMax: 0 },
      { size: 12, recurrent: false, dropout: 0, ffDelayMax: 4, ffDelayInit: { lo: 1, hi: 3 } },
    ],
  });
  const p = initNetwork(networkShape(perLayer, 40, 4), perLayer);

  it('puts Delay nodes on the layers that have them only, and simulates as the engine', async () => {
    const g = toNir(p, perLayer);
    expect(Object.keys(g.nodes).filter((k) => g.nodes[k].type === 'Delay')).toEqual(['rdelay0', 'delay1']);
    expect(g.edges).toContainEqual(['lif0', 'fc1']);
    expect(g.edges).toContainEqual(['delay1', 'fc_out']);
    const check = await checkNir(g, p, perLayer, binDataset(testSet, binSpec(perLayer)), { samples: 12 });
    expect(check.orders.find((o) => o.order === 'delayed')!.agreement).toBe(1);
  });
});

describe('NirSimulator: Delay', () => {
  const f = (...v: number[]) => ({ data: Float64Array.from(v), shape: [v.length] });
  // Input [2] → Delay (0 and 2 steps) → LI (τ = dt, r = 1: v_{t+1} = its input at t).
  const graph = (delay: number[]): NirGraph => ({
    nodes: {
      input: { type: 'Input', params: { shape: { data: BigInt64Array.from([2n]), shape: [1] } } },
      d: { type: 'Delay', params: { delay: f(...delay) } },
      li: { type: 'LI', params: { tau: f(1e-3, 1e-3), r: f(1, 1), v_leak: f(0, 0) } },
      output: { type: 'Output', params: { shape: { data: BigInt64Array.from([2n]), shape: [1] } } },
    },
    edges: [['input', 'd'], ['d', 'li'], ['li', 'output']],
  });
  // Step 0: [1, 1]; step 1: [0, 3].
  const frames = { steps: 4, channels: 2, flat: [0, 1, 3], counts: [1, 1, 3] };

  it('y_t = x_{t−k}: neuron 0 passes its input within the step, neuron 1 two steps later', () => {
    const run = new NirSimulator(graph([0, 2e-3]), 1e-3).run(frames, 'immediate');
    // v_{t+1} = delayed input at t: t = 0 → [1, 0], 1 → [0, 0], 2 → [0, 1], 3 → [0, 3].
    expect(Array.from(run.membranes.li)).toEqual([0, 0, 1, 0, 0, 0, 0, 1, 0, 3]);
    // A second run starts from an empty line.
    expect(Array.from(new NirSimulator(graph([0, 2e-3]), 1e-3).run(frames, 'immediate').membranes.li)).toEqual(Array.from(run.membranes.li));
  });

  it('refuses delays that are not whole steps or negative, naming the node and neuron', () => {
    expect(() => new NirSimulator(graph([0, 1.5e-3]), 1e-3)).toThrow(/node d \(Delay\): neuron 1's delay 0\.0015 s is not a whole number of steps of dt = 0\.001 s/);
    expect(() => new NirSimulator(graph([-1e-3, 0]), 1e-3)).toThrow(/node d \(Delay\): neuron 0's delay -0\.001 s/);
  });
});
