import { describe, expect, it } from 'vitest';
import { DEFAULT_AUGMENT } from '../../../../src/shared/augment';
import type { AugmentPreview } from '../../../../src/shared/workbenchApi';
import { augmentedTitle, augmentNames, originalTitle, previewInputs, requiredInt } from '../../../../src/renderer/src/lib/augmentPreview';

const preview: AugmentPreview = {
  sampleIndex: 12,
  trainPartIndex: 10,
  label: 3,
  className: 'demo-3',
  channels: 700,
  nbSteps: 100,
  epoch: 2,
  original: { t: [1], c: [2] },
  augmented: { t: [1], c: [3] },
  blendPartner: null,
  applied: ['channel shift +1 (of ±2)'],
};

describe('augmentation preview inputs and titles', () => {
  it('reads the sample and the epoch, each within its range', () => {
    expect(previewInputs('12', '2', 60, 3)).toEqual({ sampleIndex: 12, epoch: 2 });
    expect(previewInputs('60', '2', 60, 3)).toEqual({ error: 'Train sample must be a whole number from 0 to 59 (got "60")' });
    expect(previewInputs('5', '4', 60, 3)).toEqual({ error: 'Epoch must be a whole number from 1 to 3 (got "4")' });
    expect(previewInputs('', '1', 60, 3)).toEqual({ error: 'Train sample must be a whole number from 0 to 59' });
    // Before the dataset summary arrives the count is unknown: the service checks the range.
    expect(previewInputs('70000', '1', null, 3)).toEqual({ sampleIndex: 70000, epoch: 1 });
    expect(requiredInt(' 7 ', 'x', 0, 9)).toEqual({ value: 7 });
  });

  it('names what is on in the order it is applied, and titles both rasters', () => {
    expect(augmentNames(DEFAULT_AUGMENT)).toEqual([]);
    const all = { channelShift: 2, timeShiftS: 0.01, stretch: { lo: 1, hi: 1.2 }, deleteP: 0.1, blend: 0.3 };
    expect(augmentNames(all)).toEqual(['blend', 'spike deletion', 'stretch', 'time shift', 'channel shift']);
    expect(originalTitle(preview)).toBe('Original — train sample 12 (demo-3)');
    expect(originalTitle({ ...preview, className: undefined })).toBe('Original — train sample 12 (class 3)');
    expect(augmentedTitle(preview, { ...DEFAULT_AUGMENT, channelShift: 2, deleteP: 0.1 })).toBe('Augmented — epoch 2: spike deletion, channel shift');
  });
});
