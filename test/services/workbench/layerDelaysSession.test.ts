/**
 * A session whose layers have their own delays, through the app's API: trained, saved, loaded with its config and
 * each layer's delays (initial drawn from the layer's own span, the latest within its own max), its NIR check run,
 * and resumed for an epoch with the same per-layer delays.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../../src/shared/config';
import type { WorkbenchEvent } from '../../../src/shared/workbenchApi';
import { isState, isTrain, makeBench, tinyRequest } from './workbenchHelpers';

const delays: Partial<TrainConfig> = {
  layers: [
    { size: 12, recurrent: true, dropout: 0, recDelayMax: 6, recDelayInit: { lo: 3, hi: 6 } },
    { size: 8, recurrent: true, dropout: 0, recDelayMax: 0, ffDelayMax: 4 },
  ],
  ffDelayInit: { lo: 0, hi: 2 },
  delaySigma: 2,
};

describe('a session with per-layer delays through the workbench service', () => {
  const bench = makeBench();
  afterAll(() => bench.dispose());

  it('saves, loads, checks and resumes with each layer’s own delays', async () => {
    await bench.service.api.training.start(tinyRequest({}, delays));
    await bench.next(isTrain('done'));
    await bench.next(isState('idle'));
    const saved = await bench.service.api.sessions.save('layer delays');
    expect(saved.config.layers).toEqual(delays.layers);
    const loaded = await bench.service.api.sessions.load(saved.id);
    expect(loaded.config.layers).toEqual(delays.layers);
    // The delays each layer has, and no others: layer 1 recurrent only (drawn from 3–6), layer 2 feed-forward only.
    const [l1, l2] = loaded.initialTaus!;
    expect(l1.delays?.ff).toBeUndefined();
    expect(l2.delays?.rec).toBeUndefined();
    expect(l1.delays!.rec!.every((d) => d >= 3 && d <= 6)).toBe(true);
    expect(l2.delays!.ff!.every((d) => d >= 0 && d <= 2)).toBe(true);

    const check = await bench.service.api.sessions.checkNir(saved.id, saved.datasetRef!);
    expect(check.orders.find((o) => o.order === 'delayed')!.agreement).toBe(1);

    const done = bench.next<Extract<WorkbenchEvent, { kind: 'train' }>>(isTrain('done'));
    await bench.service.api.training.start(tinyRequest({ resumeSessionId: saved.id, dataset: saved.datasetRef! }, { ...delays, epochs: 3 }));
    const finished = (await done).event as Extract<WorkbenchEvent, { kind: 'train' }>['event'] & { history: { epoch: number }[] };
    await bench.next(isState('idle'));
    expect(finished.history.map((r) => r.epoch)).toEqual([1, 2, 3]);
  });
});
