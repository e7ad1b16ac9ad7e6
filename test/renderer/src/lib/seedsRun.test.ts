import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/shared/config';
import { sweepSpecErrors } from '../../../../src/shared/sweep';
import { seedsDir, seedsRunRequest } from '../../../../src/renderer/src/lib/seedsRun';

const config = { ...(DEFAULT_CONFIG as TrainConfig), seed: 3 };
const now = new Date('2026-03-04T05:06:07Z');

describe('Repeat with N seeds', () => {
  it('is a sweep over the seed from the form\'s own, in a new folder under the data directory, one at a time', () => {
    const r = seedsRunRequest(config, { kind: 'catalog', name: 'shd' }, 3, { dataDir: '/data', backend: 'wasm', now });
    expect(r).toEqual({
      request: { spec: { name: '3 seeds', config, grid: { seed: [3, 4, 5] }, data: { dataset: 'shd' }, backend: 'wasm' }, dir: '/data/sweeps/seeds-20260304-050607', parallel: 1 },
    });
    if ('request' in r) expect(sweepSpecErrors(r.request.spec)).toEqual([]);
    // auto is train's default: the spec leaves it out.
    const auto = seedsRunRequest(config, { kind: 'demo' }, 2, { dataDir: '/data', backend: 'auto', now });
    expect(auto).toMatchObject({ request: { spec: { data: { dataset: 'demo' } } } });
    if ('request' in auto) expect(auto.request.spec.backend).toBeUndefined();
  });

  it('writes Windows folders with backslashes', () => {
    expect(seedsDir('C:\\Users\\a\\data', now)).toBe('C:\\Users\\a\\data\\sweeps\\seeds-20260304-050607');
  });

  it('says why it cannot run: no dataset, a demo set the CLI cannot make, too many seeds', () => {
    expect(seedsRunRequest(config, null, 3, { dataDir: '/d', backend: 'auto', now })).toEqual({ error: 'Choose a dataset on the Data & model tab: the sweep trains on it.' });
    expect(seedsRunRequest(config, { kind: 'demo', seed: 4 }, 3, { dataDir: '/d', backend: 'auto', now })).toMatchObject({ error: expect.stringMatching(/^Sweeps train through the CLI, whose demo set is the default one/) });
    expect(seedsRunRequest(config, { kind: 'demo' }, 101, { dataDir: '/d', backend: 'auto', now })).toEqual({ error: 'the number of seeds must be an integer from 1 to 100 (got 101)' });
  });
});
