/**
 * Where the workbench keeps its settings. Two implementations with one validation: the JSON file store below
 * (Node: serve mode, tests) and the electron-store one in `src/main/electronSettingsStore.ts` (the app).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../jsonFile';
import { dirname } from 'node:path';
import type { FieldError } from '../../shared/config';
import type { Settings } from '../../shared/workbenchApi';
import { mergeSettings, repairSettings } from './settingsSchema';

export interface SettingsStore {
  get(): Settings;
  /** Validates the merged result; throws SettingsError (with field errors) and stores nothing when invalid. */
  set(patch: Partial<Settings>): Settings;
  /** Problems found in the stored settings when they were loaded (bad keys were reset to defaults). */
  readonly loadProblems: FieldError[];
}

/** Settings in one JSON file, written to a temp name and renamed so a crash never leaves half a file. */
export class JsonFileSettingsStore implements SettingsStore {
  private current: Settings;
  readonly loadProblems: FieldError[];

  constructor(readonly path: string) {
    let stored: unknown;
    const problems: FieldError[] = [];
    try {
      stored = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') problems.push({ field: '', message: `${path} is unreadable (${(err as Error).message}); using defaults` });
    }
    const repaired = repairSettings(stored);
    this.current = repaired.settings;
    this.loadProblems = [...problems, ...repaired.problems.map((p) => ({ ...p, message: `${path}: ${p.message}` }))];
  }

  get(): Settings {
    return structuredClone(this.current);
  }

  set(patch: Partial<Settings>): Settings {
    const next = mergeSettings(this.current, patch);
    mkdirSync(dirname(this.path), { recursive: true });
    writeJsonAtomic(this.path, next);
    this.current = next;
    return this.get();
  }
}
