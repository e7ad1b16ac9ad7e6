/**
 * `manifest.json` in the data directory: what was verified, so a verified file is never downloaded again.
 * Each unpacked .h5 has its size and md5 (checked on every start and on `--verify`) and the md5 of the .gz it
 * came from (the value md5sums.txt vouched for). Written to a temp name and renamed, so a crash leaves the old
 * manifest or the new one, never half of one; read-modify-write happens under the fetch lock.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogName, DatasetSplit } from '../../../shared/datasets';
import { DownloadError, fsError } from './downloadError';

export const MANIFEST_FILE = 'manifest.json';
const FORMAT = 'spiking-workbench-datasets';
const VERSION = 1;

export interface ManifestEntry {
  dataset: CatalogName;
  split: DatasetSplit;
  sizeBytes: number;
  md5: string;
  gzMd5: string;
  gzSizeBytes: number;
  /** The URL it was downloaded from. */
  source: string;
  /** ISO 8601. */
  verifiedAt: string;
}

export interface Manifest {
  format: typeof FORMAT;
  version: number;
  /** By .h5 file name. */
  files: Record<string, ManifestEntry>;
}

export function emptyManifest(): Manifest {
  return { format: FORMAT, version: VERSION, files: {} };
}

export function manifestPath(dataDir: string): string {
  return path.join(dataDir, MANIFEST_FILE);
}

/** The manifest, or an empty one when the data directory has none yet. */
export async function readManifest(dataDir: string): Promise<Manifest> {
  const file = manifestPath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // No directory yet (ENOENT), or a path through a file (ENOTDIR): nothing was ever verified there.
    if (code === 'ENOENT' || code === 'ENOTDIR') return emptyManifest();
    throw fsError(err, 'reading', file);
  }
  const fail = (why: string) =>
    new DownloadError('io', `${file} is damaged (${why}); delete it and run "data fetch" again to re-download and re-verify`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw fail(`not JSON: ${(err as Error).message}`);
  }
  const m = value as Partial<Manifest> | null;
  if (!m || m.format !== FORMAT || typeof m.files !== 'object' || m.files === null) throw fail('not a dataset manifest');
  if (m.version !== VERSION) throw fail(`version ${String(m.version)}, this app reads version ${VERSION}`);
  for (const [name, e] of Object.entries(m.files)) {
    const ok = e && typeof e.sizeBytes === 'number' && typeof e.md5 === 'string' && typeof e.verifiedAt === 'string';
    if (!ok) throw fail(`entry "${name}" lacks sizeBytes, md5 or verifiedAt`);
  }
  return m as Manifest;
}

export async function writeManifest(dataDir: string, manifest: Manifest): Promise<void> {
  const file = manifestPath(dataDir);
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw fsError(err, 'writing', file);
  }
}

/** Reads the manifest fresh, applies `change`, writes it back. */
export async function updateManifest(dataDir: string, change: (files: Record<string, ManifestEntry>) => void): Promise<void> {
  const m = await readManifest(dataDir);
  change(m.files);
  await writeManifest(dataDir, m);
}
