/** What the Sessions tab's Evaluate runs on and how its result reads (the numbers come from sessions.evaluate). */
import type { ClassResult } from '../../../shared/events';
import type { DatasetRef, SessionEvaluation } from '../../../shared/workbenchApi';
import { baseName, describeRef } from './datasetRef';
import { formatLoss, formatPercent } from './format';

/**
 * The dataset a session is evaluated (or its NIR file checked) on: the one it records, else the form's. A session
 * trained on files records only its training file, so it has none, and one opened from a file may not say.
 */
export function evaluationRef(recorded: DatasetRef | null, form: DatasetRef | null): DatasetRef | null {
  return recorded ?? form;
}

/** "the test set of demo", "the test set of SHD", or the test file's name. */
export function testSetLabel(ref: DatasetRef): string {
  return ref.kind === 'files' ? baseName(ref.testPath) : `the test set of ${describeRef(ref)}`;
}

/** Samples the network got right: the per-class counts summed (exact, where accuracy × samples is rounded). */
export function correctCount(e: SessionEvaluation): number {
  return e.perClass.reduce((n, c) => n + c.correct, 0);
}

/** "84.5 % (169 of 200) on demo", the dataset by its file name. */
export function evaluationHeadline(e: SessionEvaluation): string {
  return `${formatPercent(e.accuracy)} (${correctCount(e)} of ${e.samples}) on ${baseName(e.dataset)}`;
}

/** How it was run: which weights, which backend, and the mean loss. */
export function evaluationDetails(e: SessionEvaluation): string {
  return `“${e.sessionName}”, weights of the selected epoch (${e.epoch}), on ${e.backend}; mean NLL ${formatLoss(e.loss)}`;
}

export interface ClassCell {
  key: number;
  name: string;
  /** "9/10" */
  count: string;
  /** "90 %", "—" for a class the data has no sample of. */
  accuracy: string;
}

/** One short cell per class, for a grid that stays a few lines tall for SHD's 20 classes or SSC's 35. */
export function classCells(perClass: readonly ClassResult[]): ClassCell[] {
  return perClass.map((c) => ({
    key: c.class,
    name: c.name,
    count: `${c.correct}/${c.samples}`,
    accuracy: c.accuracy === null ? '—' : formatPercent(c.accuracy, 0),
  }));
}
