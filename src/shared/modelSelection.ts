/**
 * Which epoch's model a run keeps, and when it stops early, decided from validation accuracy alone, with the
 * validation set's size taken into account so that its noise cannot decide.
 *
 * The functions here take {@link ValidationPoint}s, which hold an epoch number and its validation accuracy and
 * nothing else: test loss and accuracy cannot reach the decision because the types have no place for them.
 * {@link validationPoints} projects epoch records (which also carry train and test numbers) onto that shape by
 * reading `epoch` and `val_acc` only, so the trainer can pass its history as it is.
 *
 * Why not simply the best epoch: on a validation set of a few speakers (130 samples, say) accuracy jumps by
 * several points from epoch to epoch (its standard error at 70 % is 4 points), so "the best epoch" is often a
 * lucky one early in training, and "no gain for 4 epochs" stops a run that is still learning. The rules:
 *   - each epoch's score is its validation accuracy smoothed over the last {@link SMOOTHING_WINDOW} epochs (fewer
 *     at the start of a run): a single lucky epoch moves it by a third;
 *   - the standard error of a validation accuracy p on n samples is √(p̃(1−p̃)/n) with p̃ = (np + 1)/(n + 2)
 *     (never 0, also at 0 % and 100 %);
 *   - the selected epoch is the latest whose score is within one standard error of the best score: epochs the
 *     validation set cannot tell apart are equal, and among equals the longer-trained model is kept (Breiman's
 *     one-standard-error rule, turned toward more training rather than fewer parameters). Without the validation
 *     size the standard error is taken as 0 (the latest of the best scores);
 *   - without a validation set (no record has `val_acc`) the selected epoch is the last one;
 *   - early stopping with patience p > 0 stops once p epochs in a row brought no gain in the smoothed score and
 *     the latest is more than one standard error below the best, or after 2p epochs without a gain (a plateau);
 *     p = 0 turns it off.
 */

/** Epochs averaged into an epoch's selection score (the epoch and the ones before it). */
export const SMOOTHING_WINDOW = 3;

/** One epoch's validation numbers: all that selection reads. */
export interface ValidationPoint {
  /** The epoch number as recorded (a resumed run starts above 1). */
  epoch: number;
  /** Validation accuracy, 0…1. */
  val_acc: number;
}

/** The epoch a run keeps, and on what grounds. */
export interface EpochSelection {
  epoch: number;
  /** `validation`: by the validation scores; `last`: no validation set, so the last epoch. */
  by: 'validation' | 'last';
  /** The selected epoch's validation accuracy; null for `last`. */
  val_acc: number | null;
  /** The selected epoch's smoothed score; null for `last`. */
  score: number | null;
  /** The epoch with the best smoothed score (the earliest among equal ones); null for `last`. */
  bestEpoch: number | null;
  /** The best smoothed score; null for `last`. */
  bestScore: number | null;
  /** The standard error of the best score on the validation set (0 when its size is unknown); null for `last`. */
  standardError: number | null;
  /** Epochs whose score is within one standard error of the best: the validation set cannot tell them apart. */
  tied: number[];
  /** Epochs the choice was made among. */
  epochs: number;
}

/** An epoch record as the trainer keeps it, with validation accuracy where there is a validation set. */
export interface RecordWithValidation {
  epoch: number;
  val_acc?: number | null;
}

function checkPoints(points: readonly ValidationPoint[]): void {
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (!Number.isInteger(p.epoch) || p.epoch < 1) throw new Error(`model selection: epoch must be an integer ≥ 1 (got ${p.epoch})`);
    if (i > 0 && p.epoch <= points[i - 1].epoch) {
      throw new Error(`model selection: epochs must increase (epoch ${p.epoch} follows epoch ${points[i - 1].epoch})`);
    }
    if (typeof p.val_acc !== 'number' || !Number.isFinite(p.val_acc)) {
      throw new Error(`model selection: epoch ${p.epoch}: val_acc must be a finite number (got ${p.val_acc})`);
    }
  }
}

