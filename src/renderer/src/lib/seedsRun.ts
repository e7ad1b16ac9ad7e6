/**
 * "Repeat with N seeds": the form's config and dataset as a seeds sweep (shared/seedsSweep.ts) started through
 * the Sweeps service like any sweep, into a new folder under the data directory, one run at a time (a training
 * run in the app may share the machine).
 */
import type { TrainConfig } from '../../../shared/config';
import { seedsProblem, seedsSpec } from '../../../shared/seedsSweep';
import type { BackendPreference, DatasetRef, SweepRunRequest } from '../../../shared/workbenchApi';
import { sweepData } from './sweepView';

/** A folder for the seeds under the data directory's sweeps/, named by the time. */
export function seedsDir(dataDir: string, now: Date): string {
  const sep = dataDir.includes('\\') && !dataDir.includes('/') ? '\\' : '/';
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${dataDir}${sep}sweeps${sep}seeds-${stamp}`;
}

export function seedsRunRequest(
  config: TrainConfig,
  dataset: DatasetRef | null,
  seeds: number,
  opts: { dataDir: string; backend: BackendPreference; now: Date },
): { request: SweepRunRequest } | { error: string } {
  const data = sweepData(dataset);
  if ('error' in data) return data;
  const problem = seedsProblem(config.seed, seeds);
  if (problem) return { error: problem };
  const spec = seedsSpec({ config, seeds, data: data.data, ...(opts.backend !== 'auto' ? { backend: opts.backend } : {}) });
  return { request: { spec, dir: seedsDir(opts.dataDir, opts.now), parallel: 1 } };
}
