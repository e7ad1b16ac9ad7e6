import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadProgress } from '../../../../src/shared/datasets';
import { catalogFileStatuses } from '../../../../src/services/data/datasetStatus';
import { DownloadError, fetchDataset, verifyDataDir, type FetchOptions } from '../../../../src/services/data/downloader';
import { readManifest } from '../../../../src/services/data/download/manifest';
import { SeededRandom } from '../../../../src/services/random/seededRandom';
import { md5, startMirror, type MirrorServer } from './mirrorServer';

/** Bytes that compress to roughly half (so gunzip has work and the .gz is a few hundred KB). */
function content(seed: number, size: number): Buffer {
  const rng = new SeededRandom(seed);
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = rng.next() < 0.5 ? rng.int(256) : 32;
  return b;
}

const TRAIN = content(1, 400_000);
const TEST = content(2, 150_000);
const TRAIN_GZ = gzipSync(TRAIN);
const TEST_GZ = gzipSync(TEST);

let dir: string;
let mirror: MirrorServer;
let events: DownloadProgress[];

function options(extra: Partial<FetchOptions> = {}): FetchOptions {
  return {
    dataDir: dir,
    baseUrls: [mirror.url],
    retryDelayMs: () => 0,
    progressIntervalMs: 0,
    idleTimeoutMs: 5_000,
    onProgress: (e) => events.push(e),
    ...extra,
  };
}

async function fetchError(opts: FetchOptions): Promise<DownloadError> {
  const err = await fetchDataset('shd', opts).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DownloadError);
  return err as DownloadError;
}

const gzRequests = (file: string) => mirror.requests.filter((r) => r.file === file);

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sw-fetch-'));
  mirror = await startMirror({ 'shd_train.h5.gz': TRAIN_GZ, 'shd_test.h5.gz': TEST_GZ });
  events = [];
});

