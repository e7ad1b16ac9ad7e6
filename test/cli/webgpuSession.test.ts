/**
 * Issue 12's done-criterion through the CLI: a session trained with `--backend webgpu` on an SHD-layout file, then
 * evaluated by `evaluate` on webgpu and on wasm: the same predictions on ≥ 99 % of the test file. Needs an
 * adapter (SwiftShader in CI); skipped with the reason without one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSession } from '../../src/services/sessions/sessionRead';
import { webgpuAvailable } from '../services/engine/webgpuAvailable';
import { runCli } from './cliProcess';

const FIX = 'test/fixtures/sessions';
const dir = mkdtempSync(join(tmpdir(), 'sw-webgpu-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const gpu = await webgpuAvailable();

interface Predictions {
  accuracy: number;
  predictions: number[];
}

describe.skipIf(gpu.ctx === null)(`a session trained on webgpu${gpu.reason ? ` (skipped: ${gpu.reason})` : ''}`, () => {
  it('predicts on webgpu what it predicts on wasm for ≥ 99 % of the test file', async () => {
    const session = join(dir, 'gpu.h5');
    const train = await runCli([
      'train', '--backend', 'webgpu', '--train', `${FIX}/agreement_train.h5`, '--test', `${FIX}/agreement_test.h5`, '--out', session,
      // evaluate.test.ts's model, which learns this 4-class fixture in 5 epochs.
      '--hidden', '12', '--nb-steps', '40', '--max-time', '1.0', '--bins', 'uniform', '--tau-syn', '0.004', '--tau-mem', '0.015', '--surrogate-scale', '50',
      '--batch', '40', '--lr', '0.005', '--epochs', '5', '--seed', '3', '--json',
    ]);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toMatch(/backend webgpu on /);
    expect((await readSession(session)).meta.backend).toBe('webgpu');
    const evaluate = async (backend: string) => {
      const r = await runCli(['evaluate', '--backend', backend, '--session', session, '--data', `${FIX}/agreement_test.h5`, '--json']);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Predictions;
    };
    const [onGpu, onWasm] = [await evaluate('webgpu'), await evaluate('wasm')];
    expect(onGpu.predictions).toHaveLength(300);
    // Trained, not constant: several classes predicted, well above chance.
    expect(new Set(onGpu.predictions).size).toBeGreaterThanOrEqual(3);
    expect(onGpu.accuracy).toBeGreaterThan(0.3);
    const same = onGpu.predictions.filter((p, i) => p === onWasm.predictions[i]).length / onGpu.predictions.length;
    expect(same).toBeGreaterThanOrEqual(0.99);
    // The run's own last test accuracy is the same evaluation, done inside training on the GPU.
    expect((JSON.parse(train.stdout) as { final_test_acc: number }).final_test_acc).toBe(onGpu.accuracy);
  });
});
