import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../../src/services/audio/wav';
import { makeWav, tone } from './wavFixture';

describe('decodeWav', () => {
  const ramp = Array.from({ length: 100 }, (_, i) => (i - 50) / 64);

  it('reads PCM 8/16/24/32 and float 32/64, plain and extensible, to the same mono signal', () => {
    const cases = [
      { bits: 8, tol: 1 / 100 },
      { bits: 16, tol: 1e-4 },
      { bits: 24, tol: 1e-6 },
      { bits: 32, tol: 1e-8 },
      { bits: 32, float: true, tol: 1e-7 },
      { bits: 64, float: true, tol: 1e-7 },
    ] as const;
    for (const c of cases) {
      for (const extensible of [false, true]) {
        const a = decodeWav(makeWav({ rate: 22050, bits: c.bits, float: 'float' in c, extensible, channels: [ramp] }), 'x.wav');
        expect(a.sampleRateHz).toBe(22050);
        expect(a.samples.length).toBe(100);
        a.samples.forEach((x, i) => expect(Math.abs(x - ramp[i])).toBeLessThan(c.tol));
      }
    }
  });

  it('averages channels to mono', () => {
    const left = tone(440, 8000, 0.01);
    const a = decodeWav(makeWav({ rate: 8000, bits: 16, channels: [left, left.map(() => 0)] }));
    a.samples.forEach((x, i) => expect(x).toBeCloseTo(left[i] / 2, 3));
  });

  it('refuses what it cannot read with one line naming the file', () => {
    const good = makeWav({ rate: 8000, bits: 16, channels: [tone(440, 8000, 0.01)] });
    const bad = (mutate: (b: Uint8Array, v: DataView) => Uint8Array | void) => {
      const b = good.slice();
      return () => decodeWav(mutate(b, new DataView(b.buffer)) ?? b, 'voice.wav');
    };
    expect(bad(() => new Uint8Array(5))).toThrow(/^voice\.wav: not a WAV file \(5 bytes\)$/);
    expect(bad((b) => void b.set([0x4f, 0x67, 0x67, 0x53], 0))).toThrow(/voice\.wav: not a RIFF\/WAVE file/);
    expect(bad((_, v) => v.setUint16(20, 0x55, true))).toThrow(/voice\.wav: unsupported encoding MP3: convert to PCM/);
    expect(bad((_, v) => v.setUint16(34, 12, true))).toThrow(/12-bit PCM is not supported/);
    expect(bad((_, v) => v.setUint32(24, 10, true))).toThrow(/sample rate 10 Hz/);
    expect(bad((b) => b.subarray(0, b.length - 10))).toThrow(/data chunk is cut short: header says 160 bytes, file has 150/);
    expect(bad((b) => b.subarray(0, 36))).toThrow(/no data chunk/);
    const nan = decodeWav.bind(null, makeWav({ rate: 8000, bits: 32, float: true, channels: [[0, NaN, 0]] }), 'nan.wav');
    expect(nan).toThrow(/nan\.wav: sample 1 is not a finite number/);
  });
});