function checkSamples(valSamples: number | undefined): void {
  if (valSamples !== undefined && (!Number.isInteger(valSamples) || valSamples < 1)) {
    throw new Error(`model selection: the validation size must be an integer ≥ 1 (got ${valSamples})`);
  }
}

/**
 * The epoch and validation accuracy of each record, read from `epoch` and `val_acc` and nothing else; null when no
 * record has a validation accuracy (a run without a validation set). Errors when only some records have one.
 */
export function validationPoints(records: readonly RecordWithValidation[]): ValidationPoint[] | null {
  const points: ValidationPoint[] = [];
  for (const r of records) {
    const epoch = r.epoch;
    const valAcc = r.val_acc;
    if (valAcc !== undefined && valAcc !== null) points.push({ epoch, val_acc: valAcc });
  }
  if (points.length === 0) return null;
  if (points.length !== records.length) {
    throw new Error(`model selection: ${records.length - points.length} of ${records.length} epochs have no val_acc`);
  }
  return points;
}

/** The standard error of an accuracy p measured on n samples, with the add-one estimate so it is never 0. */
export function accuracyStandardError(p: number, n: number): number {
  if (!(n >= 1) || !(p >= 0 && p <= 1)) throw new Error(`standard error: need 0 ≤ p ≤ 1 and n ≥ 1 (got p ${p}, n ${n})`);
  const q = (n * p + 1) / (n + 2);
  return Math.sqrt((q * (1 - q)) / n);
}

/** Each point's score: the mean validation accuracy of it and the SMOOTHING_WINDOW − 1 points before it. */
export function smoothedScores(points: readonly ValidationPoint[]): number[] {
  checkPoints(points);
  return points.map((_, i) => {
    const from = Math.max(0, i - SMOOTHING_WINDOW + 1);
    let sum = 0;
    for (let j = from; j <= i; j++) sum += points[j].val_acc;
    return sum / (i - from + 1);
  });
}

/** Scores closer than this are equal: means of the same accuracies summed in another order differ in the last bits. */
const EQUAL = 1e-12;

/** Index of the best score, the earliest among equal ones; -1 for none. */
function bestIndex(scores: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < scores.length; i++) if (best < 0 || scores[i] > scores[best] + EQUAL) best = i;
  return best;
}

/**
 * The epoch a run keeps from its history so far (see the rules above). `valSamples` is the validation set's size;
 * without it the standard error counts as 0. Errors for an empty history.
 */
export function selectEpoch(records: readonly RecordWithValidation[], valSamples?: number): EpochSelection {
  if (records.length === 0) throw new Error('model selection: no epochs to select from');
  checkSamples(valSamples);
  const points = validationPoints(records);
  if (points === null) {
    return { epoch: records[records.length - 1].epoch, by: 'last', val_acc: null, score: null, bestEpoch: null, bestScore: null, standardError: null, tied: [], epochs: records.length };
  }
  const scores = smoothedScores(points);
  const b = bestIndex(scores);
  const se = valSamples === undefined ? 0 : accuracyStandardError(scores[b], valSamples);
  const floor = scores[b] - se - EQUAL;
  const tied = points.filter((_, i) => scores[i] >= floor).map((p) => p.epoch);
  const chosen = points.findIndex((p) => p.epoch === tied[tied.length - 1]);
  return {
    epoch: points[chosen].epoch,
    by: 'validation',
    val_acc: points[chosen].val_acc,
    score: scores[chosen],
    bestEpoch: points[b].epoch,
    bestScore: scores[b],
    standardError: se,
    tied,
    epochs: points.length,
  };
}

/** Epochs recorded after the best smoothed score (0 when the latest epoch has it); 0 for no points. */
export function epochsWithoutGain(points: readonly ValidationPoint[]): number {
  const scores = smoothedScores(points);
  const b = bestIndex(scores);
  return b < 0 ? 0 : points.length - 1 - b;
}

