/**
 * How a run carves a validation set out of its training set, and how a report, a session or the app says which
 * split was used. Model selection (best epoch, early stopping) reads the validation set only, so the test set is
 * touched once, by the final evaluation: the honest protocol. Plain TypeScript, JSON-safe values only.
 */
import type { FieldError } from './fieldError';

/**
 * Which samples go to validation:
 *   - `class`: per class, the same fraction of its samples (stratified), chosen by a seeded shuffle;
 *   - `speaker`: whole speakers, so validation measures generalisation to unseen voices as SHD's test set does
 *     (SHD's test set holds speakers absent from train);
 *   - `auto`: `speaker` when the file records at least two speakers and the test set holds out a voice (a
 *     test speaker absent from train, as in SHD), else `class`: when every test speaker also speaks in train
 *     (the Free Spoken Digit Dataset's split), a validation set of unseen voices would measure something the
 *     test does not, and would take whole voices out of training that the test then asks for.
 */
export type ValidationBy = 'auto' | 'class' | 'speaker';

export const VALIDATION_BY: readonly ValidationBy[] = ['auto', 'class', 'speaker'];

export interface ValidationOptions {
  /**
   * Share of the training samples held out, 0 ≤ f ≤ 0.5; 0 means no validation set (selection then falls back
   * to the last epoch). Above one half the "training" part would be the smaller one.
   */
  validationFraction: number;
  validationBy: ValidationBy;
}

export const MAX_VALIDATION_FRACTION = 0.5;

export const DEFAULT_VALIDATION: Readonly<ValidationOptions> = Object.freeze({ validationFraction: 0.1, validationBy: 'auto' });

const KNOWN_KEYS: readonly string[] = ['validationFraction', 'validationBy'];

/**
 * Every problem with an untrusted value (IPC payload, parsed JSON, session file), each naming its field, in the
 * shape {@link configErrors} uses so a form can show them next to its inputs. Empty when the value is valid.
 */
export function validationErrors(value: unknown): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ field: '', message: 'validation options must be an object' }];
  }
  const v = value as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const key of Object.keys(v)) {
    if (!KNOWN_KEYS.includes(key)) errors.push({ field: key, message: `unknown option "${key}"` });
  }
  const f = v.validationFraction;
  if (typeof f !== 'number' || !Number.isFinite(f) || f < 0 || f > MAX_VALIDATION_FRACTION) {
    errors.push({
      field: 'validationFraction',
      message: `validationFraction must be a number ≥ 0 and ≤ ${MAX_VALIDATION_FRACTION} (got ${JSON.stringify(f)})`,
    });
  }
  if (!VALIDATION_BY.includes(v.validationBy as ValidationBy)) {
    errors.push({
      field: 'validationBy',
      message: `validationBy must be one of ${VALIDATION_BY.join(', ')} (got ${JSON.stringify(v.validationBy)})`,
    });
  }
  return errors;
}

/** The options, checked; throws with every problem in one message. */
export function validateValidationOptions(value: unknown): ValidationOptions {
  const errors = validationErrors(value);
  if (errors.length > 0) throw new Error(`invalid validation options: ${errors.map((e) => e.message).join('; ')}`);
  const v = value as ValidationOptions;
  return { validationFraction: v.validationFraction, validationBy: v.validationBy };
}

/**
 * The split that was made:
 *   - `stratified-by-class`: a seeded share of each class (validationBy `class`, or `auto` without speakers);
 *   - `by-speaker`: whole speakers, listed in `speakers`;
 *   - `file`: the dataset's own validation file (SSC's `valid` split), no sample taken from train;
 *   - `none`: no validation set (fraction 0).
 */
export type ValidationSplitKind = 'stratified-by-class' | 'by-speaker' | 'file' | 'none';

export interface ValidationSplitInfo {
  kind: ValidationSplitKind;
  /** Samples the network trains on. */
  trainSamples: number;
  /** Samples model selection is measured on (0 for `none`). */
  validationSamples: number;
  /** `by-speaker` only: the held-out speaker ids, ascending. */
  speakers?: number[];
  /** The seed of the held-out choice; null where nothing was chosen at random (`file`, `none`). */
  seed: number | null;
  /** Why `auto` chose this kind, when it had a choice (e.g. "every test speaker also speaks in train"). */
  reason?: string;
}

/** One line for a report or the app, e.g. "by speaker: 816 of 8156 samples held out (speakers 3), seed 0". */
export function describeValidationSplit(info: ValidationSplitInfo): string {
  const total = info.trainSamples + info.validationSamples;
  const seed = info.seed === null ? '' : `, seed ${info.seed}`;
  const why = info.reason ? ` (${info.reason})` : '';
  switch (info.kind) {
    case 'none':
      return `no validation set: the selected model is the last epoch's (${info.trainSamples} training samples)`;
    case 'file':
      return `validation file: ${info.validationSamples} samples (${info.trainSamples} training samples)`;
    case 'stratified-by-class':
      return `stratified by class: ${info.validationSamples} of ${total} samples held out${seed}${why}`;
    case 'by-speaker':
      return `by speaker: ${info.validationSamples} of ${total} samples held out (speakers ${(info.speakers ?? []).join(', ')})${seed}${why}`;
  }
}

const SPLIT_KINDS: readonly ValidationSplitKind[] = ['stratified-by-class', 'by-speaker', 'file', 'none'];

/** Checks a stored (untrusted) ValidationSplitInfo, as a session file holds it; every problem with its field. */
export function validationSplitInfoErrors(value: unknown): FieldError[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field: '', message: 'the validation split must be an object' }];
  const v = value as Record<string, unknown>;
  const errors: FieldError[] = [];
  const count = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (!SPLIT_KINDS.includes(v.kind as ValidationSplitKind)) errors.push({ field: 'kind', message: `kind must be one of ${SPLIT_KINDS.join(', ')} (got ${JSON.stringify(v.kind)})` });
  for (const key of ['trainSamples', 'validationSamples'] as const) {
    if (!count(v[key])) errors.push({ field: key, message: `${key} must be an integer ≥ 0 (got ${JSON.stringify(v[key])})` });
  }
  if (v.seed !== null && !count(v.seed)) errors.push({ field: 'seed', message: `seed must be null or an integer ≥ 0 (got ${JSON.stringify(v.seed)})` });
  if (v.speakers !== undefined && !(Array.isArray(v.speakers) && v.speakers.every((x) => Number.isInteger(x)))) {
    errors.push({ field: 'speakers', message: 'speakers must be a list of integer speaker ids' });
  }
  if (v.reason !== undefined && typeof v.reason !== 'string') errors.push({ field: 'reason', message: 'reason must be a string' });
  return errors;
}
