/**
 * `train --seeds N` (issue 23): two seeds of a tiny model on the demo set, run as a sweep over --seed two at a
 * time; the report card's Markdown and CSV beside the runs, every number of it checked against the seeds' own
 * sessions and reports; `sweep card` remakes it; the flags a seeds run refuses.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSession } from '../../src/services/sessions/sessionRead';
import { wilsonInterval } from '../../src/services/reportCard/confidence';
import type { ReportCard } from '../../src/shared/reportCard';
import { runCli } from './cliProcess';
import { scaled } from '../slowdown';

const dir = mkdtempSync(join(tmpdir(), 'sw-seeds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = ['--dataset', 'demo', '--epochs', '2', '--hidden', '16', '--nb-steps', '20', '--batch', '100', '--workers', '1', '--seed', '5'];

/** The CSV as records by header (no field here holds a newline; quoted fields may hold commas). */
function parseCsv(text: string): Record<string, string>[] {
  const split = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
  const [head, ...rows] = text.trim().split('\n').map(split);
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

describe('train --seeds', () => {
  const out = join(dir, 'two');

  it(
    'trains seeds 5 and 6 through the sweep machinery and writes a card whose numbers are the sessions\'',
    async () => {
      const r = await runCli(['train', ...TINY, '--seeds', '2', '--parallel', '2', '--out', out, '--report', join(dir, 'card.json')]);
      expect(r.stderr).toMatch(/\[2\/2\] t00[01] done/);
      expect(r.code).toBe(0);
      // The sweep folder, as `sweep run` leaves it: one task per seed, varying --seed alone.
      const sweep = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
      expect(sweep.spec.grid).toEqual({ seed: [5, 6] });
      expect(sweep.tasks.map((t: { varied: unknown }) => t.varied)).toEqual([{ seed: 5 }, { seed: 6 }]);
      for (const f of ['report-card.md', 'report-card.csv']) expect(existsSync(join(out, f))).toBe(true);

      const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as ReportCard;
      expect(card.seeds).toEqual([5, 6]);
      expect(card.done).toBe(2);
      expect(card.warnings).toEqual(['two seeds: the interval of the mean uses t(0.975, 1) = 12.71 and is very wide; 3 seeds give t = 4.30, 5 give 2.78']);
      const accs: number[] = [];
      for (const row of card.rows) {
        const session = await readSession(join(out, 'tasks', row.task, 'session.h5'));
        expect(session.config.seed).toBe(row.seed);
        const selected = session.selected!.epoch;
        const testAcc = session.history.find((h) => h.epoch === selected)!.test_acc;
        expect(row.selectedEpoch).toBe(selected);
        expect(row.testAcc).toBe(testAcc);
        expect(row.epochsRun).toBe(session.history.length);
        expect(row.testSamples).toBe(session.meta.dataset.testSamples);
        expect(row.testSamples).toBe(200);
        expect(row.testCorrect).toBe(Math.round(testAcc * 200));
        expect(row.testInterval).toEqual(wilsonInterval(row.testCorrect!, 200));
        accs.push(testAcc);
      }
      const mean = (accs[0] + accs[1]) / 2;
      const std = Math.abs(accs[0] - accs[1]) / Math.SQRT2;
      expect(card.pooled.meanTestAcc).toBeCloseTo(mean, 12);
      expect(card.pooled.stdTestAcc).toBeCloseTo(std, 12);
      // t(0.975, 1) = 12.7062: two seeds give a wide interval of the mean, and the card says so.
      expect(card.pooled.meanInterval!.high - mean).toBeCloseTo((12.706204736174694 * std) / Math.SQRT2, 8);
      expect(card.data!.trainFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(card.data!.testFingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(card.data!.trainFingerprint).toBe((await readSession(join(out, 'tasks', 't000', 'session.h5'))).meta.dataset.fingerprint);
      expect(card.protocol!.epochsRun).toEqual([2, 2]);
      expect(card.closestPreset!.differences.map((d) => d.key)).toEqual(['layers', 'nbSteps', 'batchSize', 'epochs']);

      // The Markdown printed is the file, with the headline and every seed's row.
      const md = readFileSync(join(out, 'report-card.md'), 'utf8');
      expect(r.stdout).toBe(md);
      expect(md).toContain(`**Test accuracy at the selected epoch: ${(100 * mean).toFixed(2)} % ± ${(100 * std).toFixed(2)} % (mean ± std over 2 seeds)`);
      for (const row of card.rows) expect(md).toContain(`| ${row.seed} | done | 2 | ${row.selectedEpoch} |`);
      expect(md).toContain('Wilson 95 % score interval');
      expect(md).toContain(card.data!.testFingerprint!);

      // The CSV: a row per seed and the pooled one, each saying which interval it carries.
      const csv = parseCsv(readFileSync(join(out, 'report-card.csv'), 'utf8'));
      expect(csv.map((c) => [c.row, c.seed])).toEqual([['seed', '5'], ['seed', '6'], ['pooled', '5 6']]);
      expect(Number(csv[0].test_acc)).toBe(card.rows[0].testAcc);
      expect(Number(csv[1].ci_low)).toBe(card.rows[1].testInterval!.low);
      expect(csv[0].interval).toBe('wilson95 (test sampling, this seed)');
      expect(Number(csv[2].test_acc)).toBe(card.pooled.meanTestAcc);
      expect(Number(csv[2].std_test_acc)).toBe(card.pooled.stdTestAcc);
      expect(csv[2].interval).toBe('t95 of the mean over 2 seeds');
      expect(JSON.parse(csv[2].config).hidden).toBeUndefined();
      expect(JSON.parse(csv[2].config).layers[0].size).toBe(16);
    },
    scaled(120_000),
  );

  it('`sweep card` remakes the card from the folder, and `sweep collect` lists the seeds', async () => {
    const r = await runCli(['sweep', 'card', out, '--json']);
    expect(r.code).toBe(0);
    const card = JSON.parse(r.stdout) as ReportCard;
    const before = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as ReportCard;
    expect(card.rows).toEqual(before.rows);
    expect(card.pooled).toEqual(before.pooled);
    const c = await runCli(['sweep', 'collect', out]);
    expect(c.stdout).toMatch(/2 tasks \(2 done\)/);
  });
});

describe('train --seeds refusals', () => {
  const refused = async (args: string[], message: RegExp) => {
    const r = await runCli(['train', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  };

  it('names what is wrong before anything runs', async () => {
    await refused([...TINY, '--parallel', '2', '--out', join(dir, 'x.h5')], /--parallel needs --seeds N/);
    await refused([...TINY, '--seeds', '0', '--out', join(dir, 'none')], /--seeds 0: the number of seeds must be an integer from 1 to 100 \(got 0\)/);
    await refused([...TINY, '--seeds', '2.5', '--out', join(dir, 'none')], /the number of seeds must be an integer/);
    await refused([...TINY, '--seeds', '2', '--out', join(dir, 'x.h5')], /--out with --seeds is a folder/);
    await refused([...TINY, '--seeds', '2'], /--out DIR is required with --seeds/);
    await refused([...TINY, '--seeds', '2', '--partition', 'gpu', '--out', join(dir, 'none')], /--partition needs --slurm/);
    await refused([...TINY, '--seeds', '2', '--hidden', '0', '--out', join(dir, 'none')], /--hidden/);
    const train = join(dir, 'train.h5');
    await refused(['--train', train, '--test', join(dir, 'test.h5'), '--seeds', '2', '--report', train, '--out', join(dir, 'none')], /--report .*train\.h5 is the --train file; it would be overwritten/);
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });

  it('refuses a card of a folder that holds no sweep', async () => {
    const r = await runCli(['sweep', 'card', join(dir, 'missing')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a sweep directory \(no sweep\.json\)/);
  });
});

describe('train --seeds --slurm', () => {
  it('writes the job array of the seeds and says how to make the card after it', async () => {
    const out = join(dir, 'slurm');
    const r = await runCli(['train', ...TINY, '--seeds', '3', '--slurm', '--partition', 'cpu', '--time', '00:10:00', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`sbatch ${join(out, 'sweep.sbatch')}`);
    expect(r.stderr).toContain(`sweep card ${out}`);
    const script = readFileSync(join(out, 'sweep.sbatch'), 'utf8');
    expect(script).toMatch(/#SBATCH --array=0-2/);
    expect(script).toMatch(/#SBATCH --partition=cpu/);
    expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')).spec.grid).toEqual({ seed: [5, 6, 7] });
  });
});
