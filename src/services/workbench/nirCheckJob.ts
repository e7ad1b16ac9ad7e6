/**
 * The Sessions tab's NIR check, run in the training process: the session and the NIR file it was exported to,
 * read back from disk, and the test split of the dataset given (the tab passes the one the session was trained
 * on), through services/nir/nirCheck.ts. A test split whose classes the session cannot score is refused, and
 * class or speaker mismatches come back as the check's warnings (services/sessions/dataMatch.ts).
 */
import type { DatasetRef, NirCheck } from '../../shared/workbenchApi';
import { binSpec } from '../data/binning';
import { readSessionGuarded } from '../sessions/guardedSessionRead';
import { binDataset } from '../engine/run/binnedDataset';
import { checkNir } from '../nir/nirCheck';
import { readNir } from '../nir/nirFile';
import { matchSessionToData } from '../sessions/dataMatch';
import { loadTestSplit } from './datasetLoader';

export async function checkExportedNir(sessionPath: string, sessionName: string, nirPath: string, dataset: DatasetRef, dataDir: string): Promise<NirCheck> {
  const session = await readSessionGuarded(sessionPath);
  const test = await loadTestSplit(dataset, dataDir, session.params.shape.channels);
  const match = matchSessionToData(
    { name: `"${sessionName}"`, classNames: session.meta.classNames, speakerNames: session.meta.speakerNames, trainedOn: session.meta.dataset.name },
    test,
  );
  if (match.refusal) throw new Error(match.refusal);
  const check = await checkNir(await readNir(nirPath), session.params, session.config, binDataset(test, binSpec(session.config)));
  return match.warnings.length > 0 ? { ...check, warnings: match.warnings } : check;
}
