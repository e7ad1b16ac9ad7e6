/** md5 of a file on disk, streamed (SSC train is over a gigabyte), with progress and cancellation. */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { cancelledError, fsError } from './downloadError';

/** Feeds the file's bytes into `hash` (so a resumed download can keep hashing after them); returns the byte count. */
export async function hashFileInto(
  hash: Hash,
  filePath: string,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void } = {},
): Promise<number> {
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20, signal: opts.signal })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
      opts.onBytes?.((chunk as Buffer).length);
    }
  } catch (err) {
    if (opts.signal?.aborted) throw cancelledError(`checking ${filePath}`);
    throw fsError(err, 'reading', filePath);
  }
  return bytes;
}

export async function fileMd5(filePath: string, opts: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<string> {
  const hash = createHash('md5');
  await hashFileInto(hash, filePath, opts);
  return hash.digest('hex');
}
