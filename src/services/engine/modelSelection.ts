/**
 * Which epoch's model a run keeps, and when it stops early, decided from validation accuracy alone.
 *
 * The functions here take {@link ValidationPoint}s, which hold an epoch number and its validation accuracy and
 * nothing else: test loss and accuracy cannot reach the decision because the types have no place for them.
 * {@link validationPoints} projects epoch records (which also carry train and test numbers) onto that shape by
 * reading `epoch` and `val_acc` only, so the trainer can pass its history as it is.
 *
 * Rules:
 *   - the selected epoch has the highest validation accuracy; among equal accuracies the earliest epoch wins
 *     (the smaller epoch number: a later epoch must do strictly better to be preferred);
 *   - without a validation set (no record has `val_acc`) the selected epoch is the last one;
 *   - early stopping with patience p > 0 stops once the p latest epochs all came after the selected one, i.e. p
 *     epochs in a row brought no strict gain in validation accuracy; p = 0 turns it off.
 */

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
  /** `validation`: best validation accuracy; `last`: no validation set, so the last epoch. */
  by: 'validation' | 'last';
  /** The selected epoch's validation accuracy; null for `last`. */
  val_acc: number | null;
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

/** The point with the highest validation accuracy, the earliest among ties; null for no points. */
export function bestValidationEpoch(points: readonly ValidationPoint[]): ValidationPoint | null {
  checkPoints(points);
  let best: ValidationPoint | null = null;
  for (const p of points) if (best === null || p.val_acc > best.val_acc) best = p;
  return best === null ? null : { epoch: best.epoch, val_acc: best.val_acc };
}

/**
 * The epoch a run keeps from its history so far: the best by validation accuracy (earliest among ties), or the
 * last epoch when the records carry no validation accuracy. Errors for an empty history.
 */
export function selectEpoch(records: readonly RecordWithValidation[]): EpochSelection {
  if (records.length === 0) throw new Error('model selection: no epochs to select from');
  const points = validationPoints(records);
  if (points === null) return { epoch: records[records.length - 1].epoch, by: 'last', val_acc: null };
  const best = bestValidationEpoch(points)!;
  return { epoch: best.epoch, by: 'validation', val_acc: best.val_acc };
}

/** Epochs recorded after the best one (0 when the latest epoch is the best); 0 for no points. */
export function epochsWithoutGain(points: readonly ValidationPoint[]): number {
  const best = bestValidationEpoch(points);
  if (best === null) return 0;
  return points.filter((p) => p.epoch > best.epoch).length;
}

/**
 * Whether training should stop after the latest epoch: `patience` epochs in a row without a strict gain in
 * validation accuracy over the best before them. Patience 0 never stops; neither does a history without
 * validation accuracy (there is nothing to stop on). `patience` must be a non-negative integer.
 *
 * Example, patience 2: val_acc 0.5, 0.6, 0.6, 0.55 → stop after epoch 4 (epochs 3 and 4 brought no gain over 0.6).
 */
export function shouldStop(history: readonly RecordWithValidation[], patience: number): boolean {
  if (!Number.isInteger(patience) || patience < 0) throw new Error(`early stopping: patience must be an integer ≥ 0 (got ${patience})`);
  if (patience === 0) return false;
  const points = validationPoints(history);
  return points !== null && epochsWithoutGain(points) >= patience;
}
