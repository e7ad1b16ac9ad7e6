/** A workbench service over a temp data dir, with its events recorded, for the service tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/shared/config';
import type { StartTrainingRequest, WorkbenchEvent } from '../../../src/shared/workbenchApi';
import { JsonFileSettingsStore } from '../../../src/services/settings/settingsStore';
import type { LaunchTrainingProcess } from '../../../src/services/workbench/processLauncher';
import { nodeForkLauncher } from '../../../src/services/workbench/nodeForkLauncher';
import { TRAINING_ENTRY_BUNDLE } from '../../nodeBundle';
import { WorkbenchService } from '../../../src/services/workbench/workbenchService';
import { scaled } from '../../slowdown';

export const TINY: TrainConfig = { ...DEFAULT_CONFIG, layers: [{ size: 16, recurrent: true, dropout: 0 }], nbSteps: 20, batchSize: 10, epochs: 2 };

export function tinyRequest(over: Partial<StartTrainingRequest> = {}, config: Partial<TrainConfig> = {}): StartTrainingRequest {
  return {
    config: { ...TINY, ...config },
    dataset: { kind: 'demo', trainSamples: 40, testSamples: 20 },
    backend: 'cpu',
    probeSample: 1,
    ...over,
  };
}

export function makeBench(launch: LaunchTrainingProcess = nodeForkLauncher(TRAINING_ENTRY_BUNDLE)) {
  const dir = mkdtempSync(join(tmpdir(), 'wb-service-'));
  const settings = new JsonFileSettingsStore(join(dir, 'settings.json'));
  const service = new WorkbenchService({ mode: 'serve', dataDir: join(dir, 'data'), settings, launch, stopTimeoutMs: 60_000 });
  const events: WorkbenchEvent[] = [];
  const waiters: { test: (e: WorkbenchEvent) => boolean; resolve: (e: WorkbenchEvent) => void }[] = [];
  service.onEvent((e) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.test(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  return {
    dir,
    service,
    events,
    /** The next event (from now on) that passes `test`. */
    next<T extends WorkbenchEvent = WorkbenchEvent>(test: (e: WorkbenchEvent) => boolean, timeoutMs = scaled(90_000)): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching event within ${timeoutMs} ms; last events: ${JSON.stringify(events.slice(-5)).slice(0, 1500)}`)),
          timeoutMs,
        );
        waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e as T)) });
      });
    },
    trainEvents(runId: string, type?: string) {
      return events.filter((e) => e.kind === 'train' && e.runId === runId && (type === undefined || e.event.type === type));
    },
    async dispose() {
      await service.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const isState = (state: string) => (e: WorkbenchEvent) => e.kind === 'state' && e.state === state;
export const isTrain = (type: string) => (e: WorkbenchEvent) => e.kind === 'train' && e.event.type === type;
