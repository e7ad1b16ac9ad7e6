/** What every step of a fetch shares: cancellation, retry policy, timeouts and where progress goes. */
import type { CatalogName } from '../../../shared/datasets';
import type { ProgressListener } from './progressMeter';
import { abortableSleep, backoffDelayMs } from './backoff';

export interface TransferContext {
  dataset: CatalogName;
  signal?: AbortSignal;
  emit: ProgressListener;
  /** Retries after consecutive failures that made no progress (a drop after new bytes starts the count again). */
  retries: number;
  /** Wait before retry number `attempt` (1-based). */
  retryDelayMs: (attempt: number) => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A connection that delivers nothing for this long is dropped and retried. */
  idleTimeoutMs: number;
  /** At most one progress event per this many ms per phase. */
  progressIntervalMs: number;
}

/** The settings a caller may override (tests make retries instant and progress unthrottled). */
export type TransferTuning = Partial<Pick<TransferContext, 'retries' | 'retryDelayMs' | 'sleep' | 'idleTimeoutMs' | 'progressIntervalMs'>>;

export const DEFAULT_TUNING: Required<TransferTuning> = {
  retries: 5,
  retryDelayMs: (attempt) => backoffDelayMs(attempt, 500, 15_000),
  sleep: abortableSleep,
  idleTimeoutMs: 30_000,
  progressIntervalMs: 200,
};
