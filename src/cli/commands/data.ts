/**
 * `data status` and `data fetch shd|ssc`: the dataset manager on the command line. Results go to stdout (a
 * table, or JSON with --json); download progress goes to stderr (a bar redrawn in place on a terminal, a line
 * per 10 % elsewhere). Ctrl-C cancels a download cleanly (the partial file is kept and resumed next time).
 */
import { join } from 'node:path';
import { parseFlags, numberFlag, printJson, printUsage } from '../args';
import { CliError } from '../cliError';
import type { CliCommand } from '../cliCommand';
import { formatDuration, type ProgressStream } from '../progressBar';
import type { CatalogFileStatus, DownloadProgress } from '../../shared/datasets';
import { isCatalogName } from '../../shared/datasets';
import { CATALOG_NAMES } from '../../shared/workbenchApi';
import { DEFAULT_MIRRORS } from '../../services/data/catalog';
import { DATA_DIR_ENV, platformAppDataDir, resolveDataDir, type DataDirChoice } from '../../services/data/dataDir';
import { catalogFileStatuses } from '../../services/data/datasetStatus';
import { DownloadError, fetchDataset, verifyDataDir } from '../../services/data/downloader';
import { JsonFileSettingsStore } from '../../services/settings/settingsStore';

const USAGE = `usage: npm run cli -- data status [--json] [--verify] [--data-dir DIR]
       npm run cli -- data fetch shd|ssc [--base-url URL] [--data-dir DIR] [--verify] [--retries N] [--json]

  status       each dataset file: verified / present / missing, size, path (exit 1 only when --verify finds
               a file that changed)
  fetch        download, check against the mirror's md5sums.txt and unpack every file of SHD or SSC that is
               not verified yet; exit 0 only when every file is verified. Interrupted downloads resume.
  --data-dir   where the files live; otherwise ${DATA_DIR_ENV}, then the app's dataDir setting, then
               <user data>/datasets (${join(platformAppDataDir(), 'datasets')} here)
  --base-url   a mirror holding the .h5.gz files and md5sums.txt (default: ${DEFAULT_MIRRORS.join(', then ')})
  --verify     recompute the md5 of files already verified (fetch downloads again those that changed)
  --retries N  retries of a failing request, with backoff (default 5)
  --json       the file list as JSON on stdout`;

/** The dataDir setting of the plain-Node settings file (the one serve mode uses), if any. */
function settingDataDir(): string | null {
  try {
    return new JsonFileSettingsStore(join(platformAppDataDir(), 'settings.json')).get().dataDir;
  } catch {
    return null;
  }
}

/** The data directory: `--data-dir`, else the env var, else the dataDir setting, else the default. */
export function chooseDataDir(flag: string | undefined): DataDirChoice {
  return resolveDataDir({ flag, setting: flag ? null : settingDataDir() });
}

const SOURCE_WORDS: Record<DataDirChoice['source'], string> = {
  flag: 'from --data-dir',
  env: `from ${DATA_DIR_ENV}`,
  setting: 'from the dataDir setting',
  default: 'default',
};

export function formatBytes(n: number | null): string {
  if (n === null) return '-';
  if (n < 1e3) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let x = n;
  let u = -1;
  while (x >= 1e3 && u < units.length - 1) {
    x /= 1e3;
    u++;
  }
  return `${x.toFixed(1)} ${units[u]}`;
}

