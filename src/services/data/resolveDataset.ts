/**
 * What `--dataset X` means for the training commands: one split of
 *   - `demo`: the generated set (train 800 / test 200 samples by default, seed 0),
 *   - `shd` / `ssc`: the verified files in the data directory (`data fetch shd` puts them there),
 *   - anything else: the path of an SHD-layout HDF5 file (the split is then the caller's business).
 * Names win over paths: a file literally called `shd` in the working directory is reached as `./shd`.
 *
 * Split mapping: `train` and `test` are the files of those names; SSC's `valid` split is only used when asked
 * for by name, so `--dataset ssc` tests on ssc_test.h5 like the published SSC results. SHD and demo have no
 * valid split.
 */
import { existsSync } from 'node:fs';
import type { CatalogName, DatasetSplit } from '../../shared/datasets';
import { isCatalogName } from '../../shared/datasets';
import { CATALOG, catalogFile } from './catalog';
import { catalogFileStatuses } from './datasetStatus';
import { makeDemoDataset } from './demoData';
import { readSpikeFileGuarded } from './fileGuard';
import type { SpikeDataset } from './spikeDataset';

export interface ResolveOptions {
  dataDir: string;
  split: DatasetSplit;
  /** Demo only: generator seed (default 0). */
  seed?: number;
  /** Demo only: sample count (default 800 train / 200 test). */
  samples?: number;
  /** Files only: input channel count when the units do not reach the top channel. */
  channels?: number;
  /** What to tell the user when a catalog set is not downloaded (default: the CLI's `data fetch` command). */
  fetchHint?: (name: CatalogName) => string;
}

const cliFetchHint = (name: CatalogName) => `Run \`npm run cli -- data fetch ${name}\` (add --data-dir DIR if the data lives elsewhere).`;

export const DATASET_CHOICES = 'demo, shd, ssc or the path of an SHD-layout HDF5 file';

async function catalogPath(name: CatalogName, opts: ResolveOptions): Promise<string> {
  const entry = CATALOG[name];
  const file = catalogFile(name, opts.split);
  if (!file) {
    const splits = entry.files.map((f) => f.split).join(' and ');
    throw new Error(`${entry.title} has no ${opts.split} split (it has ${splits})`);
  }
  const [status] = (await catalogFileStatuses({ dataDir: opts.dataDir }, [name])).filter((s) => s.file === file.h5Name);
  if (!status.verified) {
    throw new Error(
      `${entry.title} ${opts.split} (${file.h5Name}) is not ready in ${opts.dataDir}: ${status.problem}. ` +
        (opts.fetchHint ?? cliFetchHint)(name),
    );
  }
  return status.path;
}

/**
 * The file behind one split of `nameOrPath` (null for the generated demo set), checked as resolveDataset checks
 * it, for callers that read it their own way (the bin cache).
 */
export async function resolveDatasetPath(nameOrPath: string, opts: ResolveOptions): Promise<string | null> {
  const key = nameOrPath.trim().toLowerCase();
  if (key === 'demo') {
    if (opts.split === 'valid') throw new Error('the demo set has no valid split (it has train and test)');
    return null;
  }
  if (isCatalogName(key)) return catalogPath(key, opts);
  if (nameOrPath.trim() === '') throw new Error(`no dataset given: use ${DATASET_CHOICES}`);
  if (!existsSync(nameOrPath)) throw new Error(`${nameOrPath}: no such file (a dataset is ${DATASET_CHOICES})`);
  return nameOrPath;
}

/** One split of the dataset `nameOrPath` names; errors say what to do (fetch it, fix the path). */
export async function resolveDataset(nameOrPath: string, opts: ResolveOptions): Promise<SpikeDataset> {
  const path = await resolveDatasetPath(nameOrPath, opts);
  if (path === null) return makeDemoDataset({ seed: opts.seed ?? 0, split: opts.split as 'train' | 'test', ...(opts.samples === undefined ? {} : { samples: opts.samples }) });
  return readSpikeFileGuarded(path, opts.channels === undefined ? {} : { channels: opts.channels });
}
