/**
 * Settings in electron-store (a JSON file in the user-data folder), validated by its JSON Schema on every
 * write and by the shared validator. A stored file that fails the schema is repaired key by key (valid
 * settings kept, the rest reset) instead of being thrown away whole.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';
import Store from 'electron-store';
import type { FieldError } from '../shared/config';
import type { Settings } from '../shared/workbenchApi';
import { defaultSettings, mergeSettings, repairSettings, settingsJsonSchema } from '../services/settings/settingsSchema';
import type { SettingsStore } from '../services/settings/settingsStore';

const NAME = 'settings';

export class ElectronSettingsStore implements SettingsStore {
  private readonly store: Store<Settings>;
  readonly loadProblems: FieldError[] = [];

  constructor() {
    const options = { name: NAME, schema: settingsJsonSchema(), defaults: defaultSettings(), clearInvalidConfig: false } as const;
    try {
      this.store = new Store<Settings>(options as never);
    } catch (err) {
      const path = join(app.getPath('userData'), `${NAME}.json`);
      let raw: unknown;
      try {
        raw = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        raw = {};
      }
      const { settings, problems } = repairSettings(raw);
      this.loadProblems.push({ field: '', message: `${path}: ${(err as Error).message}` }, ...problems);
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(settings, null, 2));
      renameSync(temp, path);
      this.store = new Store<Settings>(options as never);
    }
  }

  get(): Settings {
    // The stored object passed the schema; repair only strips what a newer/older version might have added.
    return repairSettings(this.store.store).settings;
  }

  set(patch: Partial<Settings>): Settings {
    const next = mergeSettings(this.get(), patch);
    this.store.set(next);
    return this.get();
  }
}