/**
 * Whether training should stop after the latest epoch. With patience p > 0 it stops once p epochs in a row brought
 * no gain in the smoothed score and the latest score is more than one standard error below the best (worse, not
 * noise), or once 2p epochs brought no gain (a plateau). Patience 0 never stops; neither does a history without
 * validation accuracy (there is nothing to stop on). `valSamples` is the validation set's size; without it the
 * standard error counts as 0. `patience` must be a non-negative integer.
 *
 * Example, patience 2, no size: val_acc 0.5, 0.6, 0.6, 0.6, 0.45, 0.45 → scores 0.5, 0.55, 0.567, 0.6, 0.55, 0.5 →
 * stop after epoch 6 (epochs 5 and 6 brought no gain and 0.5 is below 0.6).
 */
export function shouldStop(history: readonly RecordWithValidation[], patience: number, valSamples?: number): boolean {
  if (!Number.isInteger(patience) || patience < 0) throw new Error(`early stopping: patience must be an integer ≥ 0 (got ${patience})`);
  checkSamples(valSamples);
  if (patience === 0) return false;
  const points = validationPoints(history);
  if (points === null) return false;
  const scores = smoothedScores(points);
  const b = bestIndex(scores);
  const without = points.length - 1 - b;
  if (without >= 2 * patience) return true;
  const se = valSamples === undefined ? 0 : accuracyStandardError(scores[b], valSamples);
  return without >= patience && scores[scores.length - 1] < scores[b] - se - EQUAL;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Epoch numbers as ranges: [3, 4, 5, 8] → "3–5, 8". */
export function epochRanges(epochs: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < epochs.length; ) {
    let j = i;
    while (j + 1 < epochs.length && epochs[j + 1] === epochs[j] + 1) j++;
    parts.push(j === i ? `${epochs[i]}` : `${epochs[i]}–${epochs[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/**
 * How sure a selection is, in one sentence for the run's report, the CLI and the app: the selected epoch's
 * smoothed validation score with its standard error and the validation size, and which epochs the validation set
 * cannot tell apart from the best.
 */
export function selectionSentence(s: EpochSelection, valSamples: number | null): string {
  if (s.by === 'last' || s.score === null || s.bestScore === null || s.standardError === null || s.bestEpoch === null) {
    return `epoch ${s.epoch}, the last (no validation set to select on)`;
  }
  const size = valSamples === null ? '' : `, ${valSamples} validation samples`;
  const head = `epoch ${s.epoch}: validation ${pct(s.val_acc!)}, smoothed over ${SMOOTHING_WINDOW} epochs ${pct(s.score)} ± ${pct(s.standardError)} (standard error${size})`;
  if (s.epochs === 1) return `${head}; the only epoch so far`;
  if (s.tied.length <= 1) return `${head}; a clear choice: every other epoch scores more than one standard error lower`;
  const best = s.bestEpoch === s.epoch ? '' : ` (the best score is epoch ${s.bestEpoch}'s, ${pct(s.bestScore)})`;
  return `${head}; ${s.tied.length} epochs (${epochRanges(s.tied)}) are within one standard error of the best${best}, which this validation set cannot tell apart, so the latest of them is kept`;
}

/** The selection rule in words, for reports and report cards. */
export const SELECTION_RULE =
  `validation accuracy smoothed over ${SMOOTHING_WINDOW} epochs; the latest epoch within one standard error of the best smoothed score is selected and its test accuracy reported; the test set has no say in the choice`;

/** The early-stopping rule for a patience, in words. */
export function stoppingRule(patience: number): string {
  if (patience <= 0) return 'no early stopping';
  const p = (n: number) => `${n} epoch${n === 1 ? '' : 's'}`;
  return `a run stops after ${p(patience)} without a gain in the smoothed score when the latest is more than one standard error below the best, or after ${p(2 * patience)} without a gain`;
}
