/**
 * The Listen view's computation (listen.ts) without a browser: a WAV through the front end (waveform, cochleagram,
 * spikes as `encode` makes them), a bad file refused in one line, and the sliding window.
 */
import { describe, expect, it } from 'vitest';
import { cochleaOptions } from '../../../src/shared/cochlea';
import { encodeAudio } from '../../../src/services/audio/cochlea';
import { decodeWav } from '../../../src/services/audio/wav';
import { analyzeRecording, encodeFolder } from '../../../src/services/workbench/listen';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSpikeFile } from '../../../src/services/data/shdReader';
import { binEndTimes, binSpec } from '../../../src/services/data/binning';
import { readSession } from '../../../src/services/sessions/sessionRead';
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

  it('with a session: class probabilities per step, each with the time its bin ends, over the session\'s whole window', async () => {
    const session = 'test/fixtures/sessions/agreement_session.h5';
    const config = (await readSession(session)).config;
    const r = await analyzeRecording(encodeWav(tone(0.64), 16000), session, 'agreement', null);
    expect(r.cochleagram.frameS).toBe(0.01);
    expect(r.cochleagram.cols).toBe(64);
    const p = r.prediction!;
    expect(p.overTime).toHaveLength(config.nbSteps);
    expect(p.stepEndS).toEqual(Array.from(binEndTimes(binSpec(config))));
    // The window is the session's max_time, not the clip: the steps past 0.64 s saw no input (the Listen tab cuts them).
    expect(p.stepEndS.at(-1)).toBeCloseTo(config.maxTimeS, 12);
    expect(config.maxTimeS).toBeGreaterThan(0.64);
  });

  it('keeps only the last window, and refuses what is not a WAV in one line', async () => {
    const r = await analyzeRecording(encodeWav(tone(3), 16000), null, 'none', 1.5);
    expect(r.durationS).toBeCloseTo(1.5, 6);
    await expect(analyzeRecording(new TextEncoder().encode('not a wav at all'), null, 'none', null)).rejects.toThrow(/^the recording: /);
  });

  it('"train on this folder": encodes train/ and test/ with one class and speaker numbering, and names a wrong layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-listen-'));
    try {
      const put = (rel: string) => {
        mkdirSync(join(dir, rel, '..'), { recursive: true });
        writeFileSync(join(dir, rel), encodeWav(tone(0.3), 16000));
      };
      for (const rel of ['rec/train/yes/amy/1.wav', 'rec/train/no/amy/2.wav', 'rec/train/yes/bob/3.wav', 'rec/test/no/cat/4.wav']) put(rel);
      const r = encodeFolder(join(dir, 'rec'), join(dir, 'out'));
      expect(r).toMatchObject({ train: join(dir, 'out-train.h5'), test: join(dir, 'out-test.h5'), classNames: ['no', 'yes'], trainSamples: 3, testSamples: 1 });
      const test = await readSpikeFile(r.test);
      // cat is speaker 2 of amy, bob, cat: a voice the training file does not have.
      expect(Array.from(test.speakers!)).toEqual([2]);
      expect(test.classNames).toEqual(['no', 'yes']);
      expect(() => encodeFolder(join(dir, 'rec', 'train'), join(dir, 'x'))).toThrow(/expected the folders .*train\/train and .*train\/test/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
