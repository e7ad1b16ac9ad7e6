import { describe, expect, it } from 'vitest';
import type { SessionEvaluation } from '../../../../src/shared/workbenchApi';
import {
  classCells,
  correctCount,
  evaluationDetails,
  evaluationHeadline,
  evaluationRef,
  testSetLabel,
} from '../../../../src/renderer/src/lib/sessionEvaluation';

const evaluation: SessionEvaluation = {
  sessionName: 'demo · lif 16 · 2 epochs · test 84.5%',
  dataset: '/data/encoded/digits-test.h5',
  epoch: 2,
  backend: 'wasm',
  accuracy: 13 / 20,
  samples: 20,
  loss: 0.712345,
  perClass: [
    { class: 0, name: 'zero', samples: 10, correct: 9, accuracy: 0.9 },
    { class: 1, name: 'one', samples: 10, correct: 4, accuracy: 0.4 },
    { class: 2, name: 'two', samples: 0, correct: 0, accuracy: null },
  ],
};

describe('the Sessions tab evaluation', () => {
  it('runs on the dataset the session records, else the form’s', () => {
    expect(evaluationRef({ kind: 'catalog', name: 'shd' }, { kind: 'demo' })).toEqual({ kind: 'catalog', name: 'shd' });
    expect(evaluationRef(null, { kind: 'demo', seed: 2 })).toEqual({ kind: 'demo', seed: 2 });
    expect(evaluationRef(null, null)).toBeNull();
  });

  it('names the test set as its button says', () => {
    expect(testSetLabel({ kind: 'demo' })).toBe('the test set of demo');
    expect(testSetLabel({ kind: 'catalog', name: 'ssc' })).toBe('the test set of SSC');
    expect(testSetLabel({ kind: 'files', trainPath: '/d/a-train.h5', testPath: 'C:\\d\\a-test.h5' })).toBe('a-test.h5');
  });

  it('reads the result: exact counts, the file by its name, the weights and backend', () => {
    expect(correctCount(evaluation)).toBe(13);
    expect(evaluationHeadline(evaluation)).toBe('65.0 % (13 of 20) on digits-test.h5');
    expect(evaluationHeadline({ ...evaluation, dataset: 'demo' })).toBe('65.0 % (13 of 20) on demo');
    expect(evaluationDetails(evaluation)).toBe('“demo · lif 16 · 2 epochs · test 84.5%”, weights of the selected epoch (2), on wasm; mean NLL 0.7123');
    expect(classCells(evaluation.perClass)).toEqual([
      { key: 0, name: 'zero', count: '9/10', accuracy: '90 %' },
      { key: 1, name: 'one', count: '4/10', accuracy: '40 %' },
      { key: 2, name: 'two', count: '0/0', accuracy: '—' },
    ]);
  });
});
