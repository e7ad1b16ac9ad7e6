/**
 * Downloads one URL into `partPath`, hashing with md5 as the bytes arrive.
 *
 * Resume: when `partPath` already holds bytes (an earlier attempt or run was interrupted), they are hashed again
 * from disk and the request asks for the rest with `Range: bytes=N-`. A 206 whose Content-Range starts at N is
 * appended; a 200 means the server ignored the Range, so the part is truncated and the hash restarted; a 416
 * whose total equals N means the part was already complete. A body that ends before Content-Length / the
 * Content-Range total is a dropped connection: retried (resuming) with backoff.
 *
 * On failure or cancellation the part stays on disk under its temp name, so the next attempt resumes it; the
 * caller deletes it when its md5 turns out wrong.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { DownloadError, cancelledError, fsError, httpStatusError, networkError } from './downloadError';
import { hashFileInto } from './fileMd5';
import { httpGet, type HttpResponse } from './httpGet';
import { ProgressMeter } from './progressMeter';
import { withRetries } from './retry';
import type { TransferContext } from './transferContext';

export interface DownloadResult {
  md5: string;
  sizeBytes: number;
  /** Some bytes came from a part left by an earlier attempt or run. */
  resumed: boolean;
}

const FS_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'EMFILE']);

/** Bytes already in the part file (0 when absent or not a regular file). */
async function partBytes(partPath: string): Promise<number> {
  try {
    const s = await stat(partPath);
    return s.isFile() ? s.size : 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw fsError(err, 'reading', partPath);
  }
}

// Parses `bytes START-END/TOTAL`, or `bytes */TOTAL` as sent with a 416; TOTAL may be `*` (unknown).
export function parseContentRange(value: string | undefined): { start: number | null; total: number | null } | null {
  const m = value ? /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(value.trim()) : null;
  if (!m) return null;
  return { start: m[1] === undefined ? null : Number(m[1]), total: m[2] === '*' ? null : Number(m[2]) };
}

function contentLength(res: HttpResponse): number | null {
  const v = res.headers['content-length'];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
}

export async function resumableDownload(url: string, partPath: string, file: string, ctx: TransferContext): Promise<DownloadResult> {
  let progressed = false;
  let resumed = false;
  const event = (message: string, bytes = 0) =>
    ctx.emit({ dataset: ctx.dataset, file, phase: 'connecting', bytes, totalBytes: null, bytesPerS: 0, etaS: null, message });

  const attempt = async (): Promise<DownloadResult> => {
    progressed = false;
    let have = await partBytes(partPath);
    let hash: Hash = createHash('md5');
    if (have > 0) {
      event(`resuming ${file} after ${have} bytes already downloaded`, have);
      await hashFileInto(hash, partPath, { signal: ctx.signal });
    }
    const res = await httpGet(url, {
      headers: have > 0 ? { range: `bytes=${have}-` } : {},
      signal: ctx.signal,
      idleTimeoutMs: ctx.idleTimeoutMs,
    });
    let total: number | null;
    let append = false;
    if (res.status === 206 && have > 0) {
      const range = parseContentRange(res.headers['content-range'] as string | undefined);
      if (!range || range.start !== have) {
        res.body.destroy();
        await rm(partPath, { force: true });
        throw new DownloadError('bad-response', `${url}: the server answered a resume request with range "${String(res.headers['content-range'])}" instead of bytes ${have}-; the partial file was deleted`, { retryable: true });
      }
      total = range.total;
      append = true;
    } else if (res.status === 416 && have > 0) {
      res.body.resume();
      const range = parseContentRange(res.headers['content-range'] as string | undefined);
      if (range?.total === have) {
        resumed = true;
        return { md5: hash.digest('hex'), sizeBytes: have, resumed };
      }
      await rm(partPath, { force: true });
      throw new DownloadError('bad-response', `${url}: the server refused to resume at byte ${have}; the partial file was deleted and the download starts over`, { retryable: true });
    } else if (res.status === 200) {
      if (have > 0) {
        event(`${new URL(url).host} does not support resuming (ignored the Range request): downloading ${file} from the start`);
        hash = createHash('md5');
        have = 0;
      }
      total = contentLength(res);
    } else {
      res.body.resume();
      throw httpStatusError(res.status, url);
    }
    resumed = append;

    const meter = new ProgressMeter(ctx.emit, { dataset: ctx.dataset, file, phase: 'downloading' }, total, have, ctx.progressIntervalMs);
    try {
      await pipeline(
        res.body,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk);
            meter.add(chunk.length);
            progressed = true;
            yield chunk;
          }
        },
        createWriteStream(partPath, { flags: append ? 'a' : 'w' }),
      );
    } catch (err) {
      if (ctx.signal?.aborted) throw cancelledError(`download of ${file}; the part downloaded so far (${partPath}) is kept and the next fetch resumes it`);
      const code = (err as NodeJS.ErrnoException).code;
      if (code && FS_CODES.has(code)) throw fsError(err, 'writing', partPath);
      throw networkError(err, url);
    }
    meter.finish();
    const size = meter.current;
    if (total !== null && size !== total) {
      throw new DownloadError('network', `connection to ${new URL(url).host} ended after ${size} of ${total} bytes of ${file}`, { retryable: true });
    }
    return { md5: hash.digest('hex'), sizeBytes: size, resumed };
  };

  return withRetries(ctx, file, attempt, () => progressed);
}
