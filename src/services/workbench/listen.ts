/**
 * The Listen view's computation, in a training process: a WAV recording → the waveform to draw, a cochleagram
 * (the filterbank's energy, coarse), the spikes of the cochlea front end (services/audio/cochlea.ts, the same
 * encoder `encode` uses, at the session's channel count), and — with a session — its network's prediction,
 * scores and the class probabilities at every time step (softmax of the readout membrane).
 *
 * A network trained on real SHD heard a different front end (Cramer et al.'s cochlea model); it will not
 * understand this one. Train on recordings encoded here (`encode`) to talk to a network.
 */
import { cochleaOptions } from '../../shared/cochlea';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EncodedFolder, ListenResult } from '../../shared/workbenchApi';
import { encodeRecordings } from '../audio/encodeRecordings';
import { listRecordings } from '../audio/recordingList';
import { encodeAudio, prepareWaveform } from '../audio/cochlea';
import { centreFrequencies, gammatoneChannel } from '../audio/gammatone';
import { decodeWav, type Audio } from '../audio/wav';
import { binBatch, binEndTimes, binSpec } from '../data/binning';
import type { SpikeDataset } from '../data/spikeDataset';
import { selectBackend } from '../engine/tfjs/backendSelect';
import { runBatch } from '../engine/run/network';
import { readSession } from '../sessions/sessionRead';

const WAVE_COLUMNS = 600;
const BANDS = 64;
const FRAME_S = 0.01;

function waveform(a: Audio): ListenResult['waveform'] {
  const n = a.samples.length;
  const cols = Math.max(1, Math.min(WAVE_COLUMNS, n));
  const min: number[] = [];
  const max: number[] = [];
  for (let c = 0; c < cols; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = Math.floor((c * n) / cols); i < Math.max(Math.floor(((c + 1) * n) / cols), Math.floor((c * n) / cols) + 1) && i < n; i++) {
      lo = Math.min(lo, a.samples[i]);
      hi = Math.max(hi, a.samples[i]);
    }
    min.push(Number.isFinite(lo) ? lo : 0);
    max.push(Number.isFinite(hi) ? hi : 0);
  }
  return { min, max };
}

/** Energy of 64 ERB-spaced gammatone bands per 10 ms frame, in dB below the loudest cell (floor −60 dB). */
function cochleagram(a: Audio, lowHz: number, highHz: number): ListenResult['cochleagram'] {
  const fs = 16000;
  const x = prepareWaveform(a, fs);
  const frame = Math.round(FRAME_S * fs);
  const cols = x ? Math.max(1, Math.floor(x.length / frame)) : 1;
  const values = new Array<number>(BANDS * cols).fill(-60);
  if (!x) return { rows: BANDS, cols, lowHz, highHz, frameS: FRAME_S, values };
  const y = new Float32Array(x.length);
  const e = new Float64Array(BANDS * cols);
  const freqs = centreFrequencies(BANDS, lowHz, highHz);
  for (let b = 0; b < BANDS; b++) {
    gammatoneChannel(x, fs, freqs[b], y);
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let i = c * frame; i < (c + 1) * frame; i++) s += y[i] * y[i];
      e[b * cols + c] = s / frame;
    }
  }
  let peak = 0;
  for (const v of e) peak = Math.max(peak, v);
  for (let i = 0; i < e.length; i++) values[i] = peak > 0 && e[i] > 0 ? Math.max(-60, 10 * Math.log10(e[i] / peak)) : -60;
  return { rows: BANDS, cols, lowHz, highHz, frameS: FRAME_S, values };
}

export async function analyzeRecording(bytes: Uint8Array, sessionPath: string | null, sessionName: string, windowS: number | null): Promise<ListenResult> {
  let audio = decodeWav(bytes, 'the recording');
  if (windowS !== null) {
    const keep = Math.round(windowS * audio.sampleRateHz);
    if (audio.samples.length > keep) audio = { ...audio, samples: audio.samples.slice(audio.samples.length - keep) };
  }
  const session = sessionPath ? await readSession(sessionPath) : null;
  const channels = session ? session.params.shape.channels : 700;
  const options = cochleaOptions({ channels });
  const encoded = encodeAudio(audio, options);
  const result: ListenResult = {
    durationS: audio.samples.length / audio.sampleRateHz,
    sampleRateHz: audio.sampleRateHz,
    waveform: waveform(audio),
    cochleagram: cochleagram(audio, options.lowHz, options.highHz),
    spikes: { t: Array.from(encoded.times), c: Array.from(encoded.units), channels },
    prediction: null,
  };
  if (!session) return result;
  const { config, params } = session;
  const K = params.shape.classes;
  const ds: SpikeDataset = {
    name: 'recording',
    samples: 1,
    channels,
    classNames: session.meta.classNames,
    labels: Int32Array.from([0]),
    offsets: Float64Array.from([0, encoded.times.length]),
    times: encoded.times,
    units: encoded.units,
  };
  await selectBackend('wasm').catch(() => selectBackend('cpu'));
  const r = runBatch(params, config, binBatch(ds, [0], binSpec(config)), { gradients: false, records: true });
  const out = r.records!.out;
  const overTime: number[][] = [];
  for (let t = 1; t <= config.nbSteps; t++) {
    const row = Array.from(out.subarray(t * K, (t + 1) * K));
    const m = Math.max(...row);
    const ex = row.map((v) => Math.exp(v - m));
    const sum = ex.reduce((a, b) => a + b, 0);
    overTime.push(ex.map((v) => v / sum));
  }
  result.prediction = {
    sessionName,
    classNames: session.meta.classNames.length === K ? session.meta.classNames : Array.from({ length: K }, (_, k) => String(k)),
    predicted: r.predictions[0],
    scores: Array.from(r.scores),
    overTime,
    stepEndS: Array.from(binEndTimes(binSpec(config))),
    nbSteps: config.nbSteps,
    maxTimeS: config.maxTimeS,
  };
  return result;
}

/**
 * DIR/train and DIR/test (class folders of WAVs, speaker folders optional) → `outPrefix`-train.h5 and -test.h5,
 * numbering classes and speakers once for both, so the test set's voices are told apart from the training ones.
 */
export function encodeFolder(dir: string, outPrefix: string): EncodedFolder {
  const splits = ['train', 'test'] as const;
  for (const s of splits) {
    if (!existsSync(join(dir, s))) throw new Error(`${dir}: expected the folders ${join(dir, 'train')} and ${join(dir, 'test')}, each with a folder of WAVs per class (as scripts/makeSpokenDigits.sh writes)`);
  }
  const lists = splits.map((s) => listRecordings(join(dir, s), { kind: 'folders' }));
  const classes = [...new Set(lists.flatMap((l) => l.classNames))].sort();
  const speakerSets = lists.map((l) => l.speakerNames);
  const speakers = speakerSets.every((x) => x !== null) ? [...new Set(speakerSets.flat() as string[])].sort() : undefined;
  const options = cochleaOptions({});
  const reports = splits.map((s) => encodeRecordings(listRecordings(join(dir, s), { kind: 'folders' }, classes, speakers), `${outPrefix}-${s}.h5`, options));
  return {
    train: reports[0].out,
    test: reports[1].out,
    classNames: classes,
    trainSamples: reports[0].samples,
    testSamples: reports[1].samples,
    audioS: reports[0].audioS + reports[1].audioS,
    wallS: reports[0].wallS + reports[1].wallS,
  };
}
