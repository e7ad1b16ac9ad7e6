import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../../src/shared/config';
import { rememberedSettings } from '../../../../src/renderer/src/lib/rememberedSettings';

const config = DEFAULT_CONFIG as TrainConfig;

describe('what the window remembers for the next start', () => {
  it('the backend, the probe sample, a valid form and a chosen dataset', () => {
    expect(rememberedSettings('wasm', 4, config, 0, { kind: 'demo' })).toEqual({ backend: 'wasm', probeSample: 4, lastConfig: config, lastDataset: { kind: 'demo' } });
  });

  it('not a form with errors, and no dataset while none is chosen', () => {
    expect(rememberedSettings('auto', 0, config, 2, null)).toEqual({ backend: 'auto', probeSample: 0 });
  });
});
