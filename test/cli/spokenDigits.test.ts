/**
 * Issue 15's accuracy check on data made here: espeak-ng speaks the digits in English and German with 16 voices
 * (scripts/makeSpokenDigits.sh), `encode` turns the folders into SHD-layout files, and the fast recipe trained on
 * 12 voices reaches ≥ 0.93 test accuracy at its selected epoch on the 4 voices it never heard. Skips without
 * espeak-ng (CI installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './cliProcess';
import { missing } from '../systemPackages';
import { scaled } from '../slowdown';

const haveEspeak = missing('espeak-ng') === null;
const dir = mkdtempSync(join(tmpdir(), 'sw-digits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!haveEspeak)('spoken digits (espeak-ng) → encode → train', () => {
  it('reaches ≥ 0.93 at the selected epoch on held-out voices', async () => {
    execFileSync('bash', ['scripts/makeSpokenDigits.sh', dir], { stdio: 'ignore' });
    // One speaker list for both files (the script's 12 training and 4 test voices), so a voice has one id in both.
    const voices = ['m1', 'm2', 'm3', 'm4', 'm5', 'f1', 'f2', 'f3', 'Alex', 'Andy', 'Annie', 'Denis', 'm6', 'm7', 'f4', 'Storm'];
    for (const split of ['train', 'test']) {
      const r = await runCli(['encode', join(dir, split), '--out', join(dir, `${split}.h5`), '--speakers', voices.join(',')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/warning:/);
    }
    const report = join(dir, 'report.json');
    const r = await runCli([
      'train', '--train', join(dir, 'train.h5'), '--test', join(dir, 'test.h5'), '--channels', '700',
      '--preset', 'fast', '--seed', '0',
      '--out', join(dir, 'digits.h5'), '--report', report,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/warning:/);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    console.log(`spoken digits: selected epoch ${rep.selected_epoch}, test accuracy ${rep.test_acc_selected} (last ${rep.final_test_acc})`);
    expect(rep.test_acc_selected).toBeGreaterThanOrEqual(0.93);
  }, scaled(900_000));
});
