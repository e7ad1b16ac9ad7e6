/**
 * The file guard tells a busy machine from a broken file by the reader's own work (fileGuard.ts,
 * readerActivity.ts): a valid file is read however loaded the CPUs are, even with a CPU budget far below the
 * default, and a file whose HDF5 structure loops is refused after its few seconds of the reader's CPU, naming the
 * file and the dataset. The looping file is a fuzz variant (test/fuzz/corrupt.ts) that sends HDF5 round a cycle
 * in memory: no read, no progress, the reader's CPU at 100 %.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { liveFileWorkers, readSpikeFileGuarded } from '../../../src/services/data/fileGuard';
import { readSessionGuarded } from '../../../src/services/sessions/guardedSessionRead';
import { corrupt } from '../../fuzz/corrupt';
import { scaled } from '../../slowdown';

const dir = mkdtempSync(join(tmpdir(), 'sw-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Processes that keep every core busy (twice over) until stopped. */
function saturate(): ChildProcess[] {
  return Array.from({ length: 2 * cpus().length }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
}

async function withStall<T>(cpuS: number, body: () => Promise<T>): Promise<T> {
  const before = process.env.SPIKING_WORKBENCH_FILE_STALL_S;
  process.env.SPIKING_WORKBENCH_FILE_STALL_S = String(cpuS);
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.SPIKING_WORKBENCH_FILE_STALL_S;
    else process.env.SPIKING_WORKBENCH_FILE_STALL_S = before;
  }
}

describe('file guard', () => {
  it('reads valid data and session files while other processes keep every core busy', async () => {
    const busy = saturate();
    try {
      // A budget of 1 s of the reader's CPU without a read: a healthy read never comes near it, loaded or not.
      await withStall(1, async () => {
        for (let round = 0; round < 3; round++) {
          const [a, b] = await Promise.all([
            readSpikeFileGuarded('test/fixtures/sessions/agreement_test.h5'),
            readSpikeFileGuarded('test/fixtures/shd/f16_big_endian.h5'),
          ]);
          expect(a.labels.length).toBe(300);
          expect(b.labels.length).toBeGreaterThan(0);
          const s = await readSessionGuarded('test/fixtures/sessions/agreement_session.h5');
          expect(s.config).toBeDefined();
        }
      });
    } finally {
      for (const p of busy) p.kill('SIGKILL');
    }
  }, scaled(600_000));

  it('refuses a file whose structure loops after its CPU budget, naming the file and the dataset it was in, under load too', async () => {
    const bytes = new Uint8Array(readFileSync('test/fixtures/shd/f16_big_endian.h5'));
    const looping = join(dir, 'looping.h5');
    writeFileSync(looping, corrupt(bytes, 20261201, 62).bytes);
    const busy = saturate();
    try {
      const err = await withStall(2, () => readSpikeFileGuarded(looping).then(() => null, (e: unknown) => e as Error));
      expect(err?.message).toMatch(new RegExp(`^${looping}: dataset "spikes/units": the reader computed for 2 s of CPU without reading the file or getting further; its structure probably loops$`));
    } finally {
      for (const p of busy) p.kill('SIGKILL');
    }
    // The stuck thread was terminated, not left spinning.
    await expect.poll(() => liveFileWorkers(), { timeout: scaled(60_000) }).toBeLessThanOrEqual(1);
  }, scaled(600_000));
});
