/**
 * A user-defined neuron from the command line: `--neuron-file` reads its program, the run checks its derived
 * backward before the first epoch (a note), trains on the demo set, saves a session that evaluates (and resumes)
 * with the program it carries; a program with a mistake is refused before anything runs, naming the line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSession } from '../../src/services/sessions/sessionRead';
import { runCli } from './cliProcess';
import { ADLIF_PROGRAM } from '../fixtures/customNeurons';

const dir = mkdtempSync(join(tmpdir(), 'custom-neuron-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));



describe('train --neuron-file', () => {
  it('trains a user-defined neuron on demo, checks its backward first, and its session evaluates and resumes', async () => {
    const file = join(dir, 'my-adlif.snn');
    writeFileSync(file, ADLIF_PROGRAM);
    const session = join(dir, 'custom.h5');
    const train = await runCli(['train', '--dataset', 'demo', '--neuron-file', file, '--hidden', '64', '--weight-scale', '4', '--surrogate-scale', '10', '--lr', '0.01', '--epochs', '3', '--validation-fraction', '0', '--out', session]);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout + train.stderr).toMatch(/note: the custom neuron my-adlif: its derived backward agrees with finite differences at all \d+ derivatives checked/);
    const s = await readSession(session);
    expect(s.config.neuron).toBe('custom');
    expect(s.config.customNeuron).toEqual({ name: 'my-adlif', source: ADLIF_PROGRAM, surrogate: 'fast-sigmoid' });
    const final = Number(/final test accuracy ([\d.]+)%/.exec(train.stdout + train.stderr)?.[1]);
    expect(final).toBeGreaterThan(15);
    const ev = await runCli(['evaluate', '--session', session, '--data', 'demo', '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    expect((JSON.parse(ev.stdout) as { accuracy: number }).accuracy * 100).toBeCloseTo(final, 1);
    const resume = await runCli(['train', '--resume', session, '--dataset', 'demo', '--epochs', '4']);
    expect(resume.code, resume.stderr).toBe(0);
    expect((await readSession(session)).epochsDone).toBe(4);
  });

  it('refuses a program with a mistake before anything runs, naming the line', async () => {
    const file = join(dir, 'typo.snn');
    writeFileSync(file, 'state U\nS = spike(U - theta)\nU = U + Jx');
    const r = await runCli(['train', '--dataset', 'demo', '--neuron-file', file, '--epochs', '1', '--out', join(dir, 'x.h5')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--neuron-file ${file}: line 3: unknown name Jx; did you mean J?`);
  });
});
