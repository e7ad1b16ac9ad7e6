/**
 * Dataset-manager values that cross a process boundary (IPC, serve mode, `data status --json`), beside the
 * renderer-facing shapes of `workbenchApi.ts` ({@link DownloadProgress}, {@link DatasetFileStatus},
 * {@link DatasetStatus}), which the download service emits and returns as they are.
 * Plain TypeScript, JSON-safe values only.
 */
import type { CatalogName, DatasetFileStatus } from './workbenchApi';
import { CATALOG_NAMES } from './workbenchApi';

export type { CatalogName, DatasetFileStatus, DatasetStatus, DownloadPhase, DownloadProgress } from './workbenchApi';

/** The splits a catalog set may have: SHD has train and test, SSC adds valid. */
export type DatasetSplit = 'train' | 'valid' | 'test';

/**
 * Why a download failed, for the UI to pick wording or an action (e.g. "choose another folder" for
 * `not-writable`). The error message itself is complete and meant for the user.
 */
export type DownloadErrorCode =
  /** DNS lookup failed or the host refused / could not be reached. */
  | 'offline'
  /** The connection dropped or timed out, and the retries ran out. */
  | 'network'
  /** The server answered with an error status (404, 5xx…). */
  | 'http'
  /** The server's answer was not what a dataset mirror serves (md5sums.txt without the file, bad Content-Range). */
  | 'bad-response'
  /** The downloaded .gz does not match md5sums.txt (it was deleted). */
  | 'checksum'
  /** The verified .gz would not decompress. */
  | 'bad-archive'
  | 'disk-full'
  | 'not-writable'
  /** Another process is downloading into the same data directory. */
  | 'busy'
  | 'cancelled'
  /** Any other file-system failure. */
  | 'io';

/** One catalog file in the data directory: the renderer's {@link DatasetFileStatus} plus what the CLI reports. */
export interface CatalogFileStatus extends DatasetFileStatus {
  dataset: CatalogName;
  split: DatasetSplit;
  /** md5 of the unpacked .h5 recorded when it was verified; null when there is no record. */
  md5: string | null;
  /** When it was verified (ISO 8601), from the data directory's manifest. */
  verifiedAt: string | null;
  /** Why it is not verified (missing, size differs from the record, md5 differs…); null when verified. */
  problem: string | null;
}

export function isCatalogName(value: unknown): value is CatalogName {
  return typeof value === 'string' && (CATALOG_NAMES as readonly string[]).includes(value);
}
