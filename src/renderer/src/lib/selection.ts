/**
 * Words for model selection: which epoch a run keeps, what picked it, and how its validation set was made, so
 * the charts, the table and the sessions list say the same thing. The number to publish is the test accuracy
 * at the selected epoch (chosen on validation only), not the best test accuracy of any epoch.
 */
import type { EpochRecord } from '../../../shared/events';
import type { ValidationSplitInfo } from '../../../shared/validation';
import { formatPercent } from './format';
import { selectEpoch, selectionSentence } from '../../../shared/modelSelection';

/** The legend and caption of the marker: what the selected epoch is the best of. */
export function selectionLabel(validation: ValidationSplitInfo | null): string {
  return validation?.kind === 'none' ? 'selected (last epoch, no validation)' : 'selected (on validation)';
}

/** A split in a few words, for lists: "by speaker", "stratified by class", "last epoch (no validation)". */
export function splitName(validation: ValidationSplitInfo | null): string {
  switch (validation?.kind) {
    case 'by-speaker':
      return 'by speaker';
    case 'stratified-by-class':
      return 'stratified by class';
    case 'file':
      return 'validation file';
    case 'none':
      return 'last epoch (no validation)';
    default:
      return '—';
  }
}

export interface SelectedSummary {
  epoch: number;
  label: string;
  valAcc: number | null;
  testAcc: number;
  /**
   * How sure the choice is (shared/modelSelection.ts: the smoothed score, its standard error on the validation
   * size, the epochs it cannot tell apart); null without validation, or for a session whose epoch an older rule chose.
   */
  certainty: string | null;
}

/** The selected epoch's numbers; null before one is selected or when the history lacks it. */
export function selectedSummary(history: readonly EpochRecord[], selectedEpoch: number | null, validation: ValidationSplitInfo | null): SelectedSummary | null {
  const r = history.find((x) => x.epoch === selectedEpoch);
  if (!r) return null;
  const valAcc = typeof r.val_acc === 'number' && Number.isFinite(r.val_acc) ? r.val_acc : null;
  let certainty: string | null = null;
  const n = validation && validation.kind !== 'none' && validation.validationSamples > 0 ? validation.validationSamples : null;
  if (n !== null && valAcc !== null) {
    try {
      const sel = selectEpoch(history, n);
      if (sel.epoch === r.epoch) certainty = selectionSentence(sel, n);
    } catch {
      certainty = null; // a history with gaps in val_acc (an older session): no grounds to give
    }
  }
  return { epoch: r.epoch, label: selectionLabel(validation), valAcc, testAcc: r.test_acc, certainty };
}

/** "selected (on validation): epoch 3 · validation 50.0 % · test 45.0 %". */
export function selectedCaption(s: SelectedSummary): string {
  const val = s.valAcc === null ? '' : ` · validation ${formatPercent(s.valAcc)}`;
  return `${s.label}: epoch ${s.epoch}${val} · test ${formatPercent(s.testAcc)}`;
}
