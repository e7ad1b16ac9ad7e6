/**
 * The downloadable datasets: the Spiking Heidelberg Digits (SHD) and Spiking Speech Commands (SSC) of
 * Cramer, Stradmann, Schemmel & Zenke (2020), "The Heidelberg spiking datasets for the systematic evaluation
 * of spiking neural networks", IEEE TNNLS. Each split is one gzipped HDF5 file; every mirror also serves
 * `md5sums.txt`, the md5 of each .gz, which is what a download is checked against.
 */
import type { CatalogName, DatasetSplit } from '../../shared/datasets';

export interface CatalogFile {
  dataset: CatalogName;
  split: DatasetSplit;
  /** The file on the mirror. */
  gzName: string;
  /** The unpacked file kept in the data directory. */
  h5Name: string;
}

export interface CatalogEntry {
  name: CatalogName;
  title: string;
  classes: number;
  files: CatalogFile[];
}

/** Tried in order when no `--base-url` is given: the publisher's site, then its former address. */
export const DEFAULT_MIRRORS: readonly string[] = ['https://zenkelab.org/datasets/', 'https://compneuro.net/datasets/'];

export const MD5SUMS_FILE = 'md5sums.txt';

function files(dataset: CatalogName, splits: DatasetSplit[]): CatalogFile[] {
  return splits.map((split) => ({
    dataset,
    split,
    gzName: `${dataset}_${split}.h5.gz`,
    h5Name: `${dataset}_${split}.h5`,
  }));
}

export const CATALOG: Readonly<Record<CatalogName, CatalogEntry>> = Object.freeze({
  shd: { name: 'shd', title: 'Spiking Heidelberg Digits', classes: 20, files: files('shd', ['train', 'test']) },
  ssc: { name: 'ssc', title: 'Spiking Speech Commands', classes: 35, files: files('ssc', ['train', 'valid', 'test']) },
});

/** The file of one split, or undefined when the set has no such split (SHD has no valid split). */
export function catalogFile(name: CatalogName, split: DatasetSplit): CatalogFile | undefined {
  return CATALOG[name].files.find((f) => f.split === split);
}

/** `base` joined with a file name; a base without a trailing slash is treated as a folder. */
export function mirrorUrl(base: string, fileName: string): string {
  return new URL(fileName, base.endsWith('/') ? base : `${base}/`).toString();
}
