/** Builds WAV bytes for the tests: PCM 8/16/24/32 or float 32/64, plain or WAVE_FORMAT_EXTENSIBLE, any channels. */
export interface WavSpec {
  rate: number;
  bits: 8 | 16 | 24 | 32 | 64;
  float?: boolean;
  extensible?: boolean;
  /** One array per channel, values in ±1. */
  channels: number[][];
}

export function makeWav(spec: WavSpec): Uint8Array {
  const nch = spec.channels.length;
  const frames = spec.channels[0].length;
  const width = spec.bits / 8;
  const fmtSize = spec.extensible ? 40 : 16;
  const dataSize = frames * nch * width;
  const buf = new Uint8Array(12 + 8 + fmtSize + 8 + dataSize + (dataSize & 1));
  const v = new DataView(buf.buffer);
  const str = (at: number, s: string) => [...s].forEach((c, i) => (buf[at + i] = c.charCodeAt(0)));
  str(0, 'RIFF');
  v.setUint32(4, buf.length - 8, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  const tag = spec.float ? 3 : 1;
  v.setUint16(20, spec.extensible ? 0xfffe : tag, true);
  v.setUint16(22, nch, true);
  v.setUint32(24, spec.rate, true);
  v.setUint32(28, spec.rate * nch * width, true);
  v.setUint16(32, nch * width, true);
  v.setUint16(34, spec.bits, true);
  if (spec.extensible) {
    v.setUint16(36, 22, true);
    v.setUint16(38, spec.bits, true);
    v.setUint32(40, 0, true);
    v.setUint16(44, tag, true); // sub-format GUID starts with the format tag
  }
  const d = 20 + fmtSize;
  str(d, 'data');
  v.setUint32(d + 4, dataSize, true);
  let p = d + 8;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++, p += width) {
      const x = spec.channels[c][i];
      if (spec.float) {
        if (spec.bits === 32) v.setFloat32(p, x, true);
        else v.setFloat64(p, x, true);
      } else if (spec.bits === 8) buf[p] = Math.round(x * 127) + 128;
      else if (spec.bits === 16) v.setInt16(p, Math.round(x * 32767), true);
      else if (spec.bits === 24) {
        const q = Math.round(x * 8388607);
        buf[p] = q & 0xff;
        buf[p + 1] = (q >> 8) & 0xff;
        buf[p + 2] = (q >> 16) & 0xff;
      } else v.setInt32(p, Math.round(x * 2147483647), true);
    }
  }
  return buf;
}

export function tone(hz: number, rate: number, seconds: number, amplitude = 0.5): number[] {
  return Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
}
