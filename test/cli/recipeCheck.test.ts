/**
 * The recipe check (scripts/recipeCheck.mjs): every listed recipe on every set, its table written between the
 * doc's markers, each cell the mean of the runs' own reports. Two copies of the small fixture stand in for the
 * development sets; the runs are one tiny epoch each.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scaled } from '../slowdown';

const dir = mkdtempSync(join(tmpdir(), 'recipe-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['scripts/recipeCheck.mjs', '--no-build', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('recipe check', () => {
  it('runs each recipe on each set and writes the table between the markers', async () => {
    const sets = join(dir, 'sets');
    for (const name of ['alpha', 'beta']) {
      mkdirSync(join(sets, name), { recursive: true });
      copyFileSync('test/fixtures/sessions/agreement_train.h5', join(sets, name, 'train.h5'));
      copyFileSync('test/fixtures/sessions/agreement_test.h5', join(sets, name, 'test.h5'));
    }
    const doc = join(dir, 'recipes.md');
    writeFileSync(doc, 'before\n<!-- recipe-check:begin -->\nold table\n<!-- recipe-check:end -->\nafter\n');
    const out = join(dir, 'out');
    const r = await check([
      '--sets', sets, '--seeds', '2', '--recipes', 'seed,reference:1', '--parallel', '2', '--doc', doc, '--out-dir', out,
      '--extra', '--epochs 1 --hidden 10 --nb-steps 30 --max-time 1 --batch 32',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { recipe: string; set: string; seed: number; acc: number }[];
    expect(results).toHaveLength(2 * 2 + 2 * 1);
    // Each result is its run's own report.
    for (const x of results) {
      const report = JSON.parse(readFileSync(join(out, `${x.set}-${x.recipe}-s${x.seed}.json`), 'utf8'));
      expect(report.test_acc_selected).toBe(x.acc);
      expect(report.config.seed).toBe(x.seed);
    }
    const text = readFileSync(doc, 'utf8');
    expect(text.startsWith('before\n<!-- recipe-check:begin -->\nTest accuracy at the selected epoch')).toBe(true);
    expect(text.endsWith('<!-- recipe-check:end -->\nafter\n')).toBe(true);
    expect(text).not.toContain('old table');
    expect(text).toMatch(/\n\| recipe \| what \| alpha \(160 \/ \d+\) \| beta \(160 \/ \d+\) \|\n\| --- \| --- \| --- \| --- \|\n/);
    const mean = (set: string, recipe: string) => {
      const accs = results.filter((x) => x.set === set && x.recipe === recipe).map((x) => x.acc);
      return ((100 * accs.reduce((a, b) => a + b, 0)) / accs.length).toFixed(1);
    };
    const seedRow = text.split('\n').find((l) => l.startsWith('| seed |'))!;
    expect(seedRow).toContain(`| ${mean('alpha', 'seed')} ± `);
    expect(seedRow).toContain(`| ${mean('beta', 'seed')} ± `);
    const refRow = text.split('\n').find((l) => l.startsWith('| reference (1 seed) |'))!;
    expect(refRow).toContain(`| ${mean('alpha', 'reference')} (1 ep, `);
    expect(text).toContain('--recipes seed,reference:1 --extra "--epochs 1');
  }, scaled(240_000));

  it('refuses what it cannot run, in one line', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const none = await check(['--sets', empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`recipe-check: no set in ${empty} has train.h5 and test.h5\n`);
    const bad = await check(['--sets', empty, '--recipes', 'fastest']);
    expect(bad.stderr).toMatch(/^recipe-check: unknown recipe fastest \(known: reference, fast, /);
    expect((await check([])).stderr).toBe('recipe-check: --sets DIR is needed (build it with scripts/makeDevSets.sh)\n');
  });
});