afterEach(async () => {
  await mirror.close();
  await chmod(dir, 0o755).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

describe('fetchDataset against a local mirror', () => {
  it('downloads, verifies and unpacks every file, reporting progress, leaving no temp files', async () => {
    const statuses = await fetchDataset('shd', options());
    expect(statuses.map((s) => [s.file, s.verified, s.sizeBytes])).toEqual([
      ['shd_train.h5', true, TRAIN.length],
      ['shd_test.h5', true, TEST.length],
    ]);
    expect((await readFile(path.join(dir, 'shd_train.h5'))).equals(TRAIN)).toBe(true);
    expect((await readFile(path.join(dir, 'shd_test.h5'))).equals(TEST)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', 'shd_test.h5', 'shd_train.h5']);

    const m = await readManifest(dir);
    expect(m.files['shd_train.h5']).toMatchObject({ sizeBytes: TRAIN.length, md5: md5(TRAIN), gzMd5: md5(TRAIN_GZ), gzSizeBytes: TRAIN_GZ.length, split: 'train' });
    expect(statuses[0].md5).toBe(md5(TRAIN));

    const dl = events.filter((e) => e.phase === 'downloading' && e.file === 'shd_train.h5.gz');
    expect(dl.length).toBeGreaterThan(1);
    expect(dl.every((e) => e.totalBytes === TRAIN_GZ.length)).toBe(true);
    for (let i = 1; i < dl.length; i++) expect(dl[i].bytes).toBeGreaterThanOrEqual(dl[i - 1].bytes);
    expect(dl.at(-1)).toMatchObject({ bytes: TRAIN_GZ.length, etaS: 0 });
    expect(dl.at(-1)!.bytesPerS).toBeGreaterThan(0);
    const unpack = events.filter((e) => e.phase === 'unpacking' && e.file === 'shd_train.h5');
    expect(unpack.at(-1)).toMatchObject({ bytes: TRAIN_GZ.length, totalBytes: TRAIN_GZ.length });
    expect(events.filter((e) => e.phase === 'done').map((e) => e.file)).toEqual(['shd_train.h5', 'shd_test.h5']);
    expect(mirror.requests.map((r) => [r.file, r.range, r.status])).toEqual([
      ['md5sums.txt', undefined, 200],
      ['shd_train.h5.gz', undefined, 200],
      ['shd_test.h5.gz', undefined, 200],
    ]);
  });

  it('makes no network request at all once every file is verified', async () => {
    await fetchDataset('shd', options());
    const before = mirror.requests.length;
    events = [];
    const statuses = await fetchDataset('shd', options());
    expect(mirror.requests.length).toBe(before);
    expect(statuses.every((s) => s.verified)).toBe(true);
    expect(events.map((e) => [e.phase, e.message])).toEqual([
      ['done', 'shd_train.h5 already verified'],
      ['done', 'shd_test.h5 already verified'],
    ]);
  });

  it('resumes with a Range request after the server drops the connection mid-file', async () => {
    mirror.behaviour = { drop: { 'shd_train.h5.gz': { afterBytes: 100_000, times: 1 } } };
    const statuses = await fetchDataset('shd', options());
    expect(statuses.every((s) => s.verified)).toBe(true);
    expect((await readFile(path.join(dir, 'shd_train.h5'))).equals(TRAIN)).toBe(true);
    const reqs = gzRequests('shd_train.h5.gz');
    expect(reqs.map((r) => r.status)).toEqual([200, 206]);
    expect(reqs[0].range).toBeUndefined();
    // What reached the disk before the drop (at most what the server sent) is asked for no more.
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(reqs[1].range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(100_000);
    expect(events.some((e) => e.message?.startsWith('retry 1/5 in 0.0 s: connection to 127.0.0.1'))).toBe(true);
    expect(events.some((e) => e.message === `resuming shd_train.h5.gz after ${resumedAt} bytes already downloaded`)).toBe(true);
  });

  it('resumes a partial download left by an earlier run', async () => {
    await writeFile(path.join(dir, 'shd_train.h5.gz.part'), TRAIN_GZ.subarray(0, 12_345));
    expect((await catalogFileStatuses({ dataDir: dir }, ['shd']))[0].problem).toBe(
      'missing (12345 bytes of shd_train.h5.gz downloaded; the next fetch resumes)',
    );
    await fetchDataset('shd', options());
    expect(gzRequests('shd_train.h5.gz').map((r) => [r.range, r.status])).toEqual([['bytes=12345-', 206]]);
    expect((await readFile(path.join(dir, 'shd_train.h5'))).equals(TRAIN)).toBe(true);
  });

  it('starts over once when a resumed part turns out stale (checksum mismatch)', async () => {
    await writeFile(path.join(dir, 'shd_train.h5.gz.part'), Buffer.alloc(5_000, 7));
    const statuses = await fetchDataset('shd', options());
    expect(statuses.every((s) => s.verified)).toBe(true);
    expect(gzRequests('shd_train.h5.gz').map((r) => r.range)).toEqual(['bytes=5000-', undefined]);
    expect(events.some((e) => e.message?.includes('checksum mismatch after resuming'))).toBe(true);
  });

  it('restarts cleanly when the server ignores Range (200 instead of 206)', async () => {
    mirror.behaviour = { ignoreRange: true, drop: { 'shd_train.h5.gz': { afterBytes: 150_000, times: 1 } } };
    const statuses = await fetchDataset('shd', options());
    expect(statuses.every((s) => s.verified)).toBe(true);
    expect((await readFile(path.join(dir, 'shd_train.h5'))).equals(TRAIN)).toBe(true);
    const reqs = gzRequests('shd_train.h5.gz');
    expect(reqs.map((r) => r.status)).toEqual([200, 200]);
    expect(reqs[1].range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(events.some((e) => e.message?.includes('does not support resuming'))).toBe(true);
  });

  it('retries a stalled transfer after the idle timeout and resumes it', async () => {
    mirror.behaviour = { stall: { 'shd_test.h5.gz': { afterBytes: 30_000, times: 1 } } };
    const statuses = await fetchDataset('shd', options({ idleTimeoutMs: 300 }));
    expect(statuses.every((s) => s.verified)).toBe(true);
    expect(gzRequests('shd_test.h5.gz').map((r) => r.range)).toEqual([undefined, 'bytes=30000-']);
    expect(events.some((e) => e.message?.includes('timed out'))).toBe(true);
  });

  it('retries 5xx with backoff, waiting the injected delays', async () => {
    mirror.behaviour = { failStatus: { 'shd_train.h5.gz': { status: 503, times: 2 } } };
    const waits: number[] = [];
    const statuses = await fetchDataset('shd', options({ retryDelayMs: (a) => 100 * 2 ** (a - 1), sleep: async (ms) => void waits.push(ms) }));
    expect(statuses.every((s) => s.verified)).toBe(true);
    expect(waits).toEqual([100, 200]);
    expect(gzRequests('shd_train.h5.gz').map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('gives up after the bounded number of retries with the last error', async () => {
    mirror.behaviour = { failStatus: { 'shd_train.h5.gz': { status: 500, times: 100 } } };
    const err = await fetchError(options({ retries: 3 }));
    expect(err.code).toBe('http');
    expect(err.message).toContain('shd_train.h5.gz: HTTP 500 (gave up after 3 retries)');
    expect(gzRequests('shd_train.h5.gz')).toHaveLength(4);
  });

  it('deletes a download whose md5 does not match md5sums.txt and says so', async () => {
    mirror.writeMd5Sums({ 'shd_test.h5.gz': '0123456789abcdef0123456789abcdef' });
    const err = await fetchError(options());
    expect(err.code).toBe('checksum');
    expect(err.message).toBe(
      `checksum mismatch for shd_test.h5.gz from ${mirror.url}shd_test.h5.gz: expected md5 0123456789abcdef0123456789abcdef, got ${md5(TEST_GZ)}; the downloaded file was deleted`,
    );
    expect((await readdir(dir)).sort()).toEqual(['manifest.json', 'shd_train.h5']);
    const statuses = await catalogFileStatuses({ dataDir: dir }, ['shd']);
    expect(statuses.map((s) => s.verified)).toEqual([true, false]);
    expect(events.at(-1)).toMatchObject({ phase: 'error', message: err.message });
  });

  it('fails on 404 at once, naming the URL', async () => {
    mirror.files.delete('shd_test.h5.gz');
    const err = await fetchError(options());
    expect(err.code).toBe('http');
    expect(err.status).toBe(404);
    expect(err.message).toBe(`${mirror.url}shd_test.h5.gz: not found (404) — check the mirror or --base-url`);
    expect(gzRequests('shd_test.h5.gz')).toHaveLength(1);
  });

  it('follows redirects', async () => {
    const moved = mirror.url.replace('/datasets/', '/moved/');
    const statuses = await fetchDataset('shd', options({ baseUrls: [moved] }));
    expect(statuses.every((s) => s.verified)).toBe(true);
    expect(mirror.requests.map((r) => [r.file, r.status])).toEqual([
      ['/moved/md5sums.txt', 301],
      ['md5sums.txt', 200],
      ['/moved/shd_train.h5.gz', 301],
      ['shd_train.h5.gz', 200],
      ['/moved/shd_test.h5.gz', 301],
      ['shd_test.h5.gz', 200],
    ]);
  });

  it('falls back to the next mirror when the first fails', async () => {
    const broken = await startMirror({});
    broken.files.clear();
    try {
      const statuses = await fetchDataset('shd', options({ baseUrls: [broken.url, mirror.url] }));
      expect(statuses.every((s) => s.verified)).toBe(true);
      expect(broken.requests.map((r) => [r.file, r.status])).toEqual([['md5sums.txt', 404]]);
      expect(events.some((e) => e.message?.startsWith(`${broken.url} failed`))).toBe(true);
    } finally {
      await broken.close();
    }
  });

  it('reports an unreachable mirror as offline after its retries', async () => {
    const closed = await startMirror({});
    const url = closed.url;
    await closed.close();
    const err = await fetchError(options({ baseUrls: [url], retries: 2 }));
    expect(err.code).toBe('offline');
    expect(err.message).toMatch(/^cannot connect to 127\.0\.0\.1:\d+ \(ECONNREFUSED\): check the network connection/);
    expect(err.message).toContain('(gave up after 2 retries)');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a data directory that cannot be written before any request', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, 'x');
    const err = await fetchError(options({ dataDir: path.join(file, 'data') }));
    expect(err.code).toBe('not-writable');
    expect(err.message).toBe(`data directory ${path.join(file, 'data')} is not writable (ENOTDIR): choose another with --data-dir or SPIKING_WORKBENCH_DATA`);
    expect(mirror.requests).toHaveLength(0);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a read-only data directory (permissions; root ignores them)', async () => {
    const ro = path.join(dir, 'ro');
    await mkdir(ro);
    await chmod(ro, 0o555);
    const err = await fetchError(options({ dataDir: ro }));
    expect(err.code).toBe('not-writable');
    expect(err.message).toContain('(EACCES)');
    expect(mirror.requests).toHaveLength(0);
    // A complete, verified directory may be read-only (a shared mount): fetch then needs no write access.
    await chmod(ro, 0o755);
    await fetchDataset('shd', options({ dataDir: ro }));
    await chmod(ro, 0o555);
    await expect(fetchDataset('shd', options({ dataDir: ro }))).resolves.toHaveLength(2);
  });

  it.skipIf(process.platform !== 'linux')('reports a full disk and keeps no unpacked file (.part is /dev/full)', async () => {
    await symlink('/dev/full', path.join(dir, 'shd_train.h5.gz.part'));
    const err = await fetchError(options());
    expect(err.code).toBe('disk-full');
    expect(err.message).toBe(`disk full while writing ${path.join(dir, 'shd_train.h5.gz.part')} (ENOSPC): free some space or choose another data directory`);
    expect((await readdir(dir)).sort()).toEqual(['shd_train.h5.gz.part']);
  });

  it('cancels on request, keeps the part for a later resume, and releases the directory', async () => {
    mirror.behaviour = { chunk: { bytes: 16_384, delayMs: 5 } };
    const ac = new AbortController();
    const opts = options({
      signal: ac.signal,
      onProgress: (e) => {
        events.push(e);
        if (e.phase === 'downloading' && e.bytes >= 50_000) ac.abort();
      },
    });
    const err = await fetchError(opts);
    expect(err.code).toBe('cancelled');
    expect(err.message).toContain('the next fetch resumes it');
    expect(events.at(-1)).toMatchObject({ phase: 'cancelled' });
    const left = await readdir(dir);
    expect(left).toEqual(['shd_train.h5.gz.part']);
    const kept = (await readFile(path.join(dir, 'shd_train.h5.gz.part'))).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(TRAIN_GZ.length);

    mirror.behaviour = {};
    const statuses = await fetchDataset('shd', options());
    expect(statuses.every((s) => s.verified)).toBe(true);
    expect(gzRequests('shd_train.h5.gz').at(-1)).toMatchObject({ range: `bytes=${kept}-`, status: 206 });
  });

  it('refuses a second fetch into the same directory while one runs', async () => {
    mirror.behaviour = { chunk: { bytes: 16_384, delayMs: 5 } };
    let downloading!: () => void;
    const started = new Promise<void>((resolve) => (downloading = resolve));
    const first = fetchDataset('shd', options({ onProgress: (e) => e.phase === 'downloading' && downloading() }));
    await started;
    const err = await fetchError(options());
    expect(err.code).toBe('busy');
    expect(err.message).toBe(`another download into ${dir} is running (in this process); wait for it or cancel it`);
    await expect(first).resolves.toHaveLength(2);
  });

  it('deletes a .gz that matches its md5 but does not decompress', async () => {
    mirror.files.set('shd_train.h5.gz', Buffer.from('this is not gzip data'));
    mirror.writeMd5Sums();
    const err = await fetchError(options());
    expect(err.code).toBe('bad-archive');
    expect(err.message).toMatch(/shd_train\.h5\.gz matches its md5 but does not decompress \(.+\); it was deleted$/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('status and re-verification', () => {
  it('notices a file whose size changed, and fetch replaces it', async () => {
    await fetchDataset('shd', options());
    await appendFile(path.join(dir, 'shd_test.h5'), 'x');
    const [, test] = await catalogFileStatuses({ dataDir: dir }, ['shd']);
    expect(test).toMatchObject({ present: true, verified: false, sizeBytes: TEST.length + 1 });
    expect(test.problem).toBe(`size ${TEST.length + 1} bytes differs from the verified ${TEST.length}`);
    await fetchDataset('shd', options());
    expect((await readFile(path.join(dir, 'shd_test.h5'))).equals(TEST)).toBe(true);
  });

  it('--verify recomputes md5: a changed byte is found, its record dropped, and fetch downloads it again', async () => {
    await fetchDataset('shd', options());
    const p = path.join(dir, 'shd_train.h5');
    const bytes = await readFile(p);
    bytes[1000] ^= 0xff;
    await writeFile(p, bytes);
    expect((await catalogFileStatuses({ dataDir: dir }, ['shd']))[0].verified).toBe(true);
    const checked = await verifyDataDir(dir);
    const train = checked.find((s) => s.file === 'shd_train.h5')!;
    expect(train.verified).toBe(false);
    expect(train.problem).toBe(`md5 ${md5(bytes)} differs from the verified ${md5(TRAIN)} (the file changed since it was verified)`);
    expect((await readManifest(dir)).files['shd_train.h5']).toBeUndefined();
    const n = gzRequests('shd_train.h5.gz').length;
    await fetchDataset('shd', options());
    expect(gzRequests('shd_train.h5.gz')).toHaveLength(n + 1);
    expect((await readFile(p)).equals(TRAIN)).toBe(true);
  });

  it('reports a damaged manifest by name instead of guessing', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'manifest.json'), '{ not json');
    await expect(catalogFileStatuses({ dataDir: dir })).rejects.toThrow(
      `${path.join(dir, 'manifest.json')} is damaged (not JSON:`,
    );
  });
});
