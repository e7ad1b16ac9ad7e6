/**
 * Training health on the command line: a silent layer is calibrated at init (a note), and a network that
 * cannot learn says why on stderr at once, one line per finding, never repeated, and in the report.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrainReport } from '../../src/cli/commands/train';
import { runCli } from './cliProcess';

const dir = mkdtempSync(join(tmpdir(), 'sw-train-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('train: health lines', () => {
  it('weight scale 0.001: layer 1 is silent at init, calibrated, and the note says by how much', async () => {
    const r = await runCli(['train', '--dataset', 'demo', '--weight-scale', '0.001', '--reg', '0', '--epochs', '1', '--out', join(dir, 'a.h5')]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => /^(note|warning): /.test(l))).toEqual([
      expect.stringMatching(/^note: layer 1 was silent at initialisation \(0\.00 spikes\/neuron\/s, 100 % of neurons never firing on the first 256 training samples\); its input weights were scaled by \d+ to [\d.]+ spikes\/neuron\/s \(init calibration\)$/),
    ]);
    // Said before the first epoch's line.
    expect(lines.findIndex((l) => l.startsWith('note: '))).toBeLessThan(lines.findIndex((l) => l.startsWith('epoch 1/1')));
  });

  it("two layers with the seed's regularisers: the reason at once, the silent layers as they fall silent, each once", async () => {
    const report = join(dir, 'b.json');
    const r = await runCli(['train', '--dataset', 'demo', '--layers', '2', '--epochs', '3', '--out', join(dir, 'b.h5'), '--report', report]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trim().split('\n');
    const warnings = lines.filter((l) => l.startsWith('warning: '));
    expect(warnings[0]).toMatch(/^warning: layer 1: at initialisation the spike regularisers' gradient on its weights is [\d.]+× the class loss's; .* lower the regularisers \(--reg 0/);
    expect(lines.indexOf(warnings[0])).toBeLessThan(lines.findIndex((l) => l.startsWith('epoch 1/3')));
    expect(warnings.some((w) => /^warning: layer 2 is silent: 0\.00 spikes\/neuron\/s in batch \d of epoch 1 \(not one spike in \d+ samples\)/.test(w))).toBe(true);
    expect(new Set(warnings).size).toBe(warnings.length);
    const json = JSON.parse(readFileSync(report, 'utf8')) as TrainReport;
    expect(json.health.map((h) => `warning: ${h.message}`)).toEqual(warnings);
    expect(json.health[0]).toMatchObject({ kind: 'regulariser', layer: 1, epoch: 0 });
  });
});
