/**
 * Turns a running byte count into {@link DownloadProgress} events: rate over the bytes of this phase,
 * ETA from it, at most one event per `intervalMs` (a GB download must not flood the IPC channel) plus
 * the final one.
 */
import type { CatalogName, DownloadPhase, DownloadProgress } from '../../../shared/datasets';

export type ProgressListener = (event: DownloadProgress) => void;

export class ProgressMeter {
  private bytes: number;
  private readonly startBytes: number;
  private readonly startMs: number;
  private lastEmitMs = -Infinity;

  constructor(
    private readonly emit: ProgressListener,
    private readonly base: { dataset: CatalogName; file: string; phase: DownloadPhase },
    private readonly totalBytes: number | null,
    startBytes: number,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.bytes = startBytes;
    this.startBytes = startBytes;
    this.startMs = now();
  }

  add(n: number): void {
    this.bytes += n;
    const t = this.now();
    if (t - this.lastEmitMs >= this.intervalMs) this.send(t);
  }

  /** The last event of the phase, whatever the throttle says. */
  finish(): void {
    this.send(this.now());
  }

  get current(): number {
    return this.bytes;
  }

  private send(t: number): void {
    this.lastEmitMs = t;
    const elapsedS = (t - this.startMs) / 1000;
    const bytesPerS = elapsedS > 0 ? (this.bytes - this.startBytes) / elapsedS : 0;
    const left = this.totalBytes === null ? null : Math.max(0, this.totalBytes - this.bytes);
    const etaS = left === null ? null : left === 0 ? 0 : bytesPerS > 0 ? left / bytesPerS : null;
    this.emit({ ...this.base, bytes: this.bytes, totalBytes: this.totalBytes, bytesPerS, etaS });
  }
}
