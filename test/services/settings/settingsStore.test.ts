import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import { cloneConfig, configErrors, DEFAULT_CONFIG, type TrainConfig } from '../../../src/shared/config';
import { DEFAULT_SETTINGS, pushRecent, settingsJsonSchema, SettingsError } from '../../../src/services/settings/settingsSchema';
import { JsonFileSettingsStore } from '../../../src/services/settings/settingsStore';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wb-settings-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('JsonFileSettingsStore', () => {
  it('starts from defaults, stores a valid patch atomically and reads it back in a new store', () => {
    const dir = tempDir();
    const path = join(dir, 'settings.json');
    const store = new JsonFileSettingsStore(path);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.loadProblems).toEqual([]);
    const config: TrainConfig = { ...cloneConfig(DEFAULT_CONFIG), neuron: 'adlif', tauMemS: { lo: 0.005, hi: 0.025 }, layers: [{ size: 64, recurrent: false, dropout: 0.1 }, { size: 32, recurrent: true, dropout: 0 }], epochs: 3 };
    store.set({ lastConfig: config, backend: 'wasm', recentSessions: ['s-1'] });
    expect(readdirSync(dir)).toEqual(['settings.json']);
    const again = new JsonFileSettingsStore(path);
    expect(again.get().lastConfig).toEqual(config);
    expect(again.loadProblems).toEqual([]);
    expect(again.get().backend).toBe('wasm');
    expect(again.get().recentSessions).toEqual(['s-1']);
  });

  it('refuses an invalid patch with field errors and keeps the stored value', () => {
    const path = join(tempDir(), 'settings.json');
    const store = new JsonFileSettingsStore(path);
    store.set({ backend: 'cpu' });
    let caught: unknown;
    try {
      store.set({ backend: 'quantum' as never, lastConfig: { ...cloneConfig(DEFAULT_CONFIG), layers: [{ size: 8, recurrent: true, dropout: 0 }, { size: -3, recurrent: true, dropout: 0 }] } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    const fields = (caught as SettingsError).fieldErrors.map((e) => e.field).sort();
    expect(fields).toEqual(['backend', 'lastConfig.layers.1.size']);
    expect((caught as Error).message).toMatch(/backend must be one of auto, webgpu, gpu, native, wasm, cpu/);
    expect(store.get().backend).toBe('cpu');
    expect(JSON.parse(readFileSync(path, 'utf8')).backend).toBe('cpu');
  });

  it('repairs a damaged file key by key and says what it reset', () => {
    const path = join(tempDir(), 'settings.json');
    writeFileSync(path, JSON.stringify({ backend: 'wasm', probeSample: -1, colour: 'blue', lastConfig: { hidden: 3 } }));
    const store = new JsonFileSettingsStore(path);
    expect(store.get().backend).toBe('wasm');
    expect(store.get().probeSample).toBe(0);
    // A partial config of the first landing (one `hidden` layer) is upgraded, keeping its size; it predates the
    // training protocol, so it keeps training on the whole training file (upgradeConfig's validationFraction 0).
    expect(store.get().lastConfig).toEqual({ ...cloneConfig(DEFAULT_CONFIG), layers: [{ size: 3, recurrent: true, dropout: 0 }], validationFraction: 0 });
    const messages = store.loadProblems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/unknown setting "colour"/);
    expect(messages).toMatch(/probeSample must be an integer/);
    expect(messages).not.toMatch(/lastConfig/);
  });

  it('fills a stored config\'s missing options with defaults and resets its invalid ones', () => {
    const path = join(tempDir(), 'settings.json');
    const layers = [{ size: 64, recurrent: true, dropout: 0 }, { size: 0, recurrent: true, dropout: 0 }];
    writeFileSync(path, JSON.stringify({ lastConfig: { layers, tauMemS: { lo: 0.03, hi: 0.01 }, epochs: 4, gamma: 1 } }));
    const store = new JsonFileSettingsStore(path);
    expect(store.get().lastConfig).toEqual({ ...cloneConfig(DEFAULT_CONFIG), epochs: 4, validationFraction: 0 });
    const messages = store.loadProblems.map((p) => p.message);
    expect(messages).toEqual([
      'lastConfig: unknown option "gamma" dropped',
      'lastConfig: tauMemS: the upper end 0.01 is below the lower end 0.03; using the default',
      'lastConfig: layer 2 size must be an integer ≥ 1 and ≤ 4096 (got 0); using the default',
    ].map((m) => `${path}: ${m}`));
  });

  it('upgrades a whole stored config of the first landing to one LIF layer with the readout on the same τ', () => {
    const path = join(tempDir(), 'settings.json');
    const old = { ...Object.fromEntries(Object.entries(DEFAULT_CONFIG).filter(([k]) => !['layers', 'neuron', 'tauSynS', 'tauMemS', 'tauAdaptS', 'adaptA', 'adaptB', 'adaptQ', 'learnTau', 'pool', 'readoutTauSynS', 'readoutTauMemS', 'readoutSkip'].includes(k))), hidden: 200, recurrent: false, tauSynS: 0.004, tauMemS: 0.02, readout: 'mean', epochs: 7 };
    writeFileSync(path, JSON.stringify({ lastConfig: old, backend: 'cpu' }));
    const store = new JsonFileSettingsStore(path);
    expect(store.loadProblems).toEqual([]);
    expect(store.get().lastConfig).toEqual({
      ...cloneConfig(DEFAULT_CONFIG),
      layers: [{ size: 200, recurrent: false, dropout: 0 }],
      tauSynS: { lo: 0.004, hi: 0.004 },
      tauMemS: { lo: 0.02, hi: 0.02 },
      readoutTauSynS: 0.004,
      readoutTauMemS: 0.02,
      readout: 'mean',
      epochs: 7,
    });
    // An upgraded config that breaks the new rules is still refused field by field.
    writeFileSync(path, JSON.stringify({ lastConfig: { ...old, hidden: 5000 } }));
    const bad = new JsonFileSettingsStore(path);
    expect(bad.get().lastConfig.layers).toEqual([{ size: 128, recurrent: true, dropout: 0 }]);
    expect(bad.loadProblems.map((p) => p.field)).toEqual(['lastConfig.layers.0.size']);
  });

  it('upgrades a stored config from before the training protocol: the protocol options, off, and no validation set', () => {
    const path = join(tempDir(), 'settings.json');
    const protocolKeys = ['weightDecay', 'clipGrad', 'patience', 'augment', 'lrSchedule', 'warmupEpochs', 'minLr', 'plateauFactor', 'plateauPatience', 'plateauThreshold', 'validationFraction', 'validationBy'];
    const before = Object.fromEntries(Object.entries({ ...cloneConfig(DEFAULT_CONFIG), epochs: 9 }).filter(([k]) => !protocolKeys.includes(k)));
    writeFileSync(path, JSON.stringify({ lastConfig: before }));
    const store = new JsonFileSettingsStore(path);
    expect(store.loadProblems).toEqual([]);
    expect(store.get().lastConfig).toEqual({ ...cloneConfig(DEFAULT_CONFIG), epochs: 9, validationFraction: 0 });
    // Stored back and read again, it is kept as it is: the new options pass the schema and the validator.
    store.set({ lastConfig: { ...store.get().lastConfig, validationFraction: 0.2, validationBy: 'speaker', lrSchedule: 'plateau', augment: { ...DEFAULT_CONFIG.augment, stretch: { lo: 0.9, hi: 1.1 }, timeShiftS: 0.05 } } });
    const again = new JsonFileSettingsStore(path);
    expect(again.loadProblems).toEqual([]);
    expect(again.get().lastConfig).toMatchObject({ validationFraction: 0.2, validationBy: 'speaker', lrSchedule: 'plateau', augment: { stretch: { lo: 0.9, hi: 1.1 }, timeShiftS: 0.05 } });
    // A bad protocol option is reset alone, the rest of the config kept.
    writeFileSync(path, JSON.stringify({ lastConfig: { ...cloneConfig(DEFAULT_CONFIG), epochs: 9, lrSchedule: 'step', augment: { ...DEFAULT_CONFIG.augment, deleteP: 2 } } }));
    const repaired = new JsonFileSettingsStore(path);
    expect(repaired.get().lastConfig).toEqual({ ...cloneConfig(DEFAULT_CONFIG), epochs: 9 });
    expect(repaired.loadProblems.map((p) => p.field).sort()).toEqual(['lastConfig.augment.deleteP', 'lastConfig.lrSchedule']);
  });

  it('falls back to defaults when the file is not JSON, naming the file', () => {
    const path = join(tempDir(), 'settings.json');
    writeFileSync(path, '{ not json');
    const store = new JsonFileSettingsStore(path);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(store.loadProblems[0].message).toContain(path);
  });
});

describe('settings JSON Schema (what electron-store validates with)', () => {
  // electron-store is conf plus Electron paths; conf runs in Node, so the schema is checked by the same ajv setup.
  const open = (cwd: string) => new Conf({ cwd, projectName: 'wb-test', schema: settingsJsonSchema(), defaults: structuredClone(DEFAULT_SETTINGS) as never });

  it('accepts the defaults and a files dataset', () => {
    const store = open(tempDir());
    store.set('lastDataset', { kind: 'files', trainPath: '/d/a.h5', testPath: '/d/b.h5' });
    expect(store.get('lastDataset')).toEqual({ kind: 'files', trainPath: '/d/a.h5', testPath: '/d/b.h5' });
  });

  it('refuses what the validator refuses', () => {
    const store = open(tempDir());
    expect(() => store.set('backend', 'quantum')).toThrow(/backend/);
    const config = cloneConfig(DEFAULT_CONFIG);
    store.set('lastConfig', { ...config, neuron: 'adlif', layers: [{ size: 16, recurrent: false, dropout: 0.5 }] });
    expect((store.get('lastConfig') as TrainConfig).neuron).toBe('adlif');
    expect(() => store.set('lastConfig', { ...config, tauMemS: { lo: 0, hi: 0.01 } })).toThrow(/tauMemS/);
    expect(() => store.set('lastConfig', { ...config, tauMemS: 0.01 })).toThrow(/tauMemS/);
    expect(() => store.set('lastConfig', { ...config, layers: [] })).toThrow(/layers/);
    expect(() => store.set('lastConfig', { ...config, layers: [{ size: 16, recurrent: true, dropout: 1 }] })).toThrow(/dropout/);
    expect(() => store.set('lastConfig', { ...config, neuron: 'izhikevich' })).toThrow(/neuron/);
    expect(() => store.set('lastConfig', { ...config, extra: 1 })).toThrow();
    expect(() => store.set('recentSessions', ['../../etc'])).toThrow();
    expect(() => store.set('lastDataset', { kind: 'catalog', name: 'mnist' })).toThrow();
  });

  it('accepts the training protocol options in range and refuses them out of range, as the validator does', () => {
    const store = open(tempDir());
    const config = cloneConfig(DEFAULT_CONFIG);
    const augment = (patch: Record<string, unknown>) => ({ ...config, augment: { ...config.augment, ...patch } });
    const good = [
      { ...config, validationFraction: 0.5, validationBy: 'speaker', patience: 5, weightDecay: 0.01, clipGrad: 1, lrSchedule: 'plateau', warmupEpochs: 2, minLr: 1e-5, plateauFactor: 0.5 },
      augment({ channelShift: 65535, timeShiftS: 1e3, stretch: { lo: 1e-6, hi: 1e6 }, deleteP: 0.999, blend: 1 }),
    ];
    for (const c of good) {
      expect(configErrors(c)).toEqual([]);
      store.set('lastConfig', c);
      expect(store.get('lastConfig')).toEqual(c);
    }
    const bad = [
      { ...config, validationFraction: 0.6 },
      { ...config, validationBy: 'file' },
      { ...config, lrSchedule: 'step' },
      { ...config, plateauFactor: 1 },
      { ...config, warmupEpochs: 1.5 },
      augment({ channelShift: 0.5 }),
      augment({ timeShiftS: -1 }),
      augment({ deleteP: 1 }),
      augment({ blend: 1.5 }),
      augment({ stretch: { lo: 0, hi: 1 } }),
      augment({ pitch: 1 }),
      { ...config, augment: undefined },
    ];
    for (const c of bad) {
      expect(configErrors(c), JSON.stringify(c)).not.toEqual([]);
      expect(() => store.set('lastConfig', c), JSON.stringify(c)).toThrow();
    }
  });
});

describe('pushRecent', () => {
  it('moves an item to the front without duplicates and caps the list', () => {
    expect(pushRecent(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    const long = Array.from({ length: 25 }, (_, i) => `p${i}`);
    const out = pushRecent(long, 'new');
    expect(out).toHaveLength(20);
    expect(out[0]).toBe('new');
  });
});
