/**
 * The `datasets.*` calls: the catalog's state, downloads (one at a time per dataset, cancellable), opening a
 * file, and summaries and augmentation previews computed in a training process.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { augmentPreviewRequestErrors } from '../../shared/ipc/datasetPayloads';
import {
  WorkbenchError,
  type AugmentPreview,
  type AugmentPreviewRequest,
  type CatalogName,
  type DatasetList,
  type DatasetRef,
  type DatasetStatus,
  type DatasetSummary,
  type FileSummary,
} from '../../shared/workbenchApi';
import { listDatasets } from '../data/datasetStatus';
import { fetchDataset } from '../data/downloader';
import { pushRecent } from '../settings/settingsSchema';
import { runOneShotJob } from './oneShotJob';
import { absoluteRef, fail, jobContext, type Emit, type WorkbenchServiceOptions } from './workbenchOptions';

export class DatasetCalls {
  private readonly downloads = new Map<CatalogName, AbortController>();
  private readonly summaries = new Map<string, DatasetSummary>();

  constructor(
    private readonly opts: WorkbenchServiceOptions,
    private readonly emit: Emit,
  ) {}

  async listDatasets(): Promise<DatasetList> {
    const datasets = (await listDatasets(this.opts.dataDir)).map((d) =>
      d.name !== 'demo' && this.downloads.has(d.name) ? { ...d, downloading: true } : d,
    );
    return { dataDir: this.opts.dataDir, datasets, recentFiles: this.opts.settings.get().recentFiles };
  }

  async fetchDataset(name: CatalogName): Promise<DatasetStatus> {
    if (this.downloads.has(name)) throw new WorkbenchError(`${name} is already downloading`);
    const abort = new AbortController();
    this.downloads.set(name, abort);
    try {
      await fetchDataset(name, {
        ...this.opts.fetchOptions,
        dataDir: this.opts.dataDir,
        signal: abort.signal,
        onProgress: (progress) => this.emit({ kind: 'download', progress }),
      });
    } catch (err) {
      const cancelled = abort.signal.aborted;
      const message = cancelled ? `download of ${name} cancelled` : (err as Error).message;
      this.emit({
        kind: 'download',
        progress: { dataset: name, file: '', phase: cancelled ? 'cancelled' : 'error', bytes: 0, totalBytes: null, bytesPerS: 0, etaS: null, message },
      });
      throw new WorkbenchError(message);
    } finally {
      this.downloads.delete(name);
    }
    this.summaries.clear();
    const status = (await this.listDatasets()).datasets.find((d) => d.name === name);
    if (!status) throw new WorkbenchError(`${name} is not in the catalog`);
    return status;
  }

  cancelFetch(name: CatalogName): void {
    const abort = this.downloads.get(name);
    if (!abort) throw new WorkbenchError(`${name} is not downloading`);
    abort.abort();
  }

  /** Every download in flight cancelled (on shutdown). */
  cancelAll(): void {
    for (const abort of this.downloads.values()) abort.abort();
  }

  async pickFile(): Promise<string | null> {
    return this.opts.pickFile ? this.opts.pickFile() : null;
  }

  async openFile(path: string): Promise<FileSummary> {
    const absolute = resolve(path);
    // Answered here, without starting a process, as the commonest mistake (a mistyped path in serve mode).
    if (!existsSync(absolute)) throw new WorkbenchError(`${absolute}: no such file`);
    const answer = await runOneShotJob(this.opts.launch, { type: 'inspectFile', path: absolute }, 'fileSummary').catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    this.opts.settings.set({ recentFiles: pushRecent(this.opts.settings.get().recentFiles, absolute) });
    return answer.summary;
  }

  /** Summaries are cached per dataset (and, for files, per modification time): reading SHD takes seconds. */
  async datasetSummary(ref: DatasetRef): Promise<DatasetSummary> {
    const normalized = absoluteRef(ref);
    let key = JSON.stringify(normalized);
    if (normalized.kind === 'files') {
      const times = await Promise.all([normalized.trainPath, normalized.testPath].map((p) => stat(p).then((s) => s.mtimeMs, () => 0)));
      key += times.join(',');
    }
    const cached = this.summaries.get(key);
    if (cached) return cached;
    const answer = await runOneShotJob(this.opts.launch, { type: 'summary', context: jobContext(this.opts), dataset: normalized }, 'summary').catch(
      (err: Error) => {
        throw new WorkbenchError(err.message);
      },
    );
    this.summaries.set(key, answer.summary);
    return answer.summary;
  }

  /**
   * One training sample beside the augmented copy a run trains on (augmentPreview.ts), computed in a training
   * process like a summary, since it reads the whole training file.
   */
  async augmentPreview(request: AugmentPreviewRequest): Promise<AugmentPreview> {
    const errors = augmentPreviewRequestErrors(request);
    if (errors.length) fail(errors, 'invalid augmentation preview request');
    const job = { type: 'augmentPreview' as const, context: jobContext(this.opts), request: { ...request, dataset: absoluteRef(request.dataset) } };
    const answer = await runOneShotJob(this.opts.launch, job, 'augmentPreview').catch((err: Error) => {
      throw new WorkbenchError(err.message);
    });
    return answer.preview;
  }
}
