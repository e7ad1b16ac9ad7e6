/**
 * The dataset a session file names (its meta.dataset.name: what `train` was given) as the app refers to it, for a
 * session opened from a file, which has no app record of it: the Sessions tab's NIR check runs on its test split
 * and a resume trains on it.
 *   - `demo` is the generated set with the recorded sizes and seed 0 (what `train --dataset demo` trains on) only
 *     when the regenerated training split has the recorded fingerprint; an app session on another seed is not
 *     mistaken for it.
 *   - `shd` / `ssc`: the downloaded catalog set of that name (training on it checks the fingerprint again).
 *   - A file path names the training file only, not its test file: null, and the app uses the form's dataset.
 */
import { isCatalogName } from '../../shared/datasets';
import type { DatasetRef } from '../../shared/workbenchApi';
import { DEMO_DEFAULT_SAMPLES, makeDemoDataset } from '../data/demoData';
import { fingerprintDataset } from '../data/fingerprint';
import type { SessionMeta } from '../engine/model/modelState';

export function datasetRefOf(meta: SessionMeta): DatasetRef | null {
  const name = meta.dataset.name.trim().toLowerCase();
  if (isCatalogName(name)) return { kind: 'catalog', name };
  if (name !== 'demo') return null;
  const { trainSamples, testSamples } = meta.dataset;
  // The app's demo sizes stop at 100 000 (ipc/datasetPayloads.ts); a file claiming more is not regenerated to find out.
  if (![trainSamples, testSamples].every((n) => Number.isInteger(n) && n >= 1 && n <= 100_000)) return null;
  if (fingerprintDataset(makeDemoDataset({ seed: 0, split: 'train', samples: trainSamples })) !== meta.dataset.fingerprint) return null;
  const ref: DatasetRef = { kind: 'demo' };
  if (trainSamples !== DEMO_DEFAULT_SAMPLES.train) ref.trainSamples = trainSamples;
  if (testSamples !== DEMO_DEFAULT_SAMPLES.test) ref.testSamples = testSamples;
  return ref;
}
