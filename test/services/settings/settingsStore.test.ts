import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/shared/config';
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
    const config = { ...DEFAULT_CONFIG, tauMemS: 0.02, epochs: 3 };
    store.set({ lastConfig: config, backend: 'wasm', recentSessions: ['s-1'] });
    expect(readdirSync(dir)).toEqual(['settings.json']);
    const again = new JsonFileSettingsStore(path);
    expect(again.get().lastConfig.tauMemS).toBe(0.02);
    expect(again.get().backend).toBe('wasm');
    expect(again.get().recentSessions).toEqual(['s-1']);
  });

  it('refuses an invalid patch with field errors and keeps the stored value', () => {
    const path = join(tempDir(), 'settings.json');
    const store = new JsonFileSettingsStore(path);
    store.set({ backend: 'cpu' });
    let caught: unknown;
    try {
      store.set({ backend: 'quantum' as never, lastConfig: { ...DEFAULT_CONFIG, hidden: -3 } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SettingsError);
    const fields = (caught as SettingsError).fieldErrors.map((e) => e.field).sort();
    expect(fields).toEqual(['backend', 'lastConfig.hidden']);
    expect((caught as Error).message).toMatch(/backend must be one of auto, gpu, native, wasm, cpu/);
    expect(store.get().backend).toBe('cpu');
    expect(JSON.parse(readFileSync(path, 'utf8')).backend).toBe('cpu');
  });

  it('repairs a damaged file key by key and says what it reset', () => {
    const path = join(tempDir(), 'settings.json');
    writeFileSync(path, JSON.stringify({ backend: 'wasm', probeSample: -1, colour: 'blue', lastConfig: { hidden: 3 } }));
    const store = new JsonFileSettingsStore(path);
    expect(store.get().backend).toBe('wasm');
    expect(store.get().probeSample).toBe(0);
    expect(store.get().lastConfig).toEqual({ ...DEFAULT_CONFIG, hidden: 3 });
    const messages = store.loadProblems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/unknown setting "colour"/);
    expect(messages).toMatch(/probeSample must be an integer/);
    expect(messages).not.toMatch(/lastConfig/);
  });

  it('fills a stored config\'s missing options with defaults and resets its invalid ones', () => {
    const path = join(tempDir(), 'settings.json');
    writeFileSync(path, JSON.stringify({ lastConfig: { hidden: -5, tauMemS: 0.03, gamma: 1 } }));
    const store = new JsonFileSettingsStore(path);
    expect(store.get().lastConfig).toEqual({ ...DEFAULT_CONFIG, tauMemS: 0.03 });
    const messages = store.loadProblems.map((p) => p.message);
    expect(messages.some((m) => /lastConfig: hidden must be an integer/.test(m))).toBe(true);
    expect(messages.some((m) => /lastConfig: unknown option "gamma" dropped/.test(m))).toBe(true);
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
    expect(() => store.set('lastConfig', { ...DEFAULT_CONFIG, tauMemS: 0 })).toThrow(/tauMemS/);
    expect(() => store.set('lastConfig', { ...DEFAULT_CONFIG, extra: 1 })).toThrow();
    expect(() => store.set('recentSessions', ['../../etc'])).toThrow();
    expect(() => store.set('lastDataset', { kind: 'catalog', name: 'mnist' })).toThrow();
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
