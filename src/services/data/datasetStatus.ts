/**
 * What of the catalog is in a data directory. A file counts as verified when the manifest records it and its
 * size still matches (a cheap check done every time); with `verify` its md5 is recomputed too. Reading only:
 * works on a read-only data directory, and alongside a download (manifest and files are replaced by rename).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogFileStatus, CatalogName, DatasetStatus, DownloadProgress } from '../../shared/datasets';
import { CATALOG, type CatalogFile } from './catalog';
import { fsError } from './download/downloadError';
import { fileMd5 } from './download/fileMd5';
import { readManifest, type Manifest } from './download/manifest';
import { ProgressMeter } from './download/progressMeter';

export interface StatusOptions {
  dataDir: string;
  /** Recompute each present file's md5 and compare it with the manifest. */
  verify?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: DownloadProgress) => void;
  progressIntervalMs?: number;
}

async function statFile(p: string): Promise<{ size: number } | null> {
  try {
    const s = await stat(p);
    return s.isFile() ? { size: s.size } : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw fsError(err, 'checking', p);
  }
}

async function fileStatus(f: CatalogFile, manifest: Manifest, opts: StatusOptions): Promise<{ status: CatalogFileStatus; md5Changed: boolean }> {
  const filePath = path.join(opts.dataDir, f.h5Name);
  const found = await statFile(filePath);
  const entry = manifest.files[f.h5Name];
  let problem: string | null = null;
  let md5Changed = false;
  if (!found) {
    const part = await statFile(path.join(opts.dataDir, `${f.gzName}.part`));
    problem = part ? `missing (${part.size} bytes of ${f.gzName} downloaded; the next fetch resumes)` : 'missing';
  } else if (!entry) {
    problem = 'present but not verified (no record in manifest.json)';
  } else if (entry.sizeBytes !== found.size) {
    problem = `size ${found.size} bytes differs from the verified ${entry.sizeBytes}`;
  } else if (opts.verify) {
    const meter = opts.onProgress
      ? new ProgressMeter(opts.onProgress, { dataset: f.dataset, file: f.h5Name, phase: 'verifying' }, found.size, 0, opts.progressIntervalMs ?? 200)
      : null;
    const md5 = await fileMd5(filePath, { signal: opts.signal, onBytes: (n) => meter?.add(n) });
    meter?.finish();
    if (md5 !== entry.md5) {
      problem = `md5 ${md5} differs from the verified ${entry.md5} (the file changed since it was verified)`;
      md5Changed = true;
    }
  }
  const verified = problem === null;
  const status: CatalogFileStatus = {
    dataset: f.dataset,
    split: f.split,
    file: f.h5Name,
    path: filePath,
    present: found !== null,
    verified,
    sizeBytes: found?.size ?? null,
    md5: verified ? entry.md5 : null,
    verifiedAt: verified ? entry.verifiedAt : null,
    problem,
  };
  return { status, md5Changed };
}

export interface CheckedFile {
  status: CatalogFileStatus;
  /** `verify` found an md5 different from the recorded one: the record should go. */
  md5Changed: boolean;
}

/** Checks every file of `names` (all catalog sets by default). Only reads: the manifest is left as it is. */
export async function checkCatalogFiles(
  opts: StatusOptions,
  names: readonly CatalogName[] = Object.keys(CATALOG) as CatalogName[],
): Promise<CheckedFile[]> {
  const manifest = await readManifest(opts.dataDir);
  const out: CheckedFile[] = [];
  for (const name of names) {
    for (const f of CATALOG[name].files) out.push(await fileStatus(f, manifest, opts));
  }
  return out;
}

/** The status of every file of `names` (all catalog sets by default). */
export async function catalogFileStatuses(
  opts: StatusOptions,
  names: readonly CatalogName[] = Object.keys(CATALOG) as CatalogName[],
): Promise<CatalogFileStatus[]> {
  return (await checkCatalogFiles(opts, names)).map((c) => c.status);
}

/** The renderer's dataset list: demo (always available) and each catalog set. */
export async function listDatasets(dataDir: string): Promise<DatasetStatus[]> {
  const files = await catalogFileStatuses({ dataDir });
  const catalog = (Object.keys(CATALOG) as CatalogName[]).map((name): DatasetStatus => {
    const mine = files.filter((s) => s.dataset === name);
    return {
      name,
      title: CATALOG[name].title,
      available: mine.every((s) => s.verified),
      downloading: false,
      files: mine.map(({ file, path: p, present, verified, sizeBytes }) => ({ file, path: p, present, verified, sizeBytes })),
    };
  });
  return [{ name: 'demo', title: 'Demo digits (generated, offline)', available: true, downloading: false, files: [] }, ...catalog];
}
