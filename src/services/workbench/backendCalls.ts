/** The `info` and `probeBackend` calls: what the app is and runs on, and which compute backends it can use. */
import { BACKEND_NAMES, type BackendReport } from '../../shared/events';
import { WORKBENCH_API_VERSION, type AppInfo, type BackendOption, type BackendPreference } from '../../shared/workbenchApi';
import { nativePackageMissing, webgpuPackageMissing } from '../engine/tfjs/nativePackages';
import { APP_VERSION } from '../sessions/sessionMeta';
import { runOneShotJob } from './oneShotJob';
import type { WorkbenchServiceOptions } from './workbenchOptions';

function installedBackends(lastReport: BackendReport | null): BackendOption[] {
  return BACKEND_NAMES.map((name) => {
    const missing = name === 'gpu' || name === 'native' ? nativePackageMissing(name) : name === 'webgpu' ? webgpuPackageMissing() : null;
    const installed = missing === null;
    let reason = missing ?? undefined;
    const skipped = lastReport?.skipped.find((s) => s.name === name);
    if (installed && skipped) reason = skipped.reason;
    return reason === undefined ? { name, installed } : { name, installed, reason };
  });
}

export class BackendCalls {
  /** The last backend report, from a probe or a run's start: `info` shows which backends were skipped and why. */
  lastReport: BackendReport | null = null;
  private tfjsVersion: string | null = null;

  constructor(private readonly opts: WorkbenchServiceOptions) {}

  info(): AppInfo {
    const versions: Record<string, string> = { node: process.versions.node, ...(this.opts.versions ?? {}) };
    if (this.tfjsVersion) versions.tfjs = this.tfjsVersion;
    return {
      apiVersion: WORKBENCH_API_VERSION,
      appVersion: APP_VERSION,
      mode: this.opts.mode,
      versions,
      platform: `${process.platform}-${process.arch}`,
      dataDir: this.opts.dataDir,
      backends: {
        options: installedBackends(this.lastReport),
        preference: this.opts.settings.get().backend,
        lastReport: this.lastReport,
      },
      nativeFileDialog: this.opts.pickFile !== undefined,
    };
  }

  async probeBackend(preference: BackendPreference): Promise<BackendReport> {
    const answer = await runOneShotJob(this.opts.launch, { type: 'probeBackend', preference }, 'backend');
    this.lastReport = answer.report;
    this.tfjsVersion = answer.tfjsVersion;
    return answer.report;
  }
}