export function formatStatusTable(dir: DataDirChoice, files: CatalogFileStatus[]): string {
  const rows = files.map((s) => [
    s.dataset,
    s.split,
    s.verified ? 'verified' : s.present ? 'unverified' : 'missing',
    formatBytes(s.sizeBytes),
    s.path + (s.problem && s.problem !== 'missing' ? `  (${s.problem})` : ''),
  ]);
  const head = ['set', 'split', 'state', 'size', 'path'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [`data directory ${dir.path} (${SOURCE_WORDS[dir.source]})`, line(head), ...rows.map(line), ''].join('\n');
}

/** Download progress on stderr: one redrawn line on a terminal; messages and 10 % steps as lines elsewhere. */
export class DownloadReporter {
  private live = false;
  private lastStep = new Map<string, number>();

  constructor(private readonly out: ProgressStream) {}

  onProgress = (e: DownloadProgress): void => {
    if (e.message) {
      this.clear();
      this.out.write(`${e.phase === 'error' ? 'error: ' : ''}${e.message}\n`);
      return;
    }
    if (e.phase !== 'downloading' && e.phase !== 'unpacking' && e.phase !== 'verifying') return;
    const fraction = e.totalBytes ? Math.min(1, e.bytes / e.totalBytes) : null;
    const pct = fraction === null ? '' : ` ${(100 * fraction).toFixed(0).padStart(3)}%`;
    const amount = `${formatBytes(e.bytes)}${e.totalBytes ? `/${formatBytes(e.totalBytes)}` : ''}`;
    const rate = e.bytesPerS > 0 ? ` ${formatBytes(Math.round(e.bytesPerS))}/s` : '';
    const eta = e.etaS === null ? '' : ` ETA ${formatDuration(e.etaS)}`;
    const label = `${e.phase} ${e.file}`;
    if (this.out.isTTY) {
      const width = 24;
      const filled = fraction === null ? 0 : Math.round(width * fraction);
      this.out.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${pct} ${amount}${rate}${eta}\x1b[K`);
      this.live = true;
      return;
    }
    const step = fraction === null ? 0 : Math.floor(fraction * 10);
    const key = `${e.phase}:${e.file}`;
    if ((this.lastStep.get(key) ?? -1) >= step) return;
    this.lastStep.set(key, step);
    this.out.write(`${label}${pct} ${amount}${rate}${eta}\n`);
  };

  clear(): void {
    if (this.live) this.out.write('\r\x1b[K');
    this.live = false;
  }
}

async function status(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { json: { type: 'boolean' }, verify: { type: 'boolean' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) return printUsage(USAGE);
  if (positionals.length) throw new CliError(`data status takes no arguments (got ${positionals.join(' ')})\n\n${USAGE}`, 2);
  const dir = chooseDataDir(values['data-dir']);
  let files: CatalogFileStatus[];
  if (values.verify) {
    const reporter = new DownloadReporter(process.stderr);
    try {
      files = await verifyDataDir(dir.path, { onProgress: reporter.onProgress });
    } finally {
      reporter.clear();
    }
  } else {
    files = await catalogFileStatuses({ dataDir: dir.path });
  }
  if (values.json) printJson({ dataDir: dir.path, dataDirSource: dir.source, files });
  else process.stdout.write(formatStatusTable(dir, files));
  return values.verify && files.some((s) => s.present && !s.verified) ? 1 : 0;
}

function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--base-url must be an http(s) URL (got "${value}")`, 2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--base-url must be an http(s) URL (got "${value}")`, 2);
  return value;
}

async function fetch(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      json: { type: 'boolean' },
      verify: { type: 'boolean' },
      'data-dir': { type: 'string' },
      'base-url': { type: 'string' },
      retries: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) return printUsage(USAGE);
  if (positionals.length !== 1 || !isCatalogName(positionals[0].toLowerCase())) {
    throw new CliError(`data fetch takes one dataset: ${CATALOG_NAMES.join(' or ')} (got ${positionals.join(' ') || 'none'})\n\n${USAGE}`, 2);
  }
  const name = positionals[0].toLowerCase() as (typeof CATALOG_NAMES)[number];
  const retries = numberFlag('retries', values.retries);
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0 || retries > 100)) {
    throw new CliError(`--retries must be an integer in 0…100 (got ${values.retries})`, 2);
  }
  const dir = chooseDataDir(values['data-dir']);
  const reporter = new DownloadReporter(process.stderr);
  const ac = new AbortController();
  const onInterrupt = () => ac.abort();
  process.once('SIGINT', onInterrupt);
  let files: CatalogFileStatus[];
  try {
    process.stderr.write(`fetching ${name} into ${dir.path} (${SOURCE_WORDS[dir.source]})\n`);
    files = await fetchDataset(name, {
      dataDir: dir.path,
      baseUrls: values['base-url'] ? [checkBaseUrl(values['base-url'])] : undefined,
      verify: values.verify,
      retries,
      signal: ac.signal,
      onProgress: reporter.onProgress,
    });
  } catch (err) {
    reporter.clear();
    // The reporter already printed the message of the final 'error'/'cancelled' event.
    if (err instanceof DownloadError) return err.code === 'cancelled' ? 130 : 1;
    throw err;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  reporter.clear();
  if (values.json) printJson({ dataDir: dir.path, dataDirSource: dir.source, files });
  else process.stdout.write(formatStatusTable(dir, files));
  return files.every((s) => s.verified) ? 0 : 1;
}

export const dataCommand: CliCommand = {
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'status') return status(rest);
    if (sub === 'fetch') return fetch(rest);
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      process.stdout.write(USAGE + '\n');
      return sub === undefined ? 2 : 0;
    }
    throw new CliError(`unknown data command "${sub}" (status or fetch)\n\n${USAGE}`, 2);
  },
};
