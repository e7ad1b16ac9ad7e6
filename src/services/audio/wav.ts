/**
 * WAV (RIFF/WAVE) → mono float samples. Reads PCM integers of 8 (unsigned), 16, 24 and 32 bits and IEEE
 * floats of 32 and 64 bits, plain or as WAVE_FORMAT_EXTENSIBLE, any channel count (averaged to mono) and any
 * sample rate (the cochlea resamples). Everything else (compressed formats, RF64, a missing or cut `data`
 * chunk, NaN samples) is refused with a one-line message naming the file — never a silent guess.
 */
import { readFileSync } from 'node:fs';

export interface Audio {
  sampleRateHz: number;
  /** Mono samples, full scale ±1. */
  samples: Float32Array;
}

export class AudioFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'AudioFileError';
  }
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
const KNOWN_FORMATS: Record<number, string> = { 2: 'MS ADPCM', 6: 'A-law', 7: 'µ-law', 0x11: 'IMA ADPCM', 0x55: 'MP3' };

export function readWavFile(file: string): Audio {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new AudioFileError(file, `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return decodeWav(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}

export function decodeWav(bytes: Uint8Array, file = 'audio'): Audio {
  const fail = (detail: string): never => {
    throw new AudioFileError(file, detail);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12) fail(`not a WAV file (${bytes.length} bytes)`);
  if (tag(0) === 'RF64') fail('RF64 (WAV over 4 GiB) is not supported: split the recording');
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') fail('not a RIFF/WAVE file');

  let fmt: { format: number; channels: number; rate: number; blockAlign: number; bits: number } | null = null;
  let data: { at: number; size: number } | null = null;
  let at = 12;
  while (at + 8 <= bytes.length && !data) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length) fail('fmt chunk is cut short');
      let format = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (format === FORMAT_EXTENSIBLE) {
        if (size < 40) fail('WAVE_FORMAT_EXTENSIBLE fmt chunk is cut short');
        format = view.getUint16(body + 24, true); // the sub-format GUID starts with the plain format tag
      }
      fmt = { format, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), blockAlign: view.getUint16(body + 12, true), bits };
    } else if (id === 'data') {
      if (!fmt) fail('data chunk before the fmt chunk');
      if (body + size > bytes.length) fail(`data chunk is cut short: header says ${size} bytes, file has ${bytes.length - body}`);
      data = { at: body, size };
    }
    at = body + size + (size & 1); // chunks are padded to even sizes
  }
  if (!fmt) return fail('no fmt chunk');
  if (!data) return fail('no data chunk');
  const { format, channels, rate, bits } = fmt;
  if (format !== FORMAT_PCM && format !== FORMAT_FLOAT) fail(`unsupported encoding ${KNOWN_FORMATS[format] ?? `format tag 0x${format.toString(16)}`}: convert to PCM or float WAV (e.g. sox in.wav -b 16 out.wav)`);
  if (channels < 1) fail('0 channels');
  if (!(rate >= 1000 && rate <= 768_000)) fail(`sample rate ${rate} Hz is outside 1 000…768 000 Hz`);
  const valid = format === FORMAT_PCM ? [8, 16, 24, 32] : [32, 64];
  if (!valid.includes(bits)) fail(`${bits}-bit ${format === FORMAT_PCM ? 'PCM' : 'float'} is not supported (${valid.join(', ')} are)`);
  const width = bits / 8;
  const frame = width * channels;
  const frames = Math.floor(data.size / frame);
  if (frames === 0) fail('no samples');

  const out = new Float32Array(frames);
  let p = data.at;
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, p += width) {
      let v: number;
      if (format === FORMAT_FLOAT) v = bits === 32 ? view.getFloat32(p, true) : view.getFloat64(p, true);
      else if (bits === 8) v = (bytes[p] - 128) / 128;
      else if (bits === 16) v = view.getInt16(p, true) / 32768;
      else if (bits === 24) v = (((bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)) << 8) >> 8) / 8388608;
      else v = view.getInt32(p, true) / 2147483648;
      sum += v;
    }
    const m = sum / channels;
    if (!Number.isFinite(m)) fail(`sample ${i} is not a finite number`);
    out[i] = m;
  }
  return { sampleRateHz: rate, samples: out };
}
