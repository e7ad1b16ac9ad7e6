import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DownloadReporter, dataCommand, formatBytes } from '../../src/cli/commands/data';
import { CLI_BUNDLE } from '../nodeBundle';
import { startMirror, type MirrorServer } from '../services/data/download/mirrorServer';

const TRAIN = Buffer.from('train '.repeat(30_000));
const TEST = Buffer.from('test '.repeat(20_000));
let mirror: MirrorServer;
let root: string;

/** Runs `data …` in-process, capturing stdout and stderr. */
async function runData(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    return { code: await dataCommand.run(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'sw-cli-data-'));
  mirror = await startMirror({ 'shd_train.h5.gz': gzipSync(TRAIN), 'shd_test.h5.gz': gzipSync(TEST) });
});

afterAll(async () => {
  await mirror.close();
  await rm(root, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('data status / data fetch (in-process)', () => {
  it('status lists every catalog file as missing in an empty directory', async () => {
    const dir = path.join(root, 'empty');
    const { code, out } = await runData(['status', '--data-dir', dir]);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      `data directory ${dir} (from --data-dir)`,
      'set  split  state    size  path',
      `shd  train  missing  -     ${dir}/shd_train.h5`,
      `shd  test   missing  -     ${dir}/shd_test.h5`,
      `ssc  train  missing  -     ${dir}/ssc_train.h5`,
      `ssc  valid  missing  -     ${dir}/ssc_valid.h5`,
      `ssc  test   missing  -     ${dir}/ssc_test.h5`,
      '',
    ]);
  });

  it('fetch downloads, reports progress on stderr, prints the table, exits 0; status --json then says verified', async () => {
    const dir = path.join(root, 'fetched');
    const fetched = await runData(['fetch', 'shd', '--base-url', mirror.url, '--data-dir', dir]);
    expect(fetched.code).toBe(0);
    expect(fetched.err).toContain(`fetching shd into ${dir} (from --data-dir)`);
    expect(fetched.err).toMatch(/downloading shd_train\.h5\.gz 100% /);
    expect(fetched.err).toContain('shd_test.h5 verified');
    expect(fetched.out).toContain(`shd  train  verified  ${formatBytes(TRAIN.length)}  ${dir}/shd_train.h5`);
    expect((await readFile(path.join(dir, 'shd_test.h5'))).equals(TEST)).toBe(true);

    const { code, out } = await runData(['status', '--json', '--data-dir', dir]);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(j.dataDir).toBe(dir);
    expect(j.dataDirSource).toBe('flag');
    expect(j.files.slice(0, 2)).toMatchObject([
      { dataset: 'shd', split: 'train', present: true, verified: true, sizeBytes: TRAIN.length, path: `${dir}/shd_train.h5`, problem: null },
      { dataset: 'shd', split: 'test', present: true, verified: true, sizeBytes: TEST.length },
    ]);
    expect(j.files[2]).toMatchObject({ dataset: 'ssc', split: 'train', present: false, verified: false, problem: 'missing' });

    const n = mirror.requests.length;
    const again = await runData(['fetch', 'shd', '--base-url', mirror.url, '--data-dir', dir, '--json']);
    expect(again.code).toBe(0);
    expect(mirror.requests.length).toBe(n);
    expect(JSON.parse(again.out).files.every((f: { verified: boolean }) => f.verified)).toBe(true);
  });

  it('takes the data directory from SPIKING_WORKBENCH_DATA when there is no flag', async () => {
    const dir = path.join(root, 'from-env');
    vi.stubEnv('SPIKING_WORKBENCH_DATA', dir);
    const { out } = await runData(['status', '--json']);
    expect(JSON.parse(out)).toMatchObject({ dataDir: dir, dataDirSource: 'env' });
  });

  it('fetch exits 1 with the error on stderr when a file is missing on the mirror', async () => {
    const broken = await startMirror({ 'shd_train.h5.gz': gzipSync(TRAIN), 'shd_test.h5.gz': gzipSync(TEST) });
    broken.files.delete('shd_test.h5.gz');
    try {
      const dir = path.join(root, 'broken');
      const { code, out, err } = await runData(['fetch', 'shd', '--base-url', broken.url, '--data-dir', dir]);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toContain(`error: ${broken.url}shd_test.h5.gz: not found (404) — check the mirror or --base-url\n`);
    } finally {
      await broken.close();
    }
  });

  it('refuses bad usage with exit code 2', async () => {
    await expect(runData(['fetch', 'mnist'])).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('data fetch takes one dataset: shd or ssc (got mnist)') });
    await expect(runData(['fetch', 'shd', '--base-url', 'ftp://x/'])).rejects.toMatchObject({ exitCode: 2, message: '--base-url must be an http(s) URL (got "ftp://x/")' });
    await expect(runData(['fetch', 'shd', '--retries', '-1'])).rejects.toMatchObject({ exitCode: 2 });
    await expect(runData(['frobnicate'])).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('unknown data command "frobnicate"') });
  });
});

describe('DownloadReporter', () => {
  const event = { dataset: 'shd' as const, file: 'shd_train.h5.gz', phase: 'downloading' as const, totalBytes: 2_000_000, bytesPerS: 1_000_000 };

  it('redraws one bar on a terminal and prints messages as lines', () => {
    const chunks: string[] = [];
    const r = new DownloadReporter({ isTTY: true, write: (t: string) => chunks.push(t) });
    r.onProgress({ ...event, bytes: 500_000, etaS: 1.5 });
    expect(chunks[0]).toBe(`\rdownloading shd_train.h5.gz [${'#'.repeat(6)}${'.'.repeat(18)}]  25% 500.0 kB/2.0 MB 1.0 MB/s ETA 0:02\x1b[K`);
    r.onProgress({ ...event, bytes: 0, etaS: null, phase: 'connecting', message: 'retry 1/5 in 0.5 s: dropped' });
    expect(chunks.slice(1)).toEqual(['\r\x1b[K', 'retry 1/5 in 0.5 s: dropped\n']);
  });

  it('writes a line per 10 % step elsewhere', () => {
    const chunks: string[] = [];
    const r = new DownloadReporter({ isTTY: false, write: (t: string) => chunks.push(t) });
    for (let b = 0; b <= 2_000_000; b += 50_000) r.onProgress({ ...event, bytes: b, etaS: 1 });
    expect(chunks).toHaveLength(11);
    expect(chunks[10]).toBe('downloading shd_train.h5.gz 100% 2.0 MB/2.0 MB 1.0 MB/s ETA 0:01\n');
  });
});

describe('data fetch as a process', () => {
  it('npm run cli -- data fetch exits 0 when every file is verified', async () => {
    const dir = path.join(root, 'process');
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [CLI_BUNDLE, 'data', 'fetch', 'shd', '--base-url', mirror.url, '--data-dir', dir],
        { encoding: 'utf8' },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
      );
    });
    expect(result.stderr).toContain('shd_train.h5 verified');
    expect(result.code).toBe(0);
  });
});
