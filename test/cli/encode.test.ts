import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWav, tone } from '../services/audio/wavFixture';
import { runCli } from './cliProcess';

describe('encode', () => {
  // Two "words": a low and a high tone, three recordings each at different rates and bit depths.
  const dir = mkdtempSync(join(tmpdir(), 'encode-'));
  const rec = (cls: string, name: string, hz: number, rate: number, bits: 16 | 24) => {
    mkdirSync(join(dir, 'in', cls), { recursive: true });
    writeFileSync(join(dir, 'in', cls, name), makeWav({ rate, bits, channels: [tone(hz, rate, 0.25)] }));
  };
  rec('low', 'a.wav', 300, 8000, 16);
  rec('low', 'b.wav', 320, 16000, 24);
  rec('low', 'c.wav', 280, 44100, 16);
  rec('high', 'a.wav', 3000, 8000, 16);
  rec('high', 'b.wav', 3200, 22050, 24);
  rec('high', 'c.wav', 2800, 48000, 16);

  it('writes an SHD-layout file from class folders that info reads, and says what it wrote', async () => {
    const out = join(dir, 'words.h5');
    const r = await runCli(['encode', join(dir, 'in'), '--out', out, '--channels', '128']);
    expect(r.stderr).toMatch(/encoding 6\/6/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/samples\s+6 \(1\.5 s of audio\)/);
    expect(r.stdout).toMatch(/classes\s+2: high, low/);
    const info = await runCli(['info', out, '--json']);
    expect(info.code).toBe(0);
    const s = JSON.parse(info.stdout);
    expect(s.samples).toBe(6);
    expect(s.classes).toEqual(['high', 'low']);
    expect(s.label_counts).toEqual([3, 3]);
    expect(s.spikes_min).toBeGreaterThan(50);
    expect(s.max_time).toBeLessThanOrEqual(0.25 + 1e-3);
  });

  it('refuses a bad WAV naming it, and leaves no file behind', async () => {
    writeFileSync(join(dir, 'in', 'low', 'broken.wav'), 'RIFF....WAVEjunk');
    const out = join(dir, 'broken.h5');
    const r = await runCli(['encode', join(dir, 'in'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/low\/broken\.wav: no fmt chunk/);
    expect(readdirSync(dir).filter((f) => f.includes('broken.h5'))).toEqual([]);
    const flags = await runCli(['encode', join(dir, 'in'), '--out', out, '--high-hz', '9000']);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toMatch(/--high-hz: highHz \(9000\) must be below half the sample rate \(8000 Hz\)/);
  });
});

describe('speaker numbering of files encoded apart (issue 22)', () => {
  // A train folder with two voices and a test folder with a third: each folder alone numbers its voices from 0.
  const dir = mkdtempSync(join(tmpdir(), 'encode-speakers-'));
  const rec = (split: string, cls: string, voice: string, hz: number) => {
    mkdirSync(join(dir, split, cls, voice), { recursive: true });
    writeFileSync(join(dir, split, cls, voice, `${hz}.wav`), makeWav({ rate: 8000, bits: 16, channels: [tone(hz, 8000, 0.2)] }));
  };
  for (const [cls, hz] of [['low', 300], ['high', 2500]] as const) {
    rec('train', cls, 'amy', hz);
    rec('train', cls, 'bob', hz + 40);
    rec('test', cls, 'cat', hz + 20);
  }
  const encode = (split: string, out: string, extra: string[] = []) => runCli(['encode', join(dir, split), '--out', join(dir, out), '--channels', '32', ...extra]);
  const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning: '));
  const train = (a: string, b: string) =>
    runCli(['train', '--train', join(dir, a), '--test', join(dir, b), '--out', join(dir, `${a}-session.h5`), '--hidden', '8', '--nb-steps', '20', '--batch', '4', '--epochs', '1', '--validation-fraction', '0', '--backend', 'cpu']);

  it('encode warns when each folder numbers its speakers alone; train then names the two files whose ids clash', async () => {
    const [a, b] = await Promise.all([encode('train', 'local-train.h5'), encode('test', 'local-test.h5')]);
    expect(a.code, a.stderr).toBe(0);
    expect(warnings(a.stderr)).toEqual([
      `warning: ${join(dir, 'train')} → ${join(dir, 'local-train.h5')}: speaker ids are numbered within this folder alone (0=amy, 1=bob); ` +
        'a file encoded apart numbers its own voices from 0 too, so give every encode of a dataset the same --speakers list (all of its speakers)',
    ]);
    expect(warnings(b.stderr)).toHaveLength(1);
    expect(warnings(b.stderr)[0]).toMatch(/^warning: .*test → .*local-test\.h5: speaker ids are numbered within this folder alone \(0=cat\)/);
    const t = await train('local-train.h5', 'local-test.h5');
    expect(t.code, t.stderr).toBe(0);
    expect(warnings(t.stderr)).toEqual([
      `warning: ${join(dir, 'local-train.h5')} and ${join(dir, 'local-test.h5')} number their speakers apart: speaker 0 is "amy" in one and "cat" in the other ` +
        '(1 of 1 shared ids), so per-speaker results and held-out voices mix different people; encode both with the same --speakers list',
    ]);
    // The session records its training file's speakers, so evaluate tells the same of the test file.
    const e = await runCli(['evaluate', '--session', join(dir, 'local-train.h5-session.h5'), '--data', join(dir, 'local-test.h5'), '--backend', 'cpu']);
    expect(e.code, e.stderr).toBe(0);
    expect(warnings(e.stderr)).toEqual([
      `warning: ${join(dir, 'local-train.h5')} and ${join(dir, 'local-test.h5')} number their speakers apart: speaker 0 is "amy" in one and "cat" in the other ` +
        '(1 of 1 shared ids), so per-speaker results and held-out voices mix different people; encode both with the same --speakers list',
    ]);
  });

  it('with one --speakers list for both, neither encode nor train warns, and the test voice keeps an id of its own', async () => {
    const all = ['--speakers', 'amy,bob,cat'];
    const [a, b] = await Promise.all([encode('train', 'shared-train.h5', all), encode('test', 'shared-test.h5', all)]);
    expect(a.code, a.stderr).toBe(0);
    expect(warnings(a.stderr)).toEqual([]);
    expect(warnings(b.stderr)).toEqual([]);
    expect(b.stdout).toMatch(/speakers\s+3: 0=amy, 1=bob, 2=cat/);
    const t = await train('shared-train.h5', 'shared-test.h5');
    expect(t.code, t.stderr).toBe(0);
    expect(warnings(t.stderr)).toEqual([]);
  });

  it('a folder without speaker folders records no speakers and gets no warning', async () => {
    const flat = join(dir, 'flat');
    mkdirSync(join(flat, 'low'), { recursive: true });
    writeFileSync(join(flat, 'low', 'a.wav'), makeWav({ rate: 8000, bits: 16, channels: [tone(300, 8000, 0.2)] }));
    const r = await runCli(['encode', flat, '--out', join(dir, 'flat.h5'), '--channels', '32']);
    expect(r.code, r.stderr).toBe(0);
    expect(warnings(r.stderr)).toEqual([]);
    expect(r.stdout).toMatch(/speakers\s+none/);
  });
});
