/**
 * `--bin-cache on` (what files over 1 GB get under `auto`) trains and evaluates exactly as `off`: same history,
 * weights and predictions; the cache is built once next to the data and reused; resume stays on its path.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainReport } from '../../src/cli/commands/train';
import { readSession } from '../../src/services/sessions/sessionRead';
import { runCli, type CliRun } from './cliProcess';

const FIX = 'test/fixtures/sessions';
const dir = mkdtempSync(join(tmpdir(), 'sw-bincache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
for (const f of ['agreement_train.h5', 'agreement_test.h5']) copyFileSync(join(FIX, f), join(dir, f));
const DATA = ['--train', join(dir, 'agreement_train.h5'), '--test', join(dir, 'agreement_test.h5')];
const MODEL = ['--hidden', '10', '--nb-steps', '30', '--max-time', '1', '--batch', '32', '--lr', '0.005', '--seed', '5', '--epochs', '2'];
const ok = (r: CliRun) => expect(r.code, r.stderr).toBe(0);
const untimed = (r: TrainReport) => r.history.map(({ train_s: _a, eval_s: _b, ...h }) => h);

describe('--bin-cache', () => {
  it('on trains and evaluates as off, builds the caches once next to the data, and reuses them', async () => {
    const off = await runCli(['train', ...DATA, ...MODEL, '--bin-cache', 'off', '--out', join(dir, 'off.h5'), '--json']);
    ok(off);
    const on = await runCli(['train', ...DATA, ...MODEL, '--bin-cache', 'on', '--out', join(dir, 'on.h5'), '--json']);
    ok(on);
    expect(on.stderr).toMatch(/binning \d+\/\d+/);
    const caches = readdirSync(dir).filter((f) => f.endsWith('.swbins'));
    expect(caches.sort()).toEqual(['.agreement_test.h5.30x1s-spytorch.swbins', '.agreement_train.h5.30x1s-spytorch.swbins']);
    const [a, b] = [JSON.parse(off.stdout) as TrainReport, JSON.parse(on.stdout) as TrainReport];
    expect(untimed(b)).toEqual(untimed(a));
    expect(b.validation).toEqual(a.validation);
    const [sa, sb] = [await readSession(join(dir, 'off.h5')), await readSession(join(dir, 'on.h5'))];
    expect([...sb.params.flat]).toEqual([...sa.params.flat]);
    // The two paths name the data by different fingerprint schemes.
    expect(sb.meta.dataset.fingerprint).toMatch(/^sha256s:/);
    expect(sa.meta.dataset.fingerprint).toMatch(/^sha256:/);

    const again = await runCli(['train', ...DATA, ...MODEL, '--bin-cache', 'on', '--out', join(dir, 'again.h5'), '--json']);
    ok(again);
    expect(again.stderr).not.toMatch(/binning/);
    const resumed = await runCli(['train', '--resume', join(dir, 'on.h5'), ...DATA, '--bin-cache', 'on', '--epochs', '3', '--json']);
    ok(resumed);

    const evalOff = await runCli(['evaluate', '--session', join(dir, 'off.h5'), '--data', join(dir, 'agreement_test.h5'), '--bin-cache', 'off', '--json']);
    const evalOn = await runCli(['evaluate', '--session', join(dir, 'off.h5'), '--data', join(dir, 'agreement_test.h5'), '--bin-cache', 'on', '--json']);
    ok(evalOff);
    ok(evalOn);
    expect(JSON.parse(evalOn.stdout)).toEqual(JSON.parse(evalOff.stdout));
  });

  it('refuses a bad mode and the demo set, and augmentation from a cache, in one line', async () => {
    const bad = await runCli(['train', ...DATA, ...MODEL, '--bin-cache', 'maybe', '--out', join(dir, 'x.h5')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--bin-cache must be auto, on, off \(got "maybe"\)/);
    const demo = await runCli(['train', '--dataset', 'demo', ...MODEL, '--bin-cache', 'on', '--out', join(dir, 'x.h5')]);
    expect(demo.code).toBe(2);
    expect(demo.stderr).toMatch(/--bin-cache on needs files: the demo set is generated in memory/);
    const aug = await runCli(['train', ...DATA, ...MODEL, '--bin-cache', 'on', '--aug-channel-shift', '2', '--out', join(dir, 'x.h5')]);
    expect(aug.code).toBe(1);
    expect(aug.stderr).toMatch(/augmentation changes spike times before binning, but this file trains from its bin cache/);
  });
});
