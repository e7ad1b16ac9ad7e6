/**
 * Unpacks a verified .gz into `outPath`: written under a temp name, hashed (md5, size) on the way, renamed
 * only when complete, so `outPath` is either absent or whole. Progress counts compressed bytes read.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DownloadError, cancelledError, fsError } from './downloadError';
import { ProgressMeter } from './progressMeter';
import type { TransferContext } from './transferContext';

export async function gunzipFile(gzPath: string, outPath: string, file: string, ctx: TransferContext): Promise<{ md5: string; sizeBytes: number }> {
  const tmp = `${outPath}.tmp-${process.pid}-${Date.now()}`;
  const gzSize = (await stat(gzPath)).size;
  const meter = new ProgressMeter(ctx.emit, { dataset: ctx.dataset, file, phase: 'unpacking' }, gzSize, 0, ctx.progressIntervalMs);
  const hash = createHash('md5');
  let sizeBytes = 0;
  try {
    await pipeline(
      createReadStream(gzPath, { highWaterMark: 1 << 20 }),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          meter.add(chunk.length);
          yield chunk;
        }
      },
      createGunzip(),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          sizeBytes += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(tmp),
      { signal: ctx.signal },
    );
    await rename(tmp, outPath);
  } catch (err) {
    await rm(tmp, { force: true });
    if (ctx.signal?.aborted) throw cancelledError(`unpacking ${file}; the verified download ${gzPath} is kept and the next fetch unpacks it`);
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('Z_')) {
      throw new DownloadError('bad-archive', `${gzPath} matches its md5 but does not decompress (${(err as Error).message})`, { cause: err });
    }
    throw fsError(err, `unpacking ${gzPath} to`, outPath);
  }
  meter.finish();
  return { md5: hash.digest('hex'), sizeBytes };
}
