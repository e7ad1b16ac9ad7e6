/**
 * The Sessions tab's Evaluate, run in the training process: the session read back from disk, its selected epoch's
 * weights run over every sample of the test split of the dataset given, through the same engine evaluation and
 * per-class count as `evaluate --selected` on the CLI. Selected, not last: it is the epoch whose test accuracy the
 * session list shows as the one to publish, so the number can be checked on the same data and carried to other
 * data. A test split whose classes the session cannot score is refused, and class or speaker mismatches come back
 * as warnings (services/sessions/dataMatch.ts), as the NIR check does.
 */
import type { BackendPreference, DatasetRef, SessionEvaluation } from '../../shared/workbenchApi';
import { readSessionGuarded } from '../sessions/guardedSessionRead';
import { matchSessionToData } from '../sessions/dataMatch';
import { loadTestSplit } from './datasetLoader';

export async function evaluateSessionFile(
  sessionPath: string,
  sessionName: string,
  dataset: DatasetRef,
  dataDir: string,
  backendPreference: BackendPreference,
): Promise<SessionEvaluation> {
  const session = await readSessionGuarded(sessionPath);
  const named = `"${sessionName}"`;
  if (!session.selected) throw new Error(`the session ${named} has no selected epoch (it holds no completed epoch)`);
  const test = await loadTestSplit(dataset, dataDir, session.params.shape.channels);
  const match = matchSessionToData(
    { name: named, classNames: session.meta.classNames, speakerNames: session.meta.speakerNames, trainedOn: session.meta.dataset.name },
    test,
  );
  if (match.refusal) throw new Error(match.refusal);
  // The engine and its backends load only for this job (as for training), not for the process's other jobs.
  const [{ selectBackend }, { evaluate, perClassResults }] = await Promise.all([import('../engine/tfjs/backendSelect'), import('../engine/training/evaluate')]);
  const backend = await selectBackend(backendPreference);
  const result = await evaluate(session.selected.params, session.config, test, { backend: backend.name });
  return {
    sessionName,
    dataset: test.name,
    epoch: session.selected.epoch,
    backend: backend.name,
    accuracy: result.accuracy,
    samples: test.samples,
    loss: result.loss,
    perClass: perClassResults(result.confusion, session.meta.classNames),
    ...(match.warnings.length > 0 && { warnings: match.warnings }),
  };
}
