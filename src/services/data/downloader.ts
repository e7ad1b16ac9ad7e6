/**
 * `fetchDataset('shd' | 'ssc', …)`: makes every file of a catalog set present and verified in the data
 * directory, downloading only what is not verified yet. When everything is verified it makes no network request.
 *
 * Per file: the .gz is downloaded to `<name>.gz.part` (resumable, md5 computed on the way), checked against the
 * mirror's md5sums.txt (on mismatch it is deleted; if it was resumed from an older part it is fetched once more
 * from scratch), renamed to `<name>.gz`, unpacked to a temp name and renamed to `<name>.h5`, recorded in the
 * manifest with its size and md5, and the .gz removed. Mirrors are tried in order; `baseUrls` replaces the list.
 */
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogFileStatus, CatalogName, DownloadProgress } from '../../shared/datasets';
import { CATALOG, DEFAULT_MIRRORS, MD5SUMS_FILE, mirrorUrl, type CatalogFile } from './catalog';
import { catalogFileStatuses, checkCatalogFiles } from './datasetStatus';
import { DownloadError, fsError, httpStatusError } from './download/downloadError';
import { acquireFetchLock } from './download/fetchLock';
import { fileMd5 } from './download/fileMd5';
import { gunzipFile } from './download/gunzipFile';
import { httpGet, readBodyText } from './download/httpGet';
import { readManifest, updateManifest } from './download/manifest';
import { parseMd5Sums } from './download/md5sums';
import { resumableDownload } from './download/resumableDownload';
import { withRetries } from './download/retry';
import { DEFAULT_TUNING, type TransferContext, type TransferTuning } from './download/transferContext';
import { ensureWritableDir } from './download/writableDir';

export { DownloadError } from './download/downloadError';

export interface FetchOptions extends TransferTuning {
  dataDir: string;
  /** Mirrors to try in order (default {@link DEFAULT_MIRRORS}); `--base-url` gives exactly one. */
  baseUrls?: readonly string[];
  /** Recompute the md5 of files already verified (and download again those that changed). */
  verify?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: DownloadProgress) => void;
}

/** Errors after which the next mirror may do better. */
const MIRROR_FAILURES = new Set(['offline', 'network', 'http', 'bad-response', 'checksum']);

function note(ctx: TransferContext, file: string, phase: DownloadProgress['phase'], message?: string, bytes = 0): void {
  ctx.emit({ dataset: ctx.dataset, file, phase, bytes, totalBytes: null, bytesPerS: 0, etaS: null, ...(message ? { message } : {}) });
}

async function fetchMd5Sums(base: string, ctx: TransferContext): Promise<{ url: string; sums: Map<string, string> }> {
  const url = mirrorUrl(base, MD5SUMS_FILE);
  const sums = await withRetries(ctx, MD5SUMS_FILE, async () => {
    note(ctx, MD5SUMS_FILE, 'connecting', `fetching ${url}`);
    const res = await httpGet(url, { signal: ctx.signal, idleTimeoutMs: ctx.idleTimeoutMs });
    if (res.status !== 200) {
      res.body.resume();
      throw httpStatusError(res.status, url);
    }
    return parseMd5Sums(await readBodyText(res));
  });
  return { url, sums };
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
}

/** Downloads (or finds) the verified .gz of `f` at `gzPath`. */
async function obtainVerifiedGz(f: CatalogFile, url: string, expectedMd5: string, gzPath: string, ctx: TransferContext): Promise<void> {
  if (await exists(gzPath)) {
    // A verified download whose unpacking was interrupted: check it again rather than trust its name.
    note(ctx, f.gzName, 'verifying', `checking ${gzPath} from an earlier fetch`);
    if ((await fileMd5(gzPath, { signal: ctx.signal })) === expectedMd5) return;
    await rm(gzPath, { force: true });
  }
  const partPath = `${gzPath}.part`;
  for (let round = 0; ; round++) {
    const got = await resumableDownload(url, partPath, f.gzName, ctx);
    if (got.md5 === expectedMd5) {
      note(ctx, f.gzName, 'verifying', `${f.gzName}: md5 ${got.md5} matches ${MD5SUMS_FILE}`, got.sizeBytes);
      break;
    }
    await rm(partPath, { force: true });
    if (got.resumed && round === 0) {
      note(ctx, f.gzName, 'connecting', `checksum mismatch after resuming an earlier partial download of ${f.gzName}; it was deleted, downloading again from the start`);
      continue;
    }
    throw new DownloadError(
      'checksum',
      `checksum mismatch for ${f.gzName} from ${url}: expected md5 ${expectedMd5}, got ${got.md5}; the downloaded file was deleted`,
    );
  }
  try {
    await rename(partPath, gzPath);
  } catch (err) {
    throw fsError(err, 'renaming', partPath);
  }
}

