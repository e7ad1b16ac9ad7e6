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
