/**
 * The one error type of the dataset downloader. Its message is written for the user (what failed, where, what
 * was kept or deleted, what to do); `code` lets the app react without parsing it; `retryable` says whether
 * trying the same request again could help.
 */
import type { DownloadErrorCode } from '../../../shared/datasets';
import { DATA_DIR_ENV } from '../dataDir';

export class DownloadError extends Error {
  readonly code: DownloadErrorCode;
  readonly retryable: boolean;
  /** HTTP status for `http` errors. */
  readonly status?: number;

  constructor(code: DownloadErrorCode, message: string, opts: { retryable?: boolean; status?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DownloadError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.status = opts.status;
  }
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A file-system failure while doing `action` ("writing", "creating") on `filePath`. */
export function fsError(err: unknown, action: string, filePath: string): DownloadError {
  if (err instanceof DownloadError) return err;
  const code = errnoCode(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new DownloadError('disk-full', `disk full while ${action} ${filePath} (${code}): free some space or choose another data directory`, { cause: err });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new DownloadError('not-writable', `cannot write ${filePath} (${code}): the data directory is not writable; choose another with --data-dir or ${DATA_DIR_ENV}`, { cause: err });
  }
  return new DownloadError('io', `error while ${action} ${filePath}: ${describe(err)}`, { cause: err });
}

/** Errors of the connection to `url` (before or during the response body). */
export function networkError(err: unknown, url: string): DownloadError {
  if (err instanceof DownloadError) return err;
  const host = safeHost(url);
  const code = errnoCode(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') {
    // EAI_AGAIN is the resolver's "try again later"; the others are final answers, not worth a backoff.
    return new DownloadError('offline', `cannot resolve ${host} (DNS lookup failed: ${code}): check the network connection`, { retryable: code === 'EAI_AGAIN', cause: err });
  }
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENETDOWN') {
    return new DownloadError('offline', `cannot connect to ${host} (${code}): check the network connection or try another mirror with --base-url`, { retryable: true, cause: err });
  }
  if (code === 'ETIMEDOUT' || code === 'SW_IDLE_TIMEOUT') {
    return new DownloadError('network', `connection to ${host} timed out while fetching ${url}`, { retryable: true, cause: err });
  }
  return new DownloadError('network', `connection to ${host} dropped while fetching ${url}: ${code ?? describe(err)}`, { retryable: true, cause: err });
}

export function httpStatusError(status: number, url: string): DownloadError {
  const retryable = status >= 500 || status === 408 || status === 429;
  const what = status === 404 ? 'not found (404)' : `HTTP ${status}`;
  return new DownloadError('http', `${url}: ${what}${retryable ? '' : ' — check the mirror or --base-url'}`, { retryable, status });
}

export function cancelledError(what: string): DownloadError {
  return new DownloadError('cancelled', `cancelled ${what}`);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
