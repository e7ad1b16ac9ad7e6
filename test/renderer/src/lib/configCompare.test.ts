import { describe, expect, it } from 'vitest';
import { cloneConfig, DEFAULT_CONFIG, type TrainConfig } from '../../../../src/shared/config';
import { compareConfigs, describeLayerDelays, describeLayers, describeSpan, keyConfig, NOT_USED } from '../../../../src/renderer/src/lib/configCompare';

const base = (): TrainConfig => cloneConfig(DEFAULT_CONFIG);
const layer = (size: number, recurrent = true, dropout = 0) => ({ size, recurrent, dropout });

describe('config comparison', () => {
  it('writes layer stacks short: equal layers as n×, unequal ones joined', () => {
    expect(describeLayers([layer(128)])).toBe('128r');
    expect(describeLayers([layer(128), layer(128)])).toBe('2×128r');
    expect(describeLayers([layer(256), layer(128, false)])).toBe('256r-128');
    expect(describeLayers([layer(64, true, 0.2), layer(64, true, 0.2)])).toBe('2×64r d0.2');
    expect(describeSpan({ lo: 0.005, hi: 0.025 }, true)).toBe('5–25 ms');
    expect(describeSpan({ lo: 0, hi: 2 }, false)).toBe('0–2');
  });

  it('summarises the model and the key options in form units, with the τ the neuron uses', () => {
    expect(keyConfig(base())).toBe('lif 128r, pool 1, max · τsyn 5 ms · τmem 10 ms · T 100 · lr 0.001 adam · B 256');
    const adlif: TrainConfig = {
      ...base(),
      neuron: 'adlif',
      layers: [layer(128), layer(128)],
      pool: 5,
      readout: 'softmax-sum',
      tauMemS: { lo: 0.005, hi: 0.025 },
      learnTau: true,
      learningRate: 2e-4,
    };
    expect(keyConfig(adlif)).toBe('adlif 2×128r, pool 5, softmax-sum · τmem 5–25 ms · τadapt 60–300 ms · learn τ · T 100 · lr 2e-4 adam · B 256');
    expect(keyConfig({ ...adlif, readoutSkip: 10 })).toMatch(/^adlif 2×128r, pool 5, softmax-sum skip 10 · /);
  });

  it('lists the layers and every form option and marks the differences', () => {
    const b = { ...base(), tauMemS: { lo: 0.02, hi: 0.02 }, epochs: 3, layers: [layer(128), layer(64)] };
    const rows = compareConfigs(base(), b);
    // The augmentation options have a row each in place of the one `augment` key; a user-defined neuron has one,
    // and so do the layers' delays.
    expect(rows).toHaveLength(Object.keys(DEFAULT_CONFIG).length - 1 + 5 + 1 + 1);
    expect(rows[1]).toMatchObject({ key: 'layerDelays', a: 'none', b: 'none', differs: false });
    expect(rows[2]).toMatchObject({ key: 'customNeuron', a: NOT_USED, b: NOT_USED, differs: false });
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['layers', 'tauMemS', 'epochs']);
    const augmented = compareConfigs(base(), { ...base(), augment: { ...base().augment, timeShiftS: 0.05, stretch: { lo: 0.9, hi: 1.1 } }, lrSchedule: 'cosine' });
    expect(augmented.filter((r) => r.differs).map((r) => [r.label, r.a, r.b])).toEqual([
      ['LR schedule', 'constant', 'cosine'],
      ['Time shift', '0 ms', '50 ms'],
      ['Time stretch', '1', '0.9–1.1'],
    ]);
    expect(rows[0]).toMatchObject({ label: 'Hidden layers', a: '128r', b: '128r-64r' });
    expect(rows.find((r) => r.key === 'tauMemS')).toMatchObject({ a: '10 ms', b: '20 ms' });
    expect(rows.find((r) => r.key === 'tauAdaptS')).toMatchObject({ a: NOT_USED, b: NOT_USED, differs: false });
    expect(rows.find((r) => r.key === 'readoutTauMemS')).toMatchObject({ a: '10 ms' });
    expect(rows.find((r) => r.key === 'regL1')).toMatchObject({ a: '2e-6', differs: false });
  });

  it('marks only options both kinds use: τ_syn of a LIF run is no difference from an adLIF run that has none', () => {
    const lif = base();
    const adlif: TrainConfig = { ...base(), neuron: 'adlif', tauSynS: { lo: 0.002, hi: 0.002 }, tauMemS: { lo: 0.02, hi: 0.02 } };
    const rows = compareConfigs(lif, adlif);
    // The kind and the τ_mem both use differ; τ_syn (lif only) and τ_adapt, a, b, q (adlif only) are not compared.
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['neuron', 'tauMemS']);
    expect(rows.find((r) => r.key === 'tauSynS')).toMatchObject({ a: '5 ms', b: NOT_USED, differs: false });
    expect(rows.find((r) => r.key === 'tauAdaptS')).toMatchObject({ a: NOT_USED, b: '60–300 ms', differs: false });
    expect(rows.find((r) => r.key === 'adaptQ')).toMatchObject({ a: NOT_USED, differs: false });
    // Two adLIF runs compare their adaptation, and not the τ_syn neither uses.
    const other = compareConfigs(adlif, { ...adlif, tauSynS: { lo: 0.01, hi: 0.01 }, tauAdaptS: { lo: 0.1, hi: 0.1 } });
    expect(other.filter((r) => r.differs).map((r) => r.key)).toEqual(['tauAdaptS']);
    expect(other.find((r) => r.key === 'tauSynS')).toMatchObject({ a: NOT_USED, b: NOT_USED });
    // The plateau's knobs only where both runs use the plateau schedule.
    const plateau = compareConfigs({ ...base(), lrSchedule: 'plateau' }, { ...base(), plateauPatience: base().plateauPatience + 3 });
    expect(plateau.filter((r) => r.differs).map((r) => r.key)).toEqual(['lrSchedule']);
  });

  it('shows the delays in steps: a run with them against one without, and two with different spans', () => {
    const delayed: TrainConfig = { ...base(), recDelayMax: 6, recDelayInit: { lo: 0, hi: 5 }, delaySigma: 2 };
    expect(keyConfig(delayed)).toBe('lif 128r, pool 1, max · τsyn 5 ms · τmem 10 ms · rec delay ≤ 6 σ 2 · T 100 · lr 0.001 adam · B 256');
    expect(keyConfig({ ...delayed, ffDelayMax: 3 })).toMatch(/ · rec delay ≤ 6 · ff delay ≤ 3 σ 2 · T 100/);
    const rows = compareConfigs(base(), delayed);
    // The maximum is compared; the span and σ only where both runs have delays.
    expect(rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['recDelayMax']);
    expect(rows.find((r) => r.key === 'recDelayMax')).toMatchObject({ label: 'Recurrent delay max', a: '0', b: '6' });
    expect(rows.find((r) => r.key === 'recDelayInit')).toMatchObject({ a: NOT_USED, b: '0–5', differs: false });
    expect(rows.find((r) => r.key === 'delaySigma')).toMatchObject({ a: NOT_USED, b: '2' });
    expect(rows.find((r) => r.key === 'layerDelays')).toMatchObject({ a: 'none', b: 'L1 rec ≤ 6 (0–5)', differs: false });
    const two = compareConfigs(delayed, { ...delayed, recDelayInit: { lo: 2, hi: 2 }, delaySigma: 0 });
    expect(two.filter((r) => r.differs).map((r) => [r.key, r.a, r.b])).toEqual([
      ['layerDelays', 'L1 rec ≤ 6 (0–5)', 'L1 rec ≤ 6 (2)'],
      ['recDelayInit', '0–5', '2'],
      ['delaySigma', '2', '0'],
    ]);
  });

  it('names each layer’s own delays in the summary and compares them as they resolve', () => {
    const two: TrainConfig = { ...base(), recDelayMax: 6, delaySigma: 2, layers: [layer(64), { ...layer(32), recDelayMax: 0, ffDelayMax: 4, ffDelayInit: { lo: 1, hi: 2 } }] };
    expect(keyConfig(two)).toBe('lif 64r-32r, pool 1, max · τsyn 5 ms · τmem 10 ms · rec delay ≤ 6,0 · ff delay ≤ 0,4 σ 2 · T 100 · lr 0.001 adam · B 256');
    expect(describeLayerDelays(two)).toBe('L1 rec ≤ 6 (0–5); L2 ff ≤ 4 (1–2)');
    // A layer without recurrence has no recurrent delays, so the others still share one maximum.
    expect(keyConfig({ ...two, layers: [layer(64), layer(32, false)] })).toMatch(/ · rec delay ≤ 6 σ 2 · /);
    // Same shape, different own delays: the layers row stays equal, the delays row differs.
    const other: TrainConfig = { ...two, layers: [layer(64), { ...layer(32), ffDelayMax: 4, ffDelayInit: { lo: 1, hi: 2 } }] };
    const rows = compareConfigs(two, other);
    expect(rows.filter((r) => r.differs).map((r) => [r.key, r.a, r.b])).toEqual([['layerDelays', 'L1 rec ≤ 6 (0–5); L2 ff ≤ 4 (1–2)', 'L1 rec ≤ 6 (0–5); L2 rec ≤ 6 (0–5), ff ≤ 4 (1–2)']]);
  });

  it('names a user-defined neuron in the summary and compares two programs, marking two under one name', () => {
    const spec = { name: 'my adlif', source: 'state U\nS = spike(U - theta)\nU = 0.9*U*(1 - detach(S)) + J', surrogate: 'fast-sigmoid' as const };
    const custom: TrainConfig = { ...base(), neuron: 'custom', customNeuron: spec };
    expect(keyConfig(custom)).toMatch(/^custom “my adlif” 128r, pool 1, max · T 100 · /);
    // Kept without effect for a built-in kind.
    expect(keyConfig({ ...custom, neuron: 'lif' })).toMatch(/^lif 128r/);
    const row = (a: TrainConfig, b: TrainConfig) => compareConfigs(a, b).find((r) => r.key === 'customNeuron');
    expect(row(custom, custom)).toEqual({ key: 'customNeuron', label: 'Your neuron', a: '“my adlif” (fast-sigmoid)', b: '“my adlif” (fast-sigmoid)', differs: false });
    expect(row(base(), custom)).toMatchObject({ a: NOT_USED, b: '“my adlif” (fast-sigmoid)', differs: false });
    expect(row(custom, { ...custom, customNeuron: { ...spec, source: spec.source.replace('0.9', '0.8') } })).toMatchObject({ b: '“my adlif” (fast-sigmoid), another program', differs: true });
    expect(row(custom, { ...custom, customNeuron: { ...spec, surrogate: 'double-gaussian' } })).toMatchObject({ b: '“my adlif” (double-gaussian)', differs: true });
  });
});
