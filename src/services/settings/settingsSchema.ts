/**
 * The settings' defaults, their JSON Schema (what electron-store validates with) and the repair of a stored
 * value. The validator of record is `settingsErrors` in `src/shared/ipc/settingsPayloads.ts`; the JSON Schema here is built from
 * the same ranges (CONFIG_RANGES, SPAN_RANGES, LAYER_RANGES, the choice lists) so both stores refuse the same
 * things, except the rules across fields (a span's lo ≤ hi, the readout skip), which only that validator knows.
 * A stored config of the first landing (one `hidden` layer, scalar τ) is read through `upgradeConfig`.
 */
import {
  BINNINGS,
  CONFIG_RANGES,
  DEFAULT_CONFIG,
  DEFAULT_LAYER,
  LAYER_RANGES,
  MAX_LAYERS,
  NEURONS,
  OPTIMIZERS,
  READOUTS,
  SPAN_RANGES,
  cloneConfig,
  configErrors,
  upgradeConfig,
  type FieldError,
  type NumericRange,
  type TrainConfig,
} from '../../shared/config';
import { AUGMENT_RANGES, DEFAULT_AUGMENT, STRETCH_RANGE } from '../../shared/augment';
import { LR_SCHEDULES, SCHEDULE_RANGES } from '../../shared/schedule';
import { MAX_VALIDATION_FRACTION, VALIDATION_BY } from '../../shared/validation';
import { MAX_RECENT, SETTINGS_KEYS, settingsErrors } from '../../shared/ipc/settingsPayloads';
import { BACKEND_PREFERENCES, CATALOG_NAMES, type Settings } from '../../shared/workbenchApi';

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze<Settings>({
  lastConfig: cloneConfig(DEFAULT_CONFIG),
  lastDataset: null,
  backend: 'auto',
  dataDir: null,
  probeSample: 0,
  recentSessions: [],
  recentFiles: [],
});

export function defaultSettings(): Settings {
  return structuredClone(DEFAULT_SETTINGS) as Settings;
}

type JsonSchema = Record<string, unknown>;

function numberSchema(r: NumericRange): JsonSchema {
  return {
    type: r.integer ? 'integer' : 'number',
    ...(r.minExclusive ? { exclusiveMinimum: r.min } : { minimum: r.min }),
    // No max: no upper bound (the validator asks for a finite number only).
    ...(r.max === undefined ? {} : r.maxExclusive ? { exclusiveMaximum: r.max } : { maximum: r.max }),
  };
}

function augmentSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, r] of Object.entries(AUGMENT_RANGES)) properties[key] = numberSchema(r);
  properties.stretch = { type: 'object', properties: { lo: numberSchema(STRETCH_RANGE), hi: numberSchema(STRETCH_RANGE) }, required: ['lo', 'hi'], additionalProperties: false };
  return { type: 'object', properties, required: Object.keys(DEFAULT_AUGMENT), additionalProperties: false };
}

function configSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, r] of Object.entries({ ...CONFIG_RANGES, ...SCHEDULE_RANGES })) properties[key] = numberSchema(r);
  properties.validationFraction = numberSchema({ min: 0, max: MAX_VALIDATION_FRACTION, integer: false });
  properties.validationBy = { enum: [...VALIDATION_BY] };
  properties.lrSchedule = { enum: [...LR_SCHEDULES] };
  properties.augment = augmentSchema();
  for (const [key, r] of Object.entries(SPAN_RANGES)) {
    properties[key] = { type: 'object', properties: { lo: numberSchema(r), hi: numberSchema(r) }, required: ['lo', 'hi'], additionalProperties: false };
  }
  properties.layers = {
    type: 'array',
    minItems: 1,
    maxItems: MAX_LAYERS,
    items: {
      type: 'object',
      properties: { size: numberSchema(LAYER_RANGES.size), recurrent: { type: 'boolean' }, dropout: numberSchema(LAYER_RANGES.dropout) },
      required: Object.keys(DEFAULT_LAYER),
      additionalProperties: false,
    },
  };
  properties.learnTau = { type: 'boolean' };
  properties.neuron = { enum: [...NEURONS] };
  properties.binning = { enum: [...BINNINGS] };
  properties.readout = { enum: [...READOUTS] };
  properties.optimizer = { enum: [...OPTIMIZERS] };
  return { type: 'object', properties, required: Object.keys(DEFAULT_CONFIG), additionalProperties: false };
}

const PATH_STRING = { type: 'string', minLength: 1, maxLength: 4096 };

function datasetRefSchema(): JsonSchema {
  const int = (min: number, max: number) => ({ type: 'integer', minimum: min, maximum: max });
  return {
    oneOf: [
      {
        type: 'object',
        properties: { kind: { const: 'demo' }, seed: int(0, 2 ** 32 - 1), trainSamples: int(1, 100_000), testSamples: int(1, 100_000) },
        required: ['kind'],
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: { kind: { const: 'catalog' }, name: { enum: [...CATALOG_NAMES] } },
        required: ['kind', 'name'],
        additionalProperties: false,
      },
      {
        type: 'object',
        properties: { kind: { const: 'files' }, trainPath: PATH_STRING, testPath: PATH_STRING, channels: int(1, 65_536) },
        required: ['kind', 'trainPath', 'testPath'],
        additionalProperties: false,
      },
    ],
  };
}

