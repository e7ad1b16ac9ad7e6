/**
 * A report card as CSV: one row per seed and a last `pooled` row, every row carrying the constants (dataset,
 * fingerprints, backend, protocol, config) so a row pasted or filtered elsewhere still says what it measured.
 * Accuracies are fractions 0…1 with full precision; `interval` names what ci_low…ci_high is on each row.
 */
import type { ReportCard } from '../../shared/reportCard';

const HEAD = [
  'row', 'seed', 'status', 'epochs_run', 'selected_epoch', 'stopped_early', 'val_acc', 'test_acc', 'test_correct', 'test_samples',
  'std_test_acc', 'ci_low', 'ci_high', 'interval', 'wall_s',
  'dataset', 'train_fingerprint', 'test_fingerprint', 'backend', 'validation', 'patience', 'epochs', 'config',
];

const csvCell = (v: unknown): string => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function cardCsv(card: ReportCard): string {
  const constants = [
    card.data?.name, card.data?.trainFingerprint, card.data?.testFingerprint, card.backend,
    card.protocol?.validation, card.protocol?.patience, card.protocol?.epochs, card.config ? JSON.stringify(card.config) : null,
  ];
  const rows = card.rows.map((r) => [
    'seed', r.seed, r.status, r.epochsRun, r.selectedEpoch, r.stoppedEarly, r.valAcc, r.testAcc, r.testCorrect, r.testSamples,
    null, r.testInterval?.low, r.testInterval?.high, r.testInterval ? 'wilson95 (test sampling, this seed)' : null, r.wallS?.toFixed(1),
    ...constants,
  ]);
  const p = card.pooled;
  rows.push([
    'pooled', card.seeds.join(' '), `${p.n} done`, null, null, null, p.meanValAcc, p.meanTestAcc, null, card.data?.testSamples,
    p.stdTestAcc, p.meanInterval?.low, p.meanInterval?.high, p.meanInterval ? `t95 of the mean over ${p.n} seeds` : null, p.totalWallS?.toFixed(1),
    ...constants,
  ]);
  return [HEAD, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}
