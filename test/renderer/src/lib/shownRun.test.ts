import { describe, expect, it } from 'vitest';
import type { DatasetSummary, LoadedSession } from '../../../../src/shared/workbenchApi';
import { EMPTY_RUN, type RunView } from '../../../../src/renderer/src/lib/runState';
import { shownClassNames, shownTestSamples, type ViewedSession } from '../../../../src/renderer/src/lib/shownRun';

const summary = { classNames: ['a', 'b'], test: { samples: 40 } } as DatasetSummary;
const live = { ...EMPTY_RUN, started: { dataset: { classNames: ['x', 'y', 'z'], testSamples: 12 } } } as RunView;
const viewing: ViewedSession = { id: 's', session: { meta: { classNames: ['p'], dataset: { testSamples: 3 } } } as LoadedSession };

describe('what the Training and Spikes tabs show', () => {
  it('a viewed session first, then the live run, then the chosen dataset', () => {
    expect(shownClassNames(viewing, live, summary)).toEqual(['p']);
    expect(shownTestSamples(viewing, live, summary)).toBe(3);
    expect(shownClassNames(null, live, summary)).toEqual(['x', 'y', 'z']);
    expect(shownTestSamples(null, live, summary)).toBe(12);
    expect(shownClassNames(null, EMPTY_RUN, summary)).toEqual(['a', 'b']);
    expect(shownTestSamples(null, EMPTY_RUN, summary)).toBe(40);
  });

  it('nothing known before a dataset is summarised', () => {
    expect(shownClassNames(null, EMPTY_RUN, null)).toEqual([]);
    expect(shownTestSamples(null, EMPTY_RUN, null)).toBeNull();
  });
});
