/**
 * The Listen view's computation (listen.ts) without a browser: a WAV through the front end (waveform, cochleagram,
 * spikes as `encode` makes them), a bad file refused in one line, and the sliding window.
 */
import { describe, expect, it } from 'vitest';
import { cochleaOptions } from '../../../src/shared/cochlea';
import { encodeAudio } from '../../../src/services/audio/cochlea';
import { decodeWav } from '../../../src/services/audio/wav';
import { analyzeRecording } from '../../../src/services/workbench/listen';
import { encodeWav } from '../../../src/renderer/src/lib/wavEncode';

function tone(seconds: number, rate = 16000): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate) * (i < rate * 0.6 * seconds ? 1 : 0));
}

describe('listen', () => {
  it('draws and encodes a recording as encode would, front end only without a session', async () => {
    const wav = encodeWav(tone(1), 16000);
    const r = await analyzeRecording(wav, null, 'none', null);
    expect(r.durationS).toBeCloseTo(1, 6);
    expect(r.waveform.min).toHaveLength(600);
    expect(Math.max(...r.waveform.max)).toBeGreaterThan(0.45);
    expect(r.cochleagram.rows).toBe(64);
    expect(r.cochleagram.cols).toBe(100);
    expect(Math.max(...r.cochleagram.values)).toBe(0);
    const want = encodeAudio(decodeWav(wav), cochleaOptions({ channels: 700 }));
    expect(r.spikes.t).toEqual(Array.from(want.times));
    expect(r.spikes.c).toEqual(Array.from(want.units));
    expect(r.prediction).toBeNull();
  });

  it('keeps only the last window, and refuses what is not a WAV in one line', async () => {
    const r = await analyzeRecording(encodeWav(tone(3), 16000), null, 'none', 1.5);
    expect(r.durationS).toBeCloseTo(1.5, 6);
    await expect(analyzeRecording(new TextEncoder().encode('not a wav at all'), null, 'none', null)).rejects.toThrow(/^the recording: /);
  });
});