async function fetchFile(f: CatalogFile, base: string, sums: { url: string; sums: Map<string, string> }, ctx: TransferContext, dataDir: string): Promise<void> {
  const expectedMd5 = sums.sums.get(f.gzName);
  if (!expectedMd5) throw new DownloadError('bad-response', `${sums.url} lists no md5 for ${f.gzName}`);
  const url = mirrorUrl(base, f.gzName);
  const gzPath = path.join(dataDir, f.gzName);
  const h5Path = path.join(dataDir, f.h5Name);
  // An unverified .h5 is replaced anyway; removing it first frees its space for the download.
  if ((await readManifest(dataDir)).files[f.h5Name]) await updateManifest(dataDir, (files) => delete files[f.h5Name]);
  await rm(h5Path, { force: true }).catch((err) => {
    throw fsError(err, 'removing', h5Path);
  });

  await obtainVerifiedGz(f, url, expectedMd5, gzPath, ctx);
  const gzSizeBytes = (await stat(gzPath)).size;
  let unpacked: { md5: string; sizeBytes: number };
  try {
    unpacked = await gunzipFile(gzPath, h5Path, f.h5Name, ctx);
  } catch (err) {
    if (err instanceof DownloadError && err.code === 'bad-archive') {
      await rm(gzPath, { force: true });
      throw new DownloadError('bad-archive', `${err.message}; it was deleted`, { cause: err });
    }
    throw err;
  }
  await updateManifest(dataDir, (files) => {
    files[f.h5Name] = {
      dataset: f.dataset,
      split: f.split,
      sizeBytes: unpacked.sizeBytes,
      md5: unpacked.md5,
      gzMd5: expectedMd5,
      gzSizeBytes,
      source: url,
      verifiedAt: new Date().toISOString(),
    };
  });
  await rm(gzPath, { force: true });
  note(ctx, f.h5Name, 'done', `${f.h5Name} verified`, unpacked.sizeBytes);
}

function makeContext(name: CatalogName, opts: FetchOptions): TransferContext {
  return {
    dataset: name,
    signal: opts.signal,
    emit: opts.onProgress ?? (() => {}),
    retries: opts.retries ?? DEFAULT_TUNING.retries,
    retryDelayMs: opts.retryDelayMs ?? DEFAULT_TUNING.retryDelayMs,
    sleep: opts.sleep ?? DEFAULT_TUNING.sleep,
    idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_TUNING.idleTimeoutMs,
    progressIntervalMs: opts.progressIntervalMs ?? DEFAULT_TUNING.progressIntervalMs,
  };
}

/**
 * Fetches what is missing of `name`; resolves with the status of each of its files (all verified). When
 * everything is verified already it needs neither the network nor write access to the data directory.
 */
export async function fetchDataset(name: CatalogName, opts: FetchOptions): Promise<CatalogFileStatus[]> {
  const ctx = makeContext(name, opts);
  const bases = opts.baseUrls?.length ? opts.baseUrls : DEFAULT_MIRRORS;
  const check = () =>
    catalogFileStatuses(
      { dataDir: opts.dataDir, verify: opts.verify, signal: opts.signal, onProgress: opts.onProgress, progressIntervalMs: ctx.progressIntervalMs },
      [name],
    );
  try {
    let statuses = await check();
    if (statuses.some((s) => !s.verified)) {
      await ensureWritableDir(opts.dataDir);
      const release = await acquireFetchLock(opts.dataDir);
      try {
        // Again under the lock: another process may have finished some files meanwhile.
        if (!opts.verify) statuses = await check();
        const todo = CATALOG[name].files.filter((f) => !statuses.find((s) => s.file === f.h5Name)?.verified);
        for (const s of statuses) if (s.verified) note(ctx, s.file, 'done', `${s.file} already verified`, s.sizeBytes ?? 0);
        await fetchFromMirrors(todo, bases, ctx, opts.dataDir);
      } finally {
        await release();
      }
      statuses = await catalogFileStatuses({ dataDir: opts.dataDir }, [name]);
    } else {
      for (const s of statuses) note(ctx, s.file, 'done', `${s.file} already verified`, s.sizeBytes ?? 0);
    }
    return statuses;
  } catch (err) {
    const e = err instanceof DownloadError ? err : fsError(err, 'fetching into', opts.dataDir);
    note(ctx, '', e.code === 'cancelled' ? 'cancelled' : 'error', e.message);
    throw e;
  }
}

/** Fetches `todo` (in order) from the first mirror that serves it; files done stay done when a mirror fails. */
async function fetchFromMirrors(todo: CatalogFile[], bases: readonly string[], ctx: TransferContext, dataDir: string): Promise<void> {
  const failures: string[] = [];
  for (let i = 0; i < bases.length && todo.length > 0; i++) {
    try {
      const sums = await fetchMd5Sums(bases[i], ctx);
      while (todo.length > 0) {
        await fetchFile(todo[0], bases[i], sums, ctx, dataDir);
        todo.shift();
      }
    } catch (err) {
      if (!(err instanceof DownloadError) || !MIRROR_FAILURES.has(err.code)) throw err;
      failures.push(`${bases[i]}: ${err.message}`);
      if (i === bases.length - 1) {
        const message = failures.length > 1 ? `every mirror failed — ${failures.join(' | ')}` : err.message;
        throw new DownloadError(err.code, message, { status: err.status, cause: err });
      }
      note(ctx, todo[0]?.gzName ?? '', 'connecting', `${bases[i]} failed (${err.message}); trying ${bases[i + 1]}`);
    }
  }
}

/**
 * Every catalog file's status with md5 recomputed (`data status --verify`). Files whose md5 changed lose their
 * manifest record, so the next fetch downloads them again — when the directory is writable and no download
 * holds it; otherwise the report still says so and nothing is changed.
 */
export async function verifyDataDir(
  dataDir: string,
  opts: { signal?: AbortSignal; onProgress?: (event: DownloadProgress) => void } = {},
): Promise<CatalogFileStatus[]> {
  const checked = await checkCatalogFiles({ dataDir, verify: true, ...opts });
  const changed = checked.filter((c) => c.md5Changed).map((c) => c.status.file);
  if (changed.length) {
    const release = await acquireFetchLock(dataDir).catch((err: unknown) => {
      if (err instanceof DownloadError && (err.code === 'busy' || err.code === 'not-writable' || err.code === 'io')) return null;
      throw err;
    });
    if (release) {
      try {
        await updateManifest(dataDir, (files) => {
          for (const file of changed) delete files[file];
        });
      } finally {
        await release();
      }
    }
  }
  return checked.map((c) => c.status);
}
