/**
 * Nothing from Dawn, the Vulkan loader or its drivers reaches the user's terminal unless asked for (--verbose):
 * on a headless Linux box (no XDG_RUNTIME_DIR) with Mesa's Vulkan drivers, `train` prints its progress and result
 * alone. Where this machine has no Vulkan driver at all the runs are quiet for a simpler reason, and the webgpu
 * half skips with the reason; CI installs Mesa's drivers and chromium's SwiftShader (scripts/installSystemPackages.sh).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { webgpuAvailable } from '../services/engine/webgpuAvailable';
import { runCli } from './cliProcess';
import { scaled } from '../slowdown';

const dir = mkdtempSync(join(tmpdir(), 'sw-quiet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A headless session's environment: no runtime directory, the drivers the system has (plus the suite's SwiftShader). */
function headless(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.XDG_RUNTIME_DIR;
  return env;
}

/** The lines the CLI itself writes on stderr for these commands; anything else came from below it. */
const OWN = /^(backend |validation: |epoch \d+\/\d+: |trained |webgpu probe |  \| )/;

const FIX = 'test/fixtures/sessions';
const gpu = await webgpuAvailable();

describe('native layers stay quiet', () => {
  it('train (auto backend) prints its progress and result and nothing else', async () => {
    const r = await runCli(['train', '--dataset', 'demo', '--epochs', '1', '--hidden', '16', '--out', join(dir, 'a.h5')], headless());
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => !OWN.test(l))).toEqual([]);
    // What the drivers and Dawn print (our own report may name Vulkan and Dawn in words).
    expect(r.stderr).not.toMatch(/XDG_RUNTIME_DIR is invalid|^Warning: |Loader Message|\.cpp:\d+/m);
    // The report still says, in words, why webgpu was not used.
    expect(lines[0]).toMatch(/^backend \w+.*webgpu skipped: /);
  });

  it.skipIf(gpu.ctx === null)(`--backend webgpu is quiet too, and --verbose shows what each driver printed${gpu.reason ? ` (skipped: ${gpu.reason})` : ''}`, async () => {
    const args = ['evaluate', '--session', join(FIX, 'agreement_session.h5'), '--data', join(FIX, 'agreement_test.h5'), '--backend', 'webgpu'];
    const quiet = await runCli(args, headless());
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr.trim().split('\n').filter((l) => !OWN.test(l))).toEqual([]);
    expect(quiet.stderr).not.toMatch(/webgpu probe /);
    const loud = await runCli([...args, '--verbose'], headless());
    expect(loud.code, loud.stderr).toBe(0);
    // One line per driver the loader would read, each saying what it gave.
    expect(loud.stderr).toMatch(/^webgpu probe \S+\.json: (adapter "|no adapter)/m);
  }, scaled(300_000));
});
