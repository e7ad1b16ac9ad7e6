import { describe, expect, it } from 'vitest';
import {
  accuracyStandardError,
  epochRanges,
  epochsWithoutGain,
  selectionSentence,
  smoothedScores,
  selectEpoch,
  shouldStop,
  validationPoints,
  type ValidationPoint,
} from '../../src/shared/modelSelection';
import { SeededRandom } from '../../src/services/random/seededRandom';
import type { EpochRecord } from '../../src/shared/events';

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

const lastOnly = (epoch: number, epochs: number) => ({ epoch, by: 'last', val_acc: null, score: null, bestEpoch: null, bestScore: null, standardError: null, tied: [], epochs });

describe('selected epoch', () => {
  it('smooths each score over the last three epochs (fewer at the start)', () => {
    expect(smoothedScores(points([0.3, 0.6, 0.9, 0.3]))).toEqual([0.3, 0.45, 0.6, 0.6].map((x) => expect.closeTo(x, 12)));
    expect(smoothedScores([])).toEqual([]);
  });

  it('is the best smoothed score without a validation size, the latest among equal scores', () => {
    const s = selectEpoch(records([0.5, 0.7, 0.7, 0.6]));
    // scores 0.5, 0.6, 0.633, 0.667: the last is best.
    expect(s).toMatchObject({ epoch: 4, by: 'validation', val_acc: 0.6, bestEpoch: 4, standardError: 0, tied: [4] });
    expect(s.score).toBeCloseTo(2 / 3, 12);
    expect(selectEpoch(records([0.4, 0.4, 0.4]))).toMatchObject({ epoch: 3, bestEpoch: 1, tied: [1, 2, 3] });
    expect(selectEpoch(records([0.1, 0.2, 0.3]))).toMatchObject({ epoch: 3, val_acc: 0.3 });
  });

  it('does not keep a lucky epoch: one jump moves the score by a third', () => {
    // A 130-sample validation set whose accuracy jumps about while training goes on (issue 23's set A).
    const accs = [0.17, 0.34, 0.2, 0.22, 0.25, 0.27, 0.3, 0.31, 0.33, 0.35];
    const plain = accs.indexOf(Math.max(...accs.slice(0, 8))) + 1;
    expect(plain).toBe(2); // the best single epoch is the early jump
    expect(selectEpoch(records(accs), 130).epoch).toBe(10);
  });

  it('keeps the latest epoch within one standard error of the best score', () => {
    const accs = [0.5, 0.8, 0.82, 0.84, 0.83, 0.8, 0.78, 0.7, 0.6];
    // scores: 0.5, 0.65, 0.707, 0.82, 0.83, 0.823, 0.803, 0.76, 0.693; best epoch 5.
    const big = selectEpoch(records(accs), 10_000); // SE ≈ 0.004: only the best itself
    expect(big).toMatchObject({ epoch: 5, bestEpoch: 5, tied: [5] });
    const small = selectEpoch(records(accs), 100); // SE ≈ 0.037: epochs 4–7 tie
    expect(small).toMatchObject({ epoch: 7, bestEpoch: 5, tied: [4, 5, 6, 7] });
    expect(small.standardError).toBeCloseTo(accuracyStandardError(0.83, 100), 12);
  });

  it('has a standard error that is never 0', () => {
    expect(accuracyStandardError(1, 40)).toBeCloseTo(Math.sqrt(((41 / 42) * (1 / 42)) / 40), 12);
    expect(accuracyStandardError(0.5, 100)).toBeCloseTo(0.05, 12);
    expect(() => accuracyStandardError(0.5, 0)).toThrow('standard error: need 0 ≤ p ≤ 1 and n ≥ 1 (got p 0.5, n 0)');
    expect(() => selectEpoch(records([0.5]), 2.5)).toThrow('model selection: the validation size must be an integer ≥ 1 (got 2.5)');
  });

  it('keeps the recorded epoch numbers of a resumed run', () => {
    expect(selectEpoch(records([0.3, 0.9, 0.5], 6))).toMatchObject({ epoch: 7, bestEpoch: 7 });
    expect(selectEpoch(records([0.3, 0.9, 0.9, 0.2, 0.1], 6))).toMatchObject({ epoch: 8, bestEpoch: 8 });
  });

  it('is the last epoch when there is no validation set', () => {
    expect(validationPoints(records([undefined, undefined, undefined], 4))).toBeNull();
    expect(selectEpoch(records([undefined, undefined, undefined], 4))).toEqual(lastOnly(6, 3));
    expect(selectEpoch(records([undefined]))).toEqual(lastOnly(1, 1));
  });

  it('refuses an empty history, a history with val_acc on some epochs only, and bad points', () => {
    expect(() => selectEpoch([])).toThrow('model selection: no epochs to select from');
    expect(() => selectEpoch(records([0.5, undefined, 0.6]))).toThrow('model selection: 1 of 3 epochs have no val_acc');
    expect(() => selectEpoch(records([undefined, 0.6]))).toThrow('model selection: 1 of 2 epochs have no val_acc');
    expect(() => smoothedScores([{ epoch: 1, val_acc: 0.5 }, { epoch: 1, val_acc: 0.6 }])).toThrow(
      'model selection: epochs must increase (epoch 1 follows epoch 1)',
    );
    expect(() => smoothedScores([{ epoch: 0, val_acc: 0.5 }])).toThrow('model selection: epoch must be an integer ≥ 1 (got 0)');
    expect(() => smoothedScores([{ epoch: 1, val_acc: 0.5 }, { epoch: 2, val_acc: NaN }])).toThrow(
      'model selection: epoch 2: val_acc must be a finite number (got NaN)',
    );
  });

  it('says how sure the selection is', () => {
    const accs = [0.5, 0.8, 0.82, 0.84, 0.83, 0.8, 0.78, 0.7, 0.6];
    expect(selectionSentence(selectEpoch(records(accs), 100), 100)).toBe(
      'epoch 7: validation 78.0 %, smoothed over 3 epochs 80.3 % ± 3.8 % (standard error, 100 validation samples); 4 epochs (4–7) are within one standard error of the best (the best score is epoch 5\'s, 83.0 %), which this validation set cannot tell apart, so the latest of them is kept',
    );
    expect(selectionSentence(selectEpoch(records(accs), 10_000), 10_000)).toMatch(/^epoch 5: .*; a clear choice: every other epoch scores more than one standard error lower$/);
    expect(selectionSentence(selectEpoch(records([undefined])), null)).toBe('epoch 1, the last (no validation set to select on)');
    expect(epochRanges([1, 2, 3, 5, 7, 8])).toBe('1–3, 5, 7–8');
  });
});

