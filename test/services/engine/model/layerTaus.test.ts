import { describe, expect, it } from 'vitest';
import { cloneConfig, DEFAULT_CONFIG, type TrainConfig } from '../../../../src/shared/config';
import { initNetwork } from '../../../../src/services/engine/model/init';
import { layerTaus } from '../../../../src/services/engine/model/layerTaus';
import { layerTensors, networkShape } from '../../../../src/services/engine/model/modelState';

function config(patch: Partial<TrainConfig>): TrainConfig {
  return { ...cloneConfig(DEFAULT_CONFIG), neuron: 'lif', layers: [{ size: 7, recurrent: true, dropout: 0 }, { size: 5, recurrent: false, dropout: 0 }], ...patch };
}

describe('layerTaus', () => {
  it('reports each layer’s delays in steps, recurrent ones on recurrent layers only, as the parameters hold them', () => {
    const c = config({ recDelayMax: 6, recDelayInit: { lo: 0, hi: 5 }, ffDelayMax: 3, ffDelayInit: { lo: 1, hi: 3 } });
    const params = initNetwork(networkShape(c, 10, 4), c);
    const [l1, l2] = layerTaus(params, c.dtS);
    expect(l1.delays?.rec).toHaveLength(7);
    expect(l1.delays?.ff).toHaveLength(7);
    expect(l2.delays?.rec).toBeUndefined();
    expect(l2.delays?.ff).toHaveLength(5);
    for (const d of l1.delays!.rec!) expect(d >= 0 && d <= 5).toBe(true);
    for (const d of [...l1.delays!.ff!, ...l2.delays!.ff!]) expect(d >= 1 && d <= 3).toBe(true);
    // Drawn, not constant.
    expect(new Set(l1.delays!.rec).size).toBeGreaterThan(1);
    // What training moved is what is reported.
    layerTensors(params, 0).recDelay![2] = 4.25;
    expect(layerTaus(params, c.dtS)[0].delays!.rec![2]).toBe(4.25);
  });

  it('leaves delays out of a network without them', () => {
    const c = config({});
    const taus = layerTaus(initNetwork(networkShape(c, 10, 4), c), c.dtS);
    expect(taus.map((t) => 'delays' in t)).toEqual([false, false]);
    expect(taus[0].tauMemS).toHaveLength(7);
  });
});
