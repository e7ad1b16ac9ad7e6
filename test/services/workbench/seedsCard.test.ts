/**
 * "Repeat with N seeds" as the service runs it: a seeds sweep through SweepJobs, its card written into the folder
 * when the queue ends (the same card `sweeps.reportCard` answers), and a folder that is no seeds sweep refused.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../../src/shared/config';
import { seedsSpec } from '../../../src/shared/seedsSweep';
import type { WorkbenchEvent } from '../../../src/shared/workbenchApi';
import { SessionStore } from '../../../src/services/workbench/sessionStore';
import { SweepJobs } from '../../../src/services/workbench/sweepJobs';
import { CLI_BUNDLE } from '../../nodeBundle';
import { scaled } from '../../slowdown';

const dir = mkdtempSync(join(tmpdir(), 'wb-seeds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a seeds sweep in the app', () => {
  it('leaves its report card beside the runs when the queue ends', async () => {
    const events: WorkbenchEvent[] = [];
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    const jobs = new SweepJobs({ node: process.execPath, entry: CLI_BUNDLE }, new SessionStore(join(dir, 'sessions')), (e) => {
      events.push(e);
      if (e.kind === 'sweep' && !e.running) ended();
    });
    const config: TrainConfig = { ...(DEFAULT_CONFIG as TrainConfig), layers: [{ size: 8, recurrent: true, dropout: 0 }], nbSteps: 20, epochs: 1, batchSize: 100, seed: 2 };
    const out = join(dir, 'seeds');
    const spec = seedsSpec({ config, seeds: 2, data: { dataset: 'demo' }, base: { workers: 1 } });
    expect(jobs.run({ spec, dir: out, parallel: 2 })).toEqual({ dir: out, tasks: 2 });
    await done;
    expect(events.filter((e) => e.kind === 'error')).toEqual([]);
    expect(existsSync(join(out, 'report-card.md'))).toBe(true);
    const result = jobs.reportCard(out);
    expect(result.card.seeds).toEqual([2, 3]);
    expect(result.card.done).toBe(2);
    expect(result.card.rows.map((r) => r.testSamples)).toEqual([200, 200]);
    expect(readFileSync(result.files.csv, 'utf8')).toBe(result.csv);
    expect(result.markdown.split('\n')[0]).toBe('# Report card: 2 seeds');
  }, scaled(120_000));

  it('refuses the card of a folder that is not a seeds sweep, in one line', () => {
    const jobs = new SweepJobs(undefined, new SessionStore(join(dir, 'sessions2')), () => {});
    expect(() => jobs.reportCard(join(dir, 'nothing'))).toThrow(`${join(dir, 'nothing')}: not a sweep directory (no sweep.json)`);
  });
});
