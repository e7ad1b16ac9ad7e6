/**
 * A validation set carved out of a training set, so model selection and early stopping never look at the test
 * set (see `shared/validation.ts` for the options and the description a report shows).
 *
 * Two ways to choose the held-out samples, both seeded (same train set, options and seed → the same split):
 *   - stratified by class: class c with n_c samples gives k_c = round(f·n_c) of them (Math.round of the double
 *     f·n_c, so halves go up: f = 0.1, n_c = 25 → 3), raised to 1 when f > 0 and n_c ≥ 2, and 0 for a class with
 *     a single sample so every class keeps a training sample (f ≤ 0.5 keeps k_c ≤ n_c − 1 otherwise). Which k_c
 *     comes from one seeded permutation per class, classes in ascending label order.
 *   - by speaker: whole speakers, the way SHD's test set holds out voices absent from train; see
 *     {@link planValidation} for the choice and what happens when a class would leave the training part.
 *
 * Both parts are real {@link SpikeDataset}s, copies in compressed-row form keeping the original sample order,
 * channels, class names and speaker ids. Memory: each part is allocated once at its exact size and together
 * they take what the original takes (6 bytes a spike, 8 + 4 (+ 4 with speakers) bytes a sample); with the
 * original still referenced the peak is twice that (SHD train: ~0.5 GB more for a moment), so callers should drop
 * the original after splitting. A fraction of 0 copies nothing: the original comes back as the train part.
 */
import type { ValidationOptions, ValidationSplitInfo } from '../../shared/validation';
import { validationErrors } from '../../shared/validation';
import { SeededRandom } from '../random/seededRandom';
import type { DatasetIndex, SpikeDataset } from './spikeDataset';
import { pairTrainTest } from './trainTestPair';

export interface ValidationSplit {
  /** What the network trains on: the original when nothing is held out, else a copy without the held-out samples. */
  train: SpikeDataset;
  /** What model selection is measured on; null when there is no validation set. */
  validation: SpikeDataset | null;
  info: ValidationSplitInfo;
  /** Sample j of `train` is sample trainIndices[j] of the original (ascending; 0, 1, 2, … when nothing is held out). */
  trainIndices: Int32Array;
}

/** Which samples of a training set are held out, before anything is copied. */
export interface ValidationPlan {
  kind: 'stratified-by-class' | 'by-speaker' | 'none';
  /** Indices of the held-out samples in the original, ascending. */
  validation: Int32Array;
  /** `by-speaker` only: the held-out speaker ids, ascending. */
  speakers?: number[];
  /** Why `auto` chose the kind, when the test set's speakers decided it. */
  reason?: string;
}

/**
 * What `auto` may know of the test set: its speaker ids (when it records them), so a split by speaker is made
 * only when the test set itself holds out a voice.
 */
export interface SplitContext {
  testSpeakers?: ArrayLike<number>;
}

/** Whether every test speaker also speaks in train (then `auto` holds out by class). */
function testVoicesAllSeen(train: DatasetIndex, ctx: SplitContext): boolean {
  if (!ctx.testSpeakers || !train.speakers || ctx.testSpeakers.length === 0) return false;
  const seen = new Set<number>();
  for (let i = 0; i < train.samples; i++) seen.add(train.speakers[i]);
  for (let i = 0; i < ctx.testSpeakers.length; i++) if (!seen.has(ctx.testSpeakers[i])) return false;
  return true;
}

/**
 * Mixed into the run seed so the held-out choice is its own random stream: the same `--seed` also drives weight
 * init and batch order, and those should not be correlated with which samples are held out.
 */
export const VALIDATION_SEED_SALT = 0x7a11_d5e7;

