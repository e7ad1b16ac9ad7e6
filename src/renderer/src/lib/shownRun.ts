/**
 * What the Training and Spikes tabs show: a saved session being viewed, else the live run, else the chosen
 * dataset's summary (class names and test-set size before any run has started).
 */
import type { DatasetSummary, LoadedSession } from '../../../shared/workbenchApi';
import type { RunView } from './runState';

/** A saved session opened for viewing, by its id in the sessions folder. */
export interface ViewedSession {
  id: string;
  session: LoadedSession;
}

export function shownClassNames(viewing: ViewedSession | null, run: RunView, summary: DatasetSummary | null): string[] {
  return viewing ? viewing.session.meta.classNames : (run.started?.dataset.classNames ?? summary?.classNames ?? []);
}

export function shownTestSamples(viewing: ViewedSession | null, run: RunView, summary: DatasetSummary | null): number | null {
  return viewing ? viewing.session.meta.dataset.testSamples : (run.started?.dataset.testSamples ?? summary?.test.samples ?? null);
}
