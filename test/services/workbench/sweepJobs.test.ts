/**
 * The app's sweeps: the demo set is swept as the CLI sweeps it; the preview reads every task with train's parser;
 * a sweep train would refuse is neither run nor written for SLURM, and its folder is left untouched.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/shared/config';
import type { SweepSpec } from '../../../src/shared/sweep';
import { SessionStore } from '../../../src/services/workbench/sessionStore';
import { SweepJobs } from '../../../src/services/workbench/sweepJobs';
import { CLI_BUNDLE } from '../../nodeBundle';

const dir = mkdtempSync(join(tmpdir(), 'wb-sweepjobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const jobs = new SweepJobs({ node: process.execPath, entry: CLI_BUNDLE }, new SessionStore(join(dir, 'sessions')), () => {});
const config = { ...DEFAULT_CONFIG, readout: 'softmax-sum' as const, readoutSkip: 10, nbSteps: 20 };

describe('sweeps in the app', () => {
  it('previews a sweep on the demo set, every task read by train\'s parser', () => {
    const tasks = jobs.expand({ config, data: { dataset: 'demo' }, grid: { 'tau-mem': ['0.01', '0.02'], 'nb-steps': [20, 10] } });
    expect(tasks.map((t) => t.args.slice(2, 4))).toEqual(Array(4).fill(['--dataset', 'demo']));
    expect(tasks.map((t) => t.problems.map((p) => p.flag))).toEqual([[], ['nb-steps'], [], ['nb-steps']]);
  });

  it('refuses to run or write a sweep train would refuse, naming the first bad task, and writes nothing', async () => {
    const bad: SweepSpec = { name: 'bad', config, data: { dataset: 'demo' }, grid: { 'nb-steps': [20, 10] } };
    const out = join(dir, 'bad-sweep');
    const message = 'task t001 (nb-steps=10): --readout-skip must be below the number of time steps (10), got 10';
    expect(() => jobs.run({ spec: bad, dir: out, parallel: 1 })).toThrow(message);
    expect(() => jobs.writeSlurm({ spec: bad, dir: out })).toThrow(message);
    expect(existsSync(out)).toBe(false);
    await jobs.stop();
  });
});
