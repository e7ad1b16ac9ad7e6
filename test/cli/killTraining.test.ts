/**
 * Kill tests: `kill -9` of a training run at random moments, during epochs and during session writes (the
 * epochs here take tens of milliseconds, so most kills land near a write), always leaves a session that loads,
 * whose epochs never go backwards, and no temp file once the next run has saved.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mix } from '../../src/services/random/hashMix';
import { readSession } from '../../src/services/sessions/sessionRead';
import { startCli } from './cliProcess';
import { scaled } from '../slowdown';

const FIX = 'test/fixtures/sessions';
const DATA = ['--train', `${FIX}/agreement_train.h5`, '--test', `${FIX}/agreement_test.h5`];
const MODEL = ['--hidden', '8', '--nb-steps', '20', '--max-time', '1', '--batch', '64', '--seed', '3', '--validation-fraction', '0'];
const KILLS = 20;
const dir = mkdtempSync(join(tmpdir(), 'sw-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kill -9 during training', () => {
  it(`${KILLS} kills leave a loadable session whose epochs never go backwards`, async () => {
    const out = join(dir, 'run.h5');
    // How long a run takes to its first saved epoch on this machine now (start-up dominates: ≈0.5 s idle, several
    // seconds when other tests load the cores): the kills are spread around that moment, so they land in epochs
    // and writes however loaded the machine is.
    const first = startCli(['train', ...DATA, ...MODEL, '--epochs', '100000', '--out', out]);
    const t0 = Date.now();
    while (!existsSync(out)) await new Promise((r) => setTimeout(r, 20));
    const firstEpochMs = Date.now() - t0;
    first.child.kill('SIGKILL');
    await first.done;
    let epochs = (await readSession(out)).epochsDone;
    let killedAfterWrites = 0;
    for (let k = 0; k < KILLS; k++) {
      const resume = existsSync(out);
      const args = resume ? ['train', '--resume', out, ...DATA, '--epochs', '100000'] : ['train', ...DATA, ...MODEL, '--epochs', '100000', '--out', out];
      const run = startCli(args);
      // 0.8–3 × the time to the first epoch: a different moment each time (seeded).
      const delay = Math.round(firstEpochMs * (0.8 + (mix(k + 7) % 2200) / 1000));
      await new Promise((r) => setTimeout(r, delay));
      run.child.kill('SIGKILL');
      const r = await run.done;
      expect(r.signal).toBe('SIGKILL');
      if (!existsSync(out)) continue; // killed before its first epoch ended: nothing to keep yet
      const s = await readSession(out);
      expect(s.epochsDone, `kill ${k} after ${delay} ms`).toBeGreaterThanOrEqual(epochs);
      expect(s.history.length).toBe(s.epochsDone);
      if (s.epochsDone > epochs) killedAfterWrites++;
      epochs = s.epochsDone;
    }
    expect(epochs).toBeGreaterThan(0);
    // Enough kills land after a write for the check to mean something (how many depends on the machine's load).
    expect(killedAfterWrites).toBeGreaterThanOrEqual(KILLS / 4);
    // A last run that saves once removes what killed writers left.
    const last = startCli(['train', '--resume', out, ...DATA, '--epochs', String(epochs + 1)]);
    const r = await last.done;
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await readSession(out)).epochsDone).toBe(epochs + 1);
  }, scaled(300_000));
});
