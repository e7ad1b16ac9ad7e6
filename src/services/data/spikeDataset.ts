/**
 * A spike dataset held in memory in compressed-row form: the spikes of sample i are
 * `times[offsets[i] … offsets[i+1])` and `units[…]`. SHD train (~80 M spikes) takes ~0.5 GB this way,
 * against ~2 GB as JS arrays of per-sample arrays. The HDF5 reader and the demo generator both produce it;
 * binning, batching and the trainer consume it.
 */
/** A dataset's facts without its spikes: what selection and training need when the spikes are binned on disk. */
export interface DatasetIndex {
  name: string;
  samples: number;
  channels: number;
  classNames: string[];
  labels: Int32Array;
  speakers?: Int32Array;
  /** Speaker names by id, where the file records them (files written by `encode`). */
  speakerNames?: string[];
}

export interface SpikeDataset {
  /** Where it came from: a file path, or "demo". */
  name: string;
  samples: number;
  /** Input channels (700 for SHD); units are < channels. */
  channels: number;
  /** Class names; their count is the number of classes. */
  classNames: string[];
  labels: Int32Array;
  /** samples + 1 entries; offsets[samples] is the total spike count. */
  offsets: Float64Array;
  /** Spike times in seconds. */
  times: Float32Array;
  units: Uint16Array;
  /** Speaker id per sample, where the file has one. */
  speakers?: Int32Array;
  /** Speaker names by id, where the file records them (files written by `encode`). */
  speakerNames?: string[];
}

export function spikeCount(ds: SpikeDataset, i: number): number {
  return ds.offsets[i + 1] - ds.offsets[i];
}
