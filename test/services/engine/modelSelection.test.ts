import { describe, expect, it } from 'vitest';
import {
  bestValidationEpoch,
  epochsWithoutGain,
  selectEpoch,
  shouldStop,
  validationPoints,
  type ValidationPoint,
} from '../../../src/services/engine/modelSelection';
import { SeededRandom } from '../../../src/services/random/seededRandom';
import type { EpochRecord } from '../../../src/shared/events';

type Record = Omit<EpochRecord, 'val_loss' | 'val_acc' | 'lr'> & { val_loss?: number; val_acc?: number; lr?: number };

/** Epoch records numbered from `first`, with the given validation accuracies and made-up train/test numbers. */
function records(valAcc: (number | undefined)[], first = 1): Record[] {
  return valAcc.map((v, i) => {
    const r: Record = {
      epoch: first + i,
      train_loss: 2 - 0.1 * i,
      train_acc: 0.3 + 0.05 * i,
      test_loss: 2.1 - 0.1 * i,
      test_acc: 0.25 + 0.06 * i,
      train_s: 1.5,
      eval_s: 0.2,
    };
    if (v !== undefined) {
      r.val_acc = v;
      r.val_loss = 1 - v;
    }
    return r;
  });
}

const points = (accs: number[]): ValidationPoint[] => accs.map((val_acc, i) => ({ epoch: i + 1, val_acc }));

describe('selected epoch', () => {
  it('is the best validation accuracy, the earliest among ties', () => {
    expect(selectEpoch(records([0.5, 0.7, 0.7, 0.6]))).toEqual({ epoch: 2, by: 'validation', val_acc: 0.7 });
    expect(selectEpoch(records([0.4, 0.4, 0.4]))).toEqual({ epoch: 1, by: 'validation', val_acc: 0.4 });
    expect(selectEpoch(records([0.1, 0.2, 0.3]))).toEqual({ epoch: 3, by: 'validation', val_acc: 0.3 });
    expect(bestValidationEpoch(points([0.6, 0.8, 0.75, 0.8]))).toEqual({ epoch: 2, val_acc: 0.8 });
    expect(bestValidationEpoch([])).toBeNull();
  });

  it('keeps the recorded epoch numbers of a resumed run', () => {
    expect(selectEpoch(records([0.3, 0.9, 0.5], 6))).toEqual({ epoch: 7, by: 'validation', val_acc: 0.9 });
  });

  it('is the last epoch when there is no validation set', () => {
    expect(validationPoints(records([undefined, undefined, undefined], 4))).toBeNull();
    expect(selectEpoch(records([undefined, undefined, undefined], 4))).toEqual({ epoch: 6, by: 'last', val_acc: null });
    expect(selectEpoch(records([undefined]))).toEqual({ epoch: 1, by: 'last', val_acc: null });
  });

  it('refuses an empty history, a history with val_acc on some epochs only, and bad points', () => {
    expect(() => selectEpoch([])).toThrow('model selection: no epochs to select from');
    expect(() => selectEpoch(records([0.5, undefined, 0.6]))).toThrow('model selection: 1 of 3 epochs have no val_acc');
    expect(() => selectEpoch(records([undefined, 0.6]))).toThrow('model selection: 1 of 2 epochs have no val_acc');
    expect(() => bestValidationEpoch([{ epoch: 1, val_acc: 0.5 }, { epoch: 1, val_acc: 0.6 }])).toThrow(
      'model selection: epochs must increase (epoch 1 follows epoch 1)',
    );
    expect(() => bestValidationEpoch([{ epoch: 0, val_acc: 0.5 }])).toThrow('model selection: epoch must be an integer ≥ 1 (got 0)');
    expect(() => bestValidationEpoch([{ epoch: 1, val_acc: 0.5 }, { epoch: 2, val_acc: NaN }])).toThrow(
      'model selection: epoch 2: val_acc must be a finite number (got NaN)',
    );
  });
});

describe('early stopping', () => {
  /** shouldStop after each epoch of the history. */
  const stops = (accs: number[], patience: number) => accs.map((_, i) => shouldStop(records(accs.slice(0, i + 1)), patience));

  it('stops after `patience` epochs in a row without a strict gain', () => {
    expect(stops([0.5, 0.6, 0.6, 0.55], 2)).toEqual([false, false, false, true]);
    // The gain at epoch 3 restarts the count.
    expect(stops([0.5, 0.4, 0.6, 0.5, 0.5], 2)).toEqual([false, false, false, false, true]);
    expect(stops([0.5, 0.4, 0.3], 1)).toEqual([false, true, true]);
    expect(stops([0.1, 0.2, 0.3, 0.4], 1)).toEqual([false, false, false, false]);
  });

  it('counts the epochs after the best one', () => {
    expect(epochsWithoutGain(points([0.5, 0.6, 0.6, 0.55]))).toBe(2);
    expect(epochsWithoutGain(points([0.5, 0.7]))).toBe(0);
    expect(epochsWithoutGain([])).toBe(0);
  });

  it('is off with patience 0 and without a validation set, and refuses a bad patience', () => {
    expect(stops([0.9, 0.1, 0.1, 0.1, 0.1], 0)).toEqual([false, false, false, false, false]);
    expect(shouldStop(records([undefined, undefined, undefined]), 1)).toBe(false);
    expect(shouldStop([], 3)).toBe(false);
    expect(() => shouldStop(records([0.5]), -1)).toThrow('early stopping: patience must be an integer ≥ 0 (got -1)');
    expect(() => shouldStop(records([0.5]), 1.5)).toThrow('early stopping: patience must be an integer ≥ 0 (got 1.5)');
  });
});

describe('independence from the test set', () => {
  it('selects the same epoch and stops at the same time whatever the test numbers', () => {
    const base = records([0.42, 0.61, 0.58, 0.61, 0.6, 0.59]);
    const rng = new SeededRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const perm = rng.permutation(base.length);
      const shuffled = base.map((r, i) => ({ ...r, test_acc: base[perm[i]].test_acc, test_loss: rng.next() * 5, train_acc: rng.next() }));
      expect(selectEpoch(shuffled)).toEqual({ epoch: 2, by: 'validation', val_acc: 0.61 });
      // Four epochs after the best: patience 4 stops, 5 does not.
      expect(shouldStop(shuffled, 5)).toBe(false);
      expect(shouldStop(shuffled, 4)).toBe(true);
    }
    // Test accuracy that rises to the last epoch does not pull the selection there.
    const testAcc = base.map((r) => r.test_acc);
    expect(testAcc.indexOf(Math.max(...testAcc))).toBe(5);
  });

  it('never reads anything but epoch and val_acc', () => {
    const read = new Set<string>();
    const guarded = records([0.3, 0.5, 0.4]).map(
      (r) =>
        new Proxy(r, {
          get(target, key, receiver) {
            read.add(String(key));
            if (key !== 'epoch' && key !== 'val_acc') throw new Error(`selection read ${String(key)}`);
            return Reflect.get(target, key, receiver);
          },
        }),
    );
    expect(selectEpoch(guarded)).toEqual({ epoch: 2, by: 'validation', val_acc: 0.5 });
    expect(shouldStop(guarded, 1)).toBe(true);
    expect(validationPoints(guarded)).toEqual([
      { epoch: 1, val_acc: 0.3 },
      { epoch: 2, val_acc: 0.5 },
      { epoch: 3, val_acc: 0.4 },
    ]);
    expect([...read].sort()).toEqual(['epoch', 'val_acc']);
  });
});
