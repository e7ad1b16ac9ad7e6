/**
 * What the training process sends back to the workbench service (the other direction, main → process, is
 * `ToTrainingProcess` in `src/shared/ipc/trainingProcess.ts`). Messages travel by structured clone (Electron's utilityProcess,
 * Node's fork with `serialization: 'advanced'`), so a checkpoint's typed arrays arrive as typed arrays.
 */
import type { BackendReport, TrainEvent } from '../../shared/events';
import type { AugmentPreview, DatasetSummary, EncodedFolder, FileSummary, ListenResult, NirCheck, SessionEvaluation } from '../../shared/workbenchApi';
import { checkParamShapes, type Session } from '../engine/model/modelState';

export type FromTrainingProcess =
  /** A trainer event, relayed as it was emitted. */
  | { type: 'event'; event: TrainEvent }
  /** The trained state at the end of a run (completed or stopped), with the metadata a session file needs. */
  | { type: 'checkpoint'; session: Session }
  | { type: 'backend'; report: BackendReport; tfjsVersion: string }
  | { type: 'summary'; summary: DatasetSummary }
  | { type: 'fileSummary'; summary: FileSummary }
  | { type: 'augmentPreview'; preview: AugmentPreview }
  | { type: 'listen'; result: ListenResult }
  | { type: 'encodedFolder'; encoded: EncodedFolder }
  | { type: 'nirCheck'; check: NirCheck }
  | { type: 'evaluation'; evaluation: SessionEvaluation }
  /** The job could not be done (bad file, no backend, trainer failure); the message is for the user. */
  | { type: 'failed'; message: string }
  /** Last message of every job: the process exits after it. */
  | { type: 'finished' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks a message from the training process before the service acts on it. The process is ours, but a
 * version mismatch or a bug there must surface as an error message, not as a crash of main.
 */
export function fromTrainingProcessError(v: unknown): string | null {
  if (!isRecord(v) || typeof v.type !== 'string') return 'message without a type';
  switch (v.type) {
    case 'event':
      return isRecord(v.event) && typeof v.event.type === 'string' ? null : 'event message without an event';
    case 'checkpoint': {
      const s = v.session;
      if (!isRecord(s) || !isRecord(s.params) || !isRecord(s.meta) || !Array.isArray(s.history)) return 'checkpoint message without a session';
      try {
        checkParamShapes(s.params as unknown as Session['params']);
      } catch (err) {
        return `checkpoint: ${(err as Error).message}`;
      }
      return null;
    }
    case 'backend':
      return isRecord(v.report) && typeof v.report.name === 'string' ? null : 'backend message without a report';
    case 'summary':
    case 'fileSummary':
      return isRecord(v.summary) ? null : `${v.type} message without a summary`;
    case 'augmentPreview':
      return isRecord(v.preview) && isRecord(v.preview.original) && isRecord(v.preview.augmented) ? null : 'augmentPreview message without a preview';
    case 'listen':
      return isRecord(v.result) && isRecord(v.result.spikes) ? null : 'listen message without a result';
    case 'encodedFolder':
      return isRecord(v.encoded) && typeof v.encoded.train === 'string' ? null : 'encodedFolder message without files';
    case 'nirCheck':
      return isRecord(v.check) && Array.isArray(v.check.orders) && typeof v.check.samples === 'number' ? null : 'nirCheck message without a check';
    case 'evaluation':
      return isRecord(v.evaluation) && typeof v.evaluation.accuracy === 'number' && Array.isArray(v.evaluation.perClass) ? null : 'evaluation message without an evaluation';
    case 'failed':
      return typeof v.message === 'string' ? null : 'failed message without a message';
    case 'finished':
      return null;
    default:
      return `unknown message type ${JSON.stringify(v.type)}`;
  }
}
