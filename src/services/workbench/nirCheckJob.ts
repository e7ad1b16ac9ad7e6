/**
 * The Sessions tab's NIR check, run in the training process: the session and the NIR file it was exported to,
 * read back from disk, and the test split of the dataset given (the tab passes the one the session was trained
 * on), through services/nir/nirCheck.ts.
 */
import type { DatasetRef, NirCheck } from '../../shared/workbenchApi';
import { binSpec } from '../data/binning';
import { readSessionGuarded } from '../data/fileGuard';
import { binDataset } from '../engine/binnedDataset';
import { checkNir } from '../nir/nirCheck';
import { readNir } from '../nir/nirFile';
import { loadTestSplit } from './datasetLoader';

export async function checkExportedNir(sessionPath: string, nirPath: string, dataset: DatasetRef, dataDir: string): Promise<NirCheck> {
  const session = await readSessionGuarded(sessionPath);
  const test = await loadTestSplit(dataset, dataDir, session.params.shape.channels);
  return checkNir(await readNir(nirPath), session.params, session.config, binDataset(test, binSpec(session.config)));
}