function checkArguments(train: DatasetIndex, opts: ValidationOptions, seed: number): void {
  const errors = validationErrors(opts);
  if (errors.length > 0) throw new Error(`invalid validation options: ${errors.map((e) => e.message).join('; ')}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new Error(`validation split: seed must be an integer in 0…2³²−1 (got ${seed})`);
  if (train.samples < 1) throw new Error(`${train.name}: no samples to split`);
}

/** Class slots for every label that occurs (labels beyond the class names get slots too). */
function classSlots(ds: DatasetIndex): number {
  let max = ds.classNames.length - 1;
  for (let i = 0; i < ds.samples; i++) if (ds.labels[i] > max) max = ds.labels[i];
  return max + 1;
}

function allIndices(ds: DatasetIndex): Int32Array {
  return Int32Array.from({ length: ds.samples }, (_, i) => i);
}

function maskToIndices(mask: Uint8Array, want: 0 | 1): Int32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] === want) n++;
  const out = new Int32Array(n);
  for (let i = 0, j = 0; i < mask.length; i++) if (mask[i] === want) out[j++] = i;
  return out;
}

function stratifiedMask(train: DatasetIndex, fraction: number, rng: SeededRandom): Uint8Array {
  const classes = classSlots(train);
  const members: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < train.samples; i++) members[train.labels[i]].push(i);
  const mask = new Uint8Array(train.samples);
  for (const idx of members) {
    const n = idx.length;
    if (n < 2) continue; // a lone sample stays in train, so the class is learnt at all
    const k = Math.min(n - 1, Math.max(1, Math.round(fraction * n)));
    const perm = rng.permutation(n);
    for (let j = 0; j < k; j++) mask[idx[perm[j]]] = 1;
  }
  return mask;
}

interface SpeakerTable {
  /** Distinct ids, ascending. */
  ids: number[];
  /** Samples per speaker, in `ids` order. */
  sizes: number[];
  /** Per speaker, samples per class. */
  perClass: Int32Array[];
  /** Samples per class in the whole set. */
  classTotals: Int32Array;
}

function speakerTable(train: DatasetIndex, speakers: Int32Array): SpeakerTable {
  const classes = classSlots(train);
  const ids = [...new Set(speakers)].sort((a, b) => a - b);
  const slot = new Map(ids.map((id, s) => [id, s]));
  const sizes = ids.map(() => 0);
  const perClass = ids.map(() => new Int32Array(classes));
  const classTotals = new Int32Array(classes);
  for (let i = 0; i < train.samples; i++) {
    const s = slot.get(speakers[i])!;
    sizes[s]++;
    perClass[s][train.labels[i]]++;
    classTotals[train.labels[i]]++;
  }
  return { ids, sizes, perClass, classTotals };
}

/**
 * Speakers to hold out (slots in `table.ids`), or null when no speaker can go without a class losing its last
 * training sample. Walks the speakers in seeded order and holds one out when that brings the held-out count closer
 * to the target round(f·N) (|held + n_s − target| < |held − target|) and every class it speaks keeps a training
 * sample; a speaker that fails either test is passed over and the walk goes on, so a smaller one later may fit.
 * When the walk holds out nobody (every speaker alone is more than twice the target), the smallest eligible
 * speaker is held out (ties: the earlier in seeded order), so f > 0 always gives a validation set; `walked` says
 * which of the two happened (`auto` does not take the second: see {@link planValidation}).
 */
function chooseSpeakers(table: SpeakerTable, samples: number, fraction: number, rng: SeededRandom): { chosen: number[]; walked: boolean } | null {
  const target = Math.round(fraction * samples);
  const order = rng.permutation(table.ids.length);
  const remaining = Int32Array.from(table.classTotals);
  const keepsEveryClass = (s: number) => table.perClass[s].every((n, c) => n === 0 || remaining[c] - n >= 1);
  const chosen: number[] = [];
  let held = 0;
  for (const s of order) {
    const n = table.sizes[s];
    if (Math.abs(held + n - target) >= Math.abs(held - target) || !keepsEveryClass(s)) continue;
    chosen.push(s);
    held += n;
    table.perClass[s].forEach((k, c) => (remaining[c] -= k));
  }
  if (chosen.length > 0) return { chosen, walked: true };
  let best = -1;
  for (const s of order) if (keepsEveryClass(s) && (best < 0 || table.sizes[s] < table.sizes[best])) best = s;
  return best < 0 ? null : { chosen: [best], walked: false };
}

/**
 * Which samples {@link splitValidation} holds out, as indices into `train`.
 *
 * `validationBy` resolves as: `class` → stratified by class; `speaker` → by speaker, an error when the set has
 * no speaker ids, fewer than two speakers, or no speaker whose removal leaves every class a training sample;
 * `auto` → by speaker when that is possible without taking more than twice the fraction (a file of few speakers,
 * FSDD's 4–6, would lose a quarter of its training samples to one voice), else stratified by class with the reason
 * in the plan (the plan's `kind` says which).
 * By speaker, every class that the set has keeps at least one training sample (guaranteed by the choice); the
 * validation part need not hold every class (SHD's speakers each speak every digit, so there it does).
 * A fraction of 0 plans nothing (`none`). Errors when f > 0 would hold out no sample (every class has a single one).
 */
export function planValidation(train: DatasetIndex, opts: ValidationOptions, seed: number, ctx: SplitContext = {}): ValidationPlan {
  checkArguments(train, opts, seed);
  const f = opts.validationFraction;
  if (f === 0) return { kind: 'none', validation: new Int32Array(0) };
  const rng = new SeededRandom((seed ^ VALIDATION_SEED_SALT) >>> 0);
  let fallback: string | undefined;
  const seenVoices = opts.validationBy === 'auto' && testVoicesAllSeen(train, ctx);

  if (opts.validationBy !== 'class' && !seenVoices) {
    const table = train.speakers ? speakerTable(train, train.speakers) : null;
    const choice = table && table.ids.length >= 2 ? chooseSpeakers(table, train.samples, f, rng) : null;
    const chosen = choice && (choice.walked || opts.validationBy === 'speaker') ? choice.chosen : null;
    if (table && choice && !chosen) {
      const smallest = Math.min(...table.sizes);
      fallback = `auto: too few speakers for a speaker split (${table.ids.length}; the smallest holds ${smallest} of ${train.samples} samples, ${((100 * smallest) / train.samples).toFixed(0)} %, more than twice the validation fraction ${f}), so held out by class: the validation set shares voices with training and reads higher than the test`;
    }
    if (table && chosen) {
      const heldIds = new Set(chosen.map((s) => table.ids[s]));
      const mask = new Uint8Array(train.samples);
      for (let i = 0; i < train.samples; i++) if (heldIds.has(train.speakers![i])) mask[i] = 1;
      return { kind: 'by-speaker', validation: maskToIndices(mask, 1), speakers: [...heldIds].sort((a, b) => a - b) };
    }
    if (opts.validationBy === 'speaker') {
      const why = !table
        ? 'it has no speaker ids'
        : table.ids.length < 2
          ? `it has ${table.ids.length} speaker`
          : 'no speaker can be held out without removing the last training sample of a class';
      throw new Error(`${train.name}: cannot hold out validation speakers: ${why} (use validationBy "class")`);
    }
  }

  const validation = maskToIndices(stratifiedMask(train, f, rng), 1);
  if (validation.length === 0) {
    throw new Error(`${train.name}: validationFraction ${f} holds out no sample (every class has a single sample); use 0 for no validation set`);
  }
  if (seenVoices) return { kind: 'stratified-by-class', validation, reason: 'auto: every test speaker also speaks in train' };
  return fallback ? { kind: 'stratified-by-class', validation, reason: fallback } : { kind: 'stratified-by-class', validation };
}

/**
 * The samples `indices` of `ds` (in that order) as a new compressed-row dataset named `name`, with the same
 * channels and class names, and speaker ids where `ds` has them. Runs of consecutive indices are copied in one go.
 */
export function subsetDataset(ds: SpikeDataset, indices: ArrayLike<number>, name: string): SpikeDataset {
  const n = indices.length;
  const offsets = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) {
    const i = indices[j];
    if (!Number.isInteger(i) || i < 0 || i >= ds.samples) throw new Error(`${ds.name}: sample index ${i} out of range 0…${ds.samples - 1}`);
    offsets[j + 1] = offsets[j] + ds.offsets[i + 1] - ds.offsets[i];
  }
  const times = new Float32Array(offsets[n]);
  const units = new Uint16Array(offsets[n]);
  const labels = new Int32Array(n);
  const speakers = ds.speakers ? new Int32Array(n) : undefined;
  for (let j = 0; j < n; ) {
    let end = j + 1; // extend the run while the source samples are consecutive
    while (end < n && indices[end] === indices[end - 1] + 1) end++;
    const from = ds.offsets[indices[j]];
    const to = ds.offsets[indices[end - 1] + 1];
    times.set(ds.times.subarray(from, to), offsets[j]);
    units.set(ds.units.subarray(from, to), offsets[j]);
    labels.set(ds.labels.subarray(indices[j], indices[end - 1] + 1), j);
    if (speakers) speakers.set(ds.speakers!.subarray(indices[j], indices[end - 1] + 1), j);
    j = end;
  }
  const out: SpikeDataset = { name, samples: n, channels: ds.channels, classNames: [...ds.classNames], labels, offsets, times, units };
  if (speakers) out.speakers = speakers;
  return out;
}

/** Which samples train and which validate, as index lists into `train` (nothing copied), with the description to report. */
export interface IndexSplit {
  info: ValidationSplitInfo;
  /** Ascending. */
  trainIndices: Int32Array;
  /** Ascending; empty when there is no validation set. */
  validationIndices: Int32Array;
}

export function splitIndices(train: DatasetIndex, opts: ValidationOptions, seed: number, ctx: SplitContext = {}): IndexSplit {
  const plan = planValidation(train, opts, seed, ctx);
  if (plan.kind === 'none') {
    return { info: { kind: 'none', trainSamples: train.samples, validationSamples: 0, seed: null }, trainIndices: allIndices(train), validationIndices: plan.validation };
  }
  const mask = new Uint8Array(train.samples);
  for (const i of plan.validation) mask[i] = 1;
  const trainIndices = maskToIndices(mask, 0);
  const info: ValidationSplitInfo = { kind: plan.kind, trainSamples: trainIndices.length, validationSamples: plan.validation.length, seed };
  if (plan.speakers) info.speakers = plan.speakers;
  if (plan.reason) info.reason = plan.reason;
  return { info, trainIndices, validationIndices: plan.validation };
}

/**
 * `train` split into a training part `${name} (train part)` and a validation part `${name} (validation)` as
 * {@link planValidation} plans it, with the description to report. Same arguments → identical arrays.
 */
export function splitValidation(train: SpikeDataset, opts: ValidationOptions, seed: number, ctx: SplitContext = {}): ValidationSplit {
  const { info, trainIndices, validationIndices } = splitIndices(train, opts, seed, ctx);
  if (info.kind === 'none') return { train, validation: null, info, trainIndices };
  const trainPart = subsetDataset(train, trainIndices, `${train.name} (train part)`);
  const validation = subsetDataset(train, validationIndices, `${train.name} (validation)`);
  return { train: trainPart, validation, info, trainIndices };
}

/**
 * A dataset's own validation file (SSC's `valid` split) as the validation set: nothing is taken from `train`.
 * The two must name the same classes, and both take the wider channel count, as train and test do
 * ({@link pairTrainTest}); an error otherwise.
 */
export function validationFromFile(train: SpikeDataset, validFile: SpikeDataset): ValidationSplit {
  const paired = pairTrainTest(train, validFile);
  return {
    train: paired.train,
    validation: paired.test,
    info: { kind: 'file', trainSamples: paired.train.samples, validationSamples: paired.test.samples, seed: null },
    trainIndices: allIndices(paired.train),
  };
}
