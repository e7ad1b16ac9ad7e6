import { describe, expect, it } from 'vitest';
import { encodeAudio } from '../../../src/services/audio/cochlea';
import { centreFrequencies, erbRate, gammatoneChannel } from '../../../src/services/audio/gammatone';
import { resample } from '../../../src/services/audio/resample';
import { cochleaErrors, cochleaOptions } from '../../../src/shared/cochlea';
import { tone } from './wavFixture';

const rms = (x: ArrayLike<number>, from = 0) => {
  let e = 0;
  for (let i = from; i < x.length; i++) e += x[i] * x[i];
  return Math.sqrt(e / (x.length - from));
};

describe('resample', () => {
  it("keeps a tone's frequency and level, and removes what the new rate cannot hold", () => {
    const up = resample(Float32Array.from(tone(1000, 8000, 0.2)), 8000, 16000);
    expect(up.length).toBe(3200);
    const want = tone(1000, 16000, 0.2);
    for (let i = 200; i < 3000; i++) expect(Math.abs(up[i] - want[i])).toBeLessThan(2e-3);
    // 6 kHz at 16 kHz → 8 kHz: above the new Nyquist, filtered out.
    const down = resample(Float32Array.from(tone(6000, 16000, 0.2)), 16000, 8000);
    expect(rms(down, 100)).toBeLessThan(0.01);
  });
});

describe('gammatone filterbank', () => {
  it('spaces centres equally in ERB rate and passes each centre at unit gain, attenuating an octave away', () => {
    const f = centreFrequencies(64, 50, 7000);
    expect(f[0]).toBeCloseTo(50, 6);
    expect(f[63]).toBeCloseTo(7000, 6);
    const steps = Array.from({ length: 63 }, (_, i) => erbRate(f[i + 1]) - erbRate(f[i]));
    for (const s of steps) expect(s).toBeCloseTo(steps[0], 9);
    const fs = 16000;
    const y = new Float32Array(fs / 2);
    for (const fc of [200, 1000, 4000]) {
      gammatoneChannel(Float32Array.from(tone(fc, fs, 0.5, 1)), fs, fc, y);
      expect(rms(y, 2000) * Math.SQRT2).toBeCloseTo(1, 1);
      gammatoneChannel(Float32Array.from(tone(fc * 2, fs, 0.5, 1)), fs, fc, y);
      expect(rms(y, 2000) * Math.SQRT2).toBeLessThan(0.05);
    }
  });
});

describe('cochlea', () => {
  const opts = cochleaOptions({ channels: 64 });
  const audio = (hz: number, amplitude = 0.5) => ({ sampleRateHz: 8000, samples: Float32Array.from(tone(hz, 8000, 0.3, amplitude)) });

  it('fires the channels tuned to a tone, sorted in time, the same for the same seed and level-independent', () => {
    const a = encodeAudio(audio(1000), opts);
    expect(a.durationS).toBeCloseTo(0.3, 6);
    expect(a.times.length).toBeGreaterThan(100);
    const f = centreFrequencies(64, opts.lowHz, opts.highHz);
    const best = f.reduce((b, x, i) => (Math.abs(x - 1000) < Math.abs(f[b] - 1000) ? i : b), 0);
    const counts = new Array(64).fill(0);
    a.units.forEach((u) => counts[u]++);
    expect(counts.indexOf(Math.max(...counts))).toBeGreaterThanOrEqual(best - 3);
    expect(counts.indexOf(Math.max(...counts))).toBeLessThanOrEqual(best + 3);
    // Far above the tone only the onset click (broadband) fires.
    expect(counts.slice(best + 15).reduce((s, c) => s + c, 0)).toBeLessThan(a.times.length / 100);
    for (let i = 1; i < a.times.length; i++) expect(a.times[i]).toBeGreaterThanOrEqual(a.times[i - 1]);
    const again = encodeAudio(audio(1000), opts);
    expect([...again.times]).toEqual([...a.times]);
    expect([...again.units]).toEqual([...a.units]);
    // Level normalisation: a quieter recording of the same tone gives the same spikes.
    const quiet = encodeAudio(audio(1000, 0.05), opts);
    expect(quiet.times.length).toBe(a.times.length);
    const other = encodeAudio(audio(1000), { ...opts, seed: 7 });
    expect([...other.times]).not.toEqual([...a.times]);
  });

  it('gives no spikes for digital silence, and refuses bad options by field', () => {
    expect(encodeAudio({ sampleRateHz: 8000, samples: new Float32Array(800) }, opts).times.length).toBe(0);
    expect(cochleaErrors({ ...opts, highHz: 9000 }).map((e) => e.field)).toEqual(['highHz']);
    expect(cochleaErrors({ ...opts, channels: 0, bogus: 1 }).map((e) => e.field).sort()).toEqual(['bogus', 'channels']);
    expect(() => cochleaOptions({ maxRateHz: 2000 })).toThrow(/maxRateHz must be a number > 0 and ≤ 1000/);
  });
});
