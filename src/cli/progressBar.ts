/**
 * Training progress on the terminal. On a TTY one line is redrawn in place per batch (bar, loss, samples/s,
 * ETA) and each finished epoch leaves a permanent line; elsewhere (a pipe, a log file, CI) only the epoch
 * lines are written, so logs stay one line per epoch.
 */
import { accuracyStandardError } from '../shared/modelSelection';
import type { EpochRecord } from '../shared/events';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export class ProgressBar {
  private live = false;

  constructor(
    private readonly out: ProgressStream,
    private readonly totalEpochs: number,
  ) {}

  get interactive(): boolean {
    return this.out.isTTY === true;
  }

  /** Redraws the in-place line; a no-op when the stream is not a terminal. */
  batch(epoch: number, batch: number, batches: number, loss: number, samplesPerS: number, etaS: number): void {
    if (!this.interactive) return;
    const head = `epoch ${epoch}/${this.totalEpochs} `;
    const tail = ` ${batch}/${batches} loss ${formatNumber(loss)} ${Math.round(samplesPerS)} samples/s ETA ${formatDuration(etaS)}`;
    const width = Math.max(10, Math.min(40, (this.out.columns ?? 80) - head.length - tail.length - 3));
    const filled = Math.round((width * batch) / Math.max(1, batches));
    const line = `${head}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${tail}`;
    // \r and clear-to-end-of-line redraw in place without scrolling.
    this.out.write(`\r${line}\x1b[K`);
    this.live = true;
  }

  /** A permanent line for a finished epoch; `selectedEpoch` is the run's selection after it, `valSamples` the validation size. */
  epoch(r: EpochRecord, selectedEpoch?: number, valSamples?: number): void {
    this.clear();
    this.out.write(`${epochLine(r, this.totalEpochs, selectedEpoch, valSamples)}\n`);
  }

  /** A permanent message (e.g. the backend chosen), keeping the live line intact below it. */
  message(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
  }

  /** Removes the in-place line, e.g. before an error message. */
  clear(): void {
    if (this.live) this.out.write('\r\x1b[K');
    this.live = false;
  }
}

/**
 * One epoch's numbers. With a validation set they include its loss and accuracy (± its standard error when the
 * validation size is given, so a jump can be read against the noise), and the epoch that becomes the selected one
 * is marked `selected`; without one the last epoch is always the selected one, so nothing is marked.
 */
export function epochLine(r: EpochRecord, totalEpochs: number, selectedEpoch?: number, valSamples?: number): string {
  const hasVal = r.val_acc !== null && r.val_acc !== undefined;
  const se = hasVal && valSamples && valSamples > 0 ? ` ±${(100 * accuracyStandardError(r.val_acc!, valSamples)).toFixed(1)}` : '';
  const val = hasVal ? ` | val loss ${formatNumber(r.val_loss ?? NaN)} acc ${(100 * r.val_acc!).toFixed(1)}%${se}` : '';
  const mark = hasVal && selectedEpoch === r.epoch ? ' | selected' : '';
  return (
    `epoch ${r.epoch}/${totalEpochs}: train loss ${formatNumber(r.train_loss)} acc ${(100 * r.train_acc).toFixed(1)}%${val}` +
    ` | test loss ${formatNumber(r.test_loss)} acc ${(100 * r.test_acc).toFixed(1)}% | ${r.train_s.toFixed(1)} s train, ${r.eval_s.toFixed(1)} s test${mark}`
  );
}

function formatNumber(x: number): string {
  return Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * Progress of a counted job (encoding recordings, building a cache): on a TTY one line redrawn in place; elsewhere
 * a line at every 10 %, so logs stay short.
 */
export class CountProgress {
  private live = false;
  private lastDecile = -1;
  private lastDone = 0;

  constructor(
    private readonly out: ProgressStream,
    private readonly what: string,
  ) {}

  update(done: number, total: number, detail = ''): void {
    if (done < this.lastDone) this.lastDecile = -1; // a new job (the next file) starts over
    this.lastDone = done;
    if (this.out.isTTY) {
      const width = 30;
      const filled = Math.round((width * done) / Math.max(1, total));
      this.out.write(`\r${this.what} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${detail}\x1b[K`);
      this.live = true;
      return;
    }
    const decile = Math.floor((10 * done) / Math.max(1, total));
    if (decile > this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(`${this.what} ${done}/${total}${decile === 0 && detail ? ` ${detail}` : ''}\n`);
    }
  }

  clear(): void {
    if (this.live) this.out.write('\r\x1b[K');
    this.live = false;
  }
}