describe('early stopping', () => {
  /** shouldStop after each epoch of the history. */
  const stops = (accs: number[], patience: number, n?: number) => accs.map((_, i) => shouldStop(records(accs.slice(0, i + 1)), patience, n));

  it('stops after `patience` epochs without a gain in the smoothed score when the latest is worse', () => {
    // scores 0.5, 0.55, 0.567, 0.6, 0.55, 0.5
    expect(stops([0.5, 0.6, 0.6, 0.6, 0.45, 0.45], 2)).toEqual([false, false, false, false, false, true]);
    // A gain restarts the count: scores 0.5, 0.45, 0.4, 0.533, 0.567, 0.633, 0.5, 0.4
    expect(stops([0.5, 0.4, 0.3, 0.9, 0.5, 0.5, 0.1, 0.2], 2)).toEqual([false, false, true, false, false, false, false, true]);
    expect(stops([0.1, 0.2, 0.3, 0.4], 1)).toEqual([false, false, false, false]);
  });

  it('stops on a plateau after twice the patience', () => {
    expect(stops([0.4, 0.4, 0.4, 0.4, 0.4], 2)).toEqual([false, false, false, false, true]);
    expect(stops([0.4, 0.4, 0.4], 1)).toEqual([false, false, true]);
  });

  it('is not fooled by one lucky epoch', () => {
    // Plain "best epoch" would count epochs 3–6 as without gain (0.34 at epoch 2) and stop at patience 4; the
    // smoothed scores 0.255 (epoch 2) … 0.247 (epoch 6) differ by less than a standard error on 130 samples.
    const accs = [0.17, 0.34, 0.2, 0.22, 0.25, 0.27, 0.3];
    expect(stops(accs, 4, 130)).toEqual(Array(7).fill(false));
    // The same numbers on a very large validation set would be a real decline: it stops.
    expect(stops(accs, 4, 1_000_000)[5]).toBe(true);
  });

  it('counts the epochs after the best score', () => {
    expect(epochsWithoutGain(points([0.5, 0.6, 0.6, 0.6, 0.45]))).toBe(1);
    expect(epochsWithoutGain(points([0.5, 0.7]))).toBe(0);
    expect(epochsWithoutGain([])).toBe(0);
  });

  it('is off with patience 0 and without a validation set, and refuses a bad patience', () => {
    expect(stops([0.9, 0.1, 0.1, 0.1, 0.1], 0)).toEqual([false, false, false, false, false]);
    expect(() => shouldStop(records([0.5]), 1, 0)).toThrow('model selection: the validation size must be an integer ≥ 1 (got 0)');
    expect(shouldStop(records([undefined, undefined, undefined]), 1)).toBe(false);
    expect(shouldStop([], 3)).toBe(false);
    expect(() => shouldStop(records([0.5]), -1)).toThrow('early stopping: patience must be an integer ≥ 0 (got -1)');
    expect(() => shouldStop(records([0.5]), 1.5)).toThrow('early stopping: patience must be an integer ≥ 0 (got 1.5)');
  });
});

describe('independence from the test set', () => {
  it('selects the same epoch and stops at the same time whatever the test numbers', () => {
    // scores 0.42, 0.515, 0.537, 0.617, 0.613, 0.603, 0.55: the best is epoch 4's
    const base = records([0.42, 0.61, 0.58, 0.66, 0.6, 0.55, 0.5]);
    const rng = new SeededRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const perm = rng.permutation(base.length);
      const shuffled = base.map((r, i) => ({ ...r, test_acc: base[perm[i]].test_acc, test_loss: rng.next() * 5, train_acc: rng.next() }));
      expect(selectEpoch(shuffled)).toMatchObject({ epoch: 4, by: 'validation', val_acc: 0.66 });
      // Three epochs after the best, the last one worse: patience 3 stops, 4 does not.
      expect(shouldStop(shuffled, 4)).toBe(false);
      expect(shouldStop(shuffled, 3)).toBe(true);
    }
    // Test accuracy that rises to the last epoch does not pull the selection there.
    const testAcc = base.map((r) => r.test_acc);
    expect(testAcc.indexOf(Math.max(...testAcc))).toBe(6);
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
    // scores 0.3, 0.4, 0.4: equal scores, the latest is kept
    expect(selectEpoch(guarded)).toMatchObject({ epoch: 3, by: 'validation', val_acc: 0.4, bestEpoch: 2 });
    expect(shouldStop(guarded, 1)).toBe(false); // one epoch without a gain, but not a worse one
    expect(validationPoints(guarded)).toEqual([
      { epoch: 1, val_acc: 0.3 },
      { epoch: 2, val_acc: 0.5 },
      { epoch: 3, val_acc: 0.4 },
    ]);
    expect([...read].sort()).toEqual(['epoch', 'val_acc']);
  });
});
