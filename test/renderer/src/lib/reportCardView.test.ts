import { describe, expect, it } from 'vitest';
import type { ReportCard } from '../../../../src/shared/reportCard';
import { headline } from '../../../../src/shared/reportCardText';
import { cardFileName, cardTableRows } from '../../../../src/renderer/src/lib/reportCardView';

const card: ReportCard = {
  name: 'seeds 2026/03',
  dir: '/d/s',
  created: '2026-03-04T00:00:00Z',
  appVersion: '0.1.0',
  seeds: [0, 1, 2],
  done: 2,
  config: null,
  closestPreset: null,
  protocol: null,
  data: null,
  backend: null,
  rows: [
    { task: 't000', seed: 0, status: 'done', epochsRun: 12, selectedEpoch: 9, stoppedEarly: true, valAcc: 0.9, testAcc: 2100 / 2264, testCorrect: 2100, testSamples: 2264, testInterval: { low: 0.91614, high: 0.93753 }, wallS: 700, session: null },
    { task: 't001', seed: 1, status: 'done', epochsRun: 12, selectedEpoch: 12, stoppedEarly: false, valAcc: 0.92, testAcc: 0.93, testCorrect: 2106, testSamples: 2264, testInterval: { low: 0.92, high: 0.94 }, wallS: 12.34, session: null },
    { task: 't002', seed: 2, status: 'running', epochsRun: 3, selectedEpoch: 3, stoppedEarly: false, valAcc: 0.5, testAcc: 0.5, testCorrect: 1132, testSamples: 2264, testInterval: null, wallS: null, session: null },
  ],
  pooled: { n: 2, meanTestAcc: 0.9287, stdTestAcc: 0.0018, meanInterval: { low: 0.9125, high: 0.9449 }, tQuantile: 12.7, minTestAcc: 0.9275, maxTestAcc: 0.93, meanValAcc: 0.91, totalWallS: 712.34, elapsedS: 700 },
  notes: [],
  warnings: [],
};

describe('report card table', () => {
  it('writes each seed and the pooled row as the card does', () => {
    const t = cardTableRows(card);
    expect(t.seeds[0]).toEqual({ seed: '0', status: 'done, stopped early', selectedEpoch: '9 of 12', valAcc: '90.00 %', testAcc: '92.76 % (2100 / 2264)', interval: '91.61–93.75 %', wall: '11.7 min' });
    expect(t.seeds[1].wall).toBe('12.3 s');
    expect(t.seeds[2]).toMatchObject({ status: 'running', interval: '—', wall: '—' });
    expect(t.pooled).toEqual({ seed: 'mean ± std (2)', status: '2 of 3 done', selectedEpoch: '', valAcc: '91.00 %', testAcc: '92.87 % ± 0.18 %', interval: '91.25–94.49 % (t, of the mean)', wall: '11.9 min total' });
    expect(headline(card)).toBe("Test accuracy at the selected epoch: 92.87 % ± 0.18 % (mean ± std over 2 seeds); 95 % interval of the mean 91.25–94.49 % (Student's t, 1 df).");
  });

  it('names the files after the sweep, safely', () => {
    expect(cardFileName(card, 'csv')).toBe('seeds-2026-03-report-card.csv');
    expect(cardFileName({ ...card, name: '///' }, 'md')).toBe('report-report-card.md');
  });
});
