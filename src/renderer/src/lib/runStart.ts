/**
 * Starting and resuming a run from the window: why Start is disabled, the request that resumes a saved session,
 * and the run shown between the service's reply and its first events.
 */
import type { TrainConfig } from '../../../shared/config';
import type { EpochRecord } from '../../../shared/events';
import type { BackendPreference, DatasetRef, SessionSummary, StartTrainingRequest } from '../../../shared/workbenchApi';
import { EMPTY_RUN, mergeHistory, type RunView } from './runState';

/** Why Start is not possible now (the Train button's tooltip), or null when it is. */
export function startBlocker(ready: boolean, formErrorCount: number, hasDataset: boolean): string | null {
  if (!ready) return 'connecting…';
  if (formErrorCount) return `fix ${formErrorCount} ${formErrorCount === 1 ? 'value' : 'values'} in the form`;
  return hasDataset ? null : 'choose a dataset';
}

/**
 * The request that continues saved session `s` to `targetEpochs` epochs, on the data it recorded or, for a
 * session that recorded none, on the form's. Throws, naming the session, when there is neither.
 */
export function resumeRequest(
  s: SessionSummary,
  formDataset: DatasetRef | null,
  targetEpochs: number,
  options: { backend: BackendPreference; probeSample: number },
): StartTrainingRequest {
  const ref = s.datasetRef ?? formDataset;
  if (!ref) throw new Error(`session "${s.name}" does not record its dataset; choose it on the Data & model tab first`);
  return { config: { ...s.config, epochs: targetEpochs }, dataset: ref, backend: options.backend, resumeSessionId: s.id, probeSample: options.probeSample };
}

/**
 * The run to show once the service accepted run `runId`. Its events may have arrived before the reply: those are
 * kept. `earlier`: the epochs of the session being resumed, so its curves continue rather than start over.
 */
export function acceptedRun(run: RunView, runId: string, config: TrainConfig, earlier: readonly EpochRecord[]): RunView {
  const base = run.runId === runId ? run : { ...EMPTY_RUN, runId, state: 'starting' as const, config };
  return { ...base, history: mergeHistory(earlier, base.history) };
}