/** Per-key JSON Schema, the shape electron-store's `schema` option takes. */
export function settingsJsonSchema(): Record<keyof Settings, JsonSchema> {
  return {
    lastConfig: configSchema(),
    lastDataset: { anyOf: [datasetRefSchema(), { type: 'null' }] },
    backend: { enum: [...BACKEND_PREFERENCES] },
    dataDir: { oneOf: [{ type: 'null' }, PATH_STRING] },
    probeSample: { type: 'integer', minimum: 0, maximum: 10_000_000 },
    recentSessions: { type: 'array', maxItems: MAX_RECENT, items: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,128}$' } },
    recentFiles: { type: 'array', maxItems: MAX_RECENT, items: PATH_STRING },
  };
}

/**
 * Settings from a stored value of unknown quality: every key that is valid is kept, every other falls back
 * to its default (a hand-edited file with one typo loses that one setting, not all of them). Returns the
 * problems found so the caller can tell the user.
 */
export function repairSettings(stored: unknown): { settings: Settings; problems: FieldError[] } {
  const settings = defaultSettings();
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    return { settings, problems: stored === undefined ? [] : [{ field: '', message: 'settings must be an object; using defaults' }] };
  }
  const problems: FieldError[] = [];
  const raw = { ...(stored as Record<string, unknown>) };
  for (const key of Object.keys(raw)) {
    if (!(SETTINGS_KEYS as readonly string[]).includes(key)) problems.push({ field: key, message: `unknown setting "${key}" dropped` });
  }
  if (isObject(raw.lastConfig)) raw.lastConfig = repairConfig(raw.lastConfig, problems);
  for (const key of SETTINGS_KEYS) {
    if (!(key in raw)) continue;
    const errors = settingsErrors({ [key]: raw[key] }, true);
    if (errors.length) problems.push(...errors.map((e) => ({ field: e.field, message: `${e.message}; using the default` })));
    else (settings as unknown as Record<string, unknown>)[key] = structuredClone(raw[key]);
  }
  return { settings, problems };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A stored config made whole: a config of the first landing is upgraded to the family's shape first; options
 * it lacks (say, added by a newer version) take their defaults, options that are invalid or unknown are reset
 * or dropped, each noted in `problems`. An error inside an option (`layers.1.size`, `tauMemS.hi`) resets the
 * whole option; resetting can expose a rule across options (a readout reset to max with a skip left), so
 * the check repeats until nothing is left.
 */
function repairConfig(stored: Record<string, unknown>, problems: FieldError[]): TrainConfig {
  // An old config may lack some of its own options (they took defaults then, too); give it the old model's
  // defaults, which are the family's for one LIF layer, before upgrading, so a partial one keeps its `hidden`.
  const old = 'hidden' in stored && !('layers' in stored);
  const whole = old ? { recurrent: DEFAULT_LAYER.recurrent, tauSynS: DEFAULT_CONFIG.tauSynS.lo, tauMemS: DEFAULT_CONFIG.tauMemS.lo, ...stored } : stored;
  const upgraded = upgradeConfig(whole) as Record<string, unknown>;
  const defaults = cloneConfig(DEFAULT_CONFIG) as unknown as Record<string, unknown>;
  const known = Object.keys(DEFAULT_CONFIG);
  const merged: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(upgraded)) {
    if (known.includes(k)) merged[k] = v;
    else problems.push({ field: `lastConfig.${k}`, message: `lastConfig: unknown option "${k}" dropped` });
  }
  for (let pass = 0; pass < known.length; pass++) {
    const errors = configErrors(merged);
    if (!errors.length) break;
    for (const e of errors) {
      const key = e.field.split('.')[0];
      merged[key] = structuredClone(defaults[key]);
      problems.push({ field: `lastConfig.${e.field}`, message: `lastConfig: ${e.message}; using the default` });
    }
  }
  return merged as unknown as TrainConfig;
}

/** The patch merged over the current settings, validated as a whole; throws listing every problem. */
export function mergeSettings(current: Settings, patch: unknown): Settings {
  const patchErrors = settingsErrors(patch, true);
  if (patchErrors.length) throw new SettingsError(patchErrors);
  const next = { ...current, ...structuredClone(patch as Partial<Settings>) };
  const errors = settingsErrors(next, false);
  if (errors.length) throw new SettingsError(errors);
  return next;
}

export class SettingsError extends Error {
  constructor(readonly fieldErrors: FieldError[]) {
    super(`invalid settings: ${fieldErrors.map((e) => e.message).join('; ')}`);
    this.name = 'SettingsError';
  }
}

/** Puts `item` first in a recent-items list, without duplicates, at most MAX_RECENT long. */
export function pushRecent(list: readonly string[], item: string): string[] {
  return [item, ...list.filter((x) => x !== item)].slice(0, MAX_RECENT);
}
