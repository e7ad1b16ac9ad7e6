import { describe, expect, it } from 'vitest';
import type { EpochRecord } from '../../../../src/shared/events';
import type { ValidationSplitInfo } from '../../../../src/shared/validation';
import { selectedCaption, selectedSummary, selectionLabel, splitName } from '../../../../src/renderer/src/lib/selection';

const split = (kind: ValidationSplitInfo['kind']): ValidationSplitInfo => ({ kind, trainSamples: 90, validationSamples: kind === 'none' ? 0 : 10, seed: kind === 'none' || kind === 'file' ? null : 0 });
const rec = (epoch: number, val_acc: number | null, test_acc: number): EpochRecord => ({
  epoch, train_loss: 1, train_acc: 0.5, val_loss: val_acc === null ? null : 1, val_acc, test_loss: 1, test_acc, lr: 1e-3, train_s: 1, eval_s: 1,
});

describe('model selection words', () => {
  it('names the split in a few words and says what picked the epoch', () => {
    expect(splitName(split('by-speaker'))).toBe('by speaker');
    expect(splitName(split('stratified-by-class'))).toBe('stratified by class');
    expect(splitName(split('file'))).toBe('validation file');
    expect(splitName(split('none'))).toBe('last epoch (no validation)');
    expect(splitName(null)).toBe('—');
    expect(selectionLabel(split('by-speaker'))).toBe('selected (on validation)');
    expect(selectionLabel(split('none'))).toBe('selected (last epoch, no validation)');
  });

  it('gives the selected epoch\'s numbers, and nothing for an epoch the history lacks', () => {
    const h = [rec(1, 0.4, 0.35), rec(2, 0.6, 0.5), rec(3, 0.55, 0.6)];
    const s = selectedSummary(h, 2, split('stratified-by-class'));
    expect(s).toMatchObject({ epoch: 2, label: 'selected (on validation)', valAcc: 0.6, testAcc: 0.5, certainty: null }); // not the rule's choice
    const sure = selectedSummary(h, 3, split('stratified-by-class'))!;
    // scores 0.4, 0.5, 0.517 on 10 samples: SE 0.158, all three tie, the latest is kept
    expect(sure.certainty).toBe(
      "epoch 3: validation 55.0 %, smoothed over 3 epochs 51.7 % ± 15.8 % (standard error, 10 validation samples); 3 epochs (1–3) are within one standard error of the best, which this validation set cannot tell apart, so the latest of them is kept",
    );
    expect(selectedCaption(s!)).toBe('selected (on validation): epoch 2 · validation 60.0 % · test 50.0 %');
    const last = selectedSummary([rec(1, null, 0.3)], 1, split('none'))!;
    expect(selectedCaption(last)).toBe('selected (last epoch, no validation): epoch 1 · test 30.0 %');
    expect(selectedSummary(h, 4, null)).toBeNull();
    expect(selectedSummary(h, null, null)).toBeNull();
  });
});
