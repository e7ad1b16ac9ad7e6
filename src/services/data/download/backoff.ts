/**
 * Waiting between retries: the exponential backoff and a sleep that cancellation cuts short. The default retry
 * policy (transferContext.ts) is made of these; withRetries (retry.ts) waits through the context's own `sleep`.
 */
import { cancelledError } from './downloadError';

/** base·2^(attempt−1), capped. */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError('while waiting to retry'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError('while waiting to retry'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
