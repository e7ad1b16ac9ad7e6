/**
 * Serve mode's downloads read files of the data directory and nothing else. A requested path is refused (null)
 * when it is not a plain relative path of named segments (no `..`, `.`, empty or hidden segments, no backslash,
 * no NUL), or when the file it reaches, symbolic links followed, lies outside the data directory or is not a
 * regular file. Hidden files are left out too: they are the temp files of writes and imports in progress.
 */
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** The real path of `relative` (URL-encoded, '/'-separated) inside `dataDir`, or null when it is not one to serve. */
export async function dataFileOf(dataDir: string, relative: string): Promise<string | null> {
  let rel: string;
  try {
    rel = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (rel === '' || rel.includes('\0') || rel.includes('\\') || /^[A-Za-z]:/.test(rel)) return null;
  if (rel.split('/').some((segment) => segment === '' || segment.startsWith('.'))) return null;
  const root = await realpath(dataDir).catch(() => null);
  if (!root) return null;
  const real = await realpath(join(root, rel)).catch(() => null);
  if (!real || !real.startsWith(root + sep)) return null;
  const info = await stat(real).catch(() => null);
  return info?.isFile() ? real : null;
}

/** `attachment` with the name in both forms: plain ASCII for old agents, RFC 5987 UTF-8 for the rest. */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
