/** The training-health criteria on synthetic numbers: each finding, its layer, its fix, and once per run. */
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../../../../src/shared/config';
import { emptyParams, layerTensors, networkShape } from '../../../../src/services/engine/model/modelState';
import {
  activityFindings,
  divergenceCause,
  gradientFindings,
  HealthMonitor,
  regulariserFindings,
  SATURATED_RATE,
  SILENT_RATE,
} from '../../../../src/services/engine/training/trainingHealth';

const config = makeConfig({ layers: [{ size: 4, recurrent: true, dropout: 0 }, { size: 3, recurrent: false, dropout: 0 }], nbSteps: 10 });
const shape = networkShape(config, 5, 2);

function params() {
  const p = emptyParams(shape);
  p.flat.fill(0.5);
  return p;
}

describe('training-health criteria', () => {
  it('a silent layer and a saturated one, named 1-based with their rate and fix; a healthy layer says nothing', () => {
    const f = activityFindings([0.02, SILENT_RATE / 2, SATURATED_RATE + 0.1], 3, 1e-3);
    expect(f.map((x) => [x.kind, x.layer, x.epoch])).toEqual([
      ['silent', 2, 3],
      ['saturated', 3, 3],
    ]);
    expect(f[0].message).toBe(
      'layer 2 is silent: 0.05 spikes/neuron/s over epoch 3; a layer without spikes passes no gradient, so the network cannot learn — raise the weight scale (--weight-scale), lower the threshold, or lower the spike regularisers (--reg)',
    );
    expect(f[1].message).toMatch(/^layer 3 is saturated: it fires on 60 % of time steps \(600\.0 spikes\/neuron\/s\) over epoch 3; lower the weight scale/);
    expect(activityFindings([0.02, 0.001], 1, 1e-3)).toEqual([]);
  });

  it('vanishing and exploding gradients from |grad W| / |W|', () => {
    const f = gradientFindings([1e-8, 0.3, 500], 2);
    expect(f.map((x) => [x.kind, x.layer])).toEqual([
      ['vanishing', 1],
      ['exploding', 3],
    ]);
    expect(f[0].message).toMatch(/^layer 1's gradients vanish: \|grad W\| \/ \|W\| = 1\.0e-8 over epoch 2/);
    expect(f[1].message).toMatch(/--clip-grad 1/);
  });

  it('the regularisers outweighing the class loss by more than 3×, and only then', () => {
    const f = regulariserFindings([0.063, 1.3], [1.0, 1.1]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ kind: 'regulariser', layer: 1, epoch: 0 });
    expect(f[0].message).toMatch(/^layer 1: at initialisation the spike regularisers' gradient on its weights is 15\.9× the class loss's; .*--reg 0/);
    expect(regulariserFindings([0, 1], [1e-3, 0.5]).map((x) => x.layer)).toEqual([1]);
  });

  it('names the first layer whose gradient is not finite, or the readout', () => {
    const p = params();
    const g = new Float32Array(p.flat.length);
    expect(divergenceCause(1.2, g, p.layout)).toBeNull();
    g[p.layout.find((e) => e.name === 'layer1/w_in')!.offset + 2] = NaN;
    expect(divergenceCause(1.2, g, p.layout)).toBe("the gradient of layer 2's w_in is not finite; lower the learning rate (--lr) or clip the gradients (--clip-grad 1)");
    expect(divergenceCause(Infinity, g, p.layout)).toMatch(/^loss is Infinity; the first gradient that is not finite is layer 2's w_in's; lower/);
    const r = new Float32Array(p.flat.length);
    r[p.layout.find((e) => e.name === 'readout/w')!.offset] = Infinity;
    expect(divergenceCause(0.5, r, p.layout)).toMatch(/^the gradient of the readout's w is not finite/);
  });
});

describe('HealthMonitor', () => {
  it('reports a batch without a spike at once, the epoch means at its end, each kind and layer once per run', () => {
    const p = params();
    const m = new HealthMonitor(shape, p.layout, config);
    const grads = new Float32Array(p.flat.length).fill(0.01);
    // Layer 2 without a spike in batch 2: reported then, not again at the epoch's end or later.
    expect(m.batch(p, [40, 3], 8, grads, 1, 1)).toEqual([]);
    const now = m.batch(p, [40, 0], 8, grads, 1, 2);
    expect(now.map((x) => [x.kind, x.layer, x.epoch])).toEqual([['silent', 2, 1]]);
    expect(now[0].message).toMatch(/^layer 2 is silent: 0\.00 spikes\/neuron\/s in batch 2 of epoch 1 \(not one spike in 8 samples\)/);
    // Epoch 1: layer 2 fired 3 spikes over 16 samples × 10 steps × 3 neurons = 6e-4 per step: not silent by the mean.
    expect(m.endEpoch(1)).toEqual([]);
    m.batch(p, [40 * 4 * 10 * 0.9 / 0.1, 0], 8, grads, 2, 1);
    // Layer 1 now fires 0.9 per step: saturated; layer 2 silent again, already said.
    expect(m.endEpoch(2).map((x) => [x.kind, x.layer])).toEqual([['saturated', 1]]);
    m.batch(p, [40 * 4 * 10 * 0.9 / 0.1, 0], 8, grads, 3, 1);
    expect(m.endEpoch(3)).toEqual([]);
  });

  it('vanishing gradients are reported for a layer only when no layer is silent (then the silent one is the cause)', () => {
    const p = params();
    const tiny = new Float32Array(p.flat.length).fill(1e-9);
    const m = new HealthMonitor(shape, p.layout, config);
    m.batch(p, [50, 30], 8, tiny, 1, 1);
    expect(m.endEpoch(1).map((x) => [x.kind, x.layer])).toEqual([
      ['vanishing', 1],
      ['vanishing', 2],
    ]);
    const n = new HealthMonitor(shape, p.layout, config);
    n.batch(p, [50, 0], 8, tiny, 1, 1);
    expect(n.endEpoch(1).map((x) => x.kind)).toEqual([]);
    expect(layerTensors(p, 0).wIn.length).toBe(5 * 4);
  });

  it('findings marked seen (the check at initialisation) are not repeated', () => {
    const p = params();
    const m = new HealthMonitor(shape, p.layout, config);
    m.seen([{ kind: 'silent', layer: 2, epoch: 0, message: '' }]);
    expect(m.batch(p, [40, 0], 8, new Float32Array(p.flat.length).fill(0.01), 1, 1)).toEqual([]);
  });
});
