/**
 * Named starting points for a training config, one list for the CLI (`--preset NAME`) and the app's picker.
 * Explicit flags (or form edits) override a preset's values. Each description cites where the values come
 * from; options a source does not set keep the reference's defaults.
 */
import { cloneConfig, DEFAULT_CONFIG, type TrainConfig } from './config';

export interface Preset {
  id: string;
  name: string;
  /** What it is and where its values come from (shown under the picker and by `--preset help`). */
  description: string;
  config: Readonly<TrainConfig>;
}

const preset = (id: string, name: string, description: string, changes: Partial<TrainConfig>): Preset => ({
  id,
  name,
  description,
  config: Object.freeze(cloneConfig({ ...DEFAULT_CONFIG, ...changes })),
});

export const PRESETS: readonly Preset[] = Object.freeze([
  preset(
    'seed',
    'Seed: 2020 recurrent LIF, 700-128-20',
    'The seed model (SpyTorch 2020, the reference defaults): one recurrent LIF layer of 128, τ_syn 5 ms, τ_mem 10 ms, max-over-time readout, Adam 1e-3, batch 256, 15 epochs.',
    {},
  ),
  preset(
    'spytorch-tutorial',
    'SpyTorch tutorial (Zenke)',
    'F. Zenke, SpyTorch SHD notebook (SpyTorchTutorial4.ipynb): one recurrent LIF layer of 200, τ_syn 5 ms, τ_mem 10 ms, dt 1 ms, T 100, max_time 1.4 s, weight scale 0.2, surrogate scale 100, Adamax lr 2e-4, batch 256, 200 epochs, spike regularisers 2e-6.',
    { layers: [{ size: 200, recurrent: true, dropout: 0 }], optimizer: 'adamax', learningRate: 2e-4, epochs: 200 },
  ),
]);

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

/** The preset a config equals exactly, if any (so the picker shows which one is active). */
export function matchingPreset(config: Readonly<TrainConfig>): Preset | undefined {
  return PRESETS.find((p) => JSON.stringify(cloneConfig(p.config)) === JSON.stringify(cloneConfig(config)));
}
