/**
 * A list of labelled recordings → one SHD-layout file (the service behind `encode`; the app's "train on this
 * folder" uses it too). Each recording goes through the cochlea front end and is written as it is encoded, so
 * memory holds one recording at a time; the file appears under its name only when every recording is in
 * (ShdFileWriter writes to a temporary name). The options that made the spikes are stored as JSON in
 * extra/encoder, so a file says how it was made.
 */
import type { CochleaOptions } from '../../shared/cochlea';
import { ShdFileWriter } from '../data/shdWriter';
import { encodeAudio } from './cochlea';
import type { RecordingList } from './recordingList';
import { readWavFile } from './wav';

export interface EncodeProgress {
  done: number;
  total: number;
  /** The recording just encoded (relative name). */
  name: string;
}

export interface EncodeReport {
  out: string;
  samples: number;
  classNames: string[];
  speakerNames: string[] | null;
  spikes: number;
  /** Total duration of the recordings (s). */
  audioS: number;
  wallS: number;
  bytes: number;
  /** Recordings that were digital silence (written with no spikes). */
  silent: string[];
  options: CochleaOptions;
}

export function encodeRecordings(list: RecordingList, out: string, options: CochleaOptions, onProgress?: (p: EncodeProgress) => void): EncodeReport {
  const t0 = performance.now();
  const writer = new ShdFileWriter(out, {
    classNames: list.classNames,
    channels: options.channels,
    speakers: list.speakerNames !== null,
    extraText: { encoder: JSON.stringify({ encoder: 'spiking-workbench cochlea', options, speakers: list.speakerNames }) },
  });
  let spikes = 0;
  let audioS = 0;
  const silent: string[] = [];
  try {
    list.recordings.forEach((r, i) => {
      const encoded = encodeAudio(readWavFile(r.path), options);
      if (encoded.times.length === 0) silent.push(r.name);
      writer.add({ times: encoded.times, units: encoded.units, label: r.label, speaker: r.speaker });
      spikes += encoded.times.length;
      audioS += encoded.durationS;
      onProgress?.({ done: i + 1, total: list.recordings.length, name: r.name });
    });
  } catch (err) {
    writer.abort();
    throw err;
  }
  const bytes = writer.finish();
  return {
    out,
    samples: list.recordings.length,
    classNames: list.classNames,
    speakerNames: list.speakerNames,
    spikes,
    audioS,
    wallS: (performance.now() - t0) / 1000,
    bytes,
    silent,
    options,
  };
}
