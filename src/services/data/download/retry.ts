/**
 * Bounded retries, waiting as the context's policy says (exponential backoff by default, backoff.ts). Only errors
 * marked retryable (dropped connections, timeouts, DNS hiccups, 5xx) are retried; a 404, a checksum mismatch or a
 * full disk fail at once.
 */
import { DownloadError, cancelledError } from './downloadError';
import type { TransferContext } from './transferContext';

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, or `ctx.retries` consecutive attempts fail
 * without `madeProgress()` turning true. `file` names what is fetched in the progress messages.
 */
export async function withRetries<T>(
  ctx: TransferContext,
  file: string,
  attempt: () => Promise<T>,
  madeProgress: () => boolean = () => false,
): Promise<T> {
  let failures = 0;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (ctx.signal?.aborted) throw err instanceof DownloadError && err.code === 'cancelled' ? err : cancelledError(`fetching ${file}`);
      if (!(err instanceof DownloadError) || !err.retryable) throw err;
      failures = madeProgress() ? 1 : failures + 1;
      if (failures > ctx.retries) {
        if (ctx.retries === 0) throw err;
        throw new DownloadError(err.code, `${err.message} (gave up after ${ctx.retries} ${ctx.retries === 1 ? 'retry' : 'retries'})`, { status: err.status, cause: err });
      }
      const delayMs = ctx.retryDelayMs(failures);
      ctx.emit({
        dataset: ctx.dataset,
        file,
        phase: 'connecting',
        bytes: 0,
        totalBytes: null,
        bytesPerS: 0,
        etaS: null,
        message: `retry ${failures}/${ctx.retries} in ${(delayMs / 1000).toFixed(1)} s: ${err.message}`,
      });
      await ctx.sleep(delayMs, ctx.signal);
    }
  }
}
