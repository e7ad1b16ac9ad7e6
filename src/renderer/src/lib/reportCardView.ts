/** The report card's table as the Sessions view shows it: one row per seed and the pooled row, as text. */
import type { ReportCard } from '../../../shared/reportCard';
import { pct, pctInterval, seconds } from '../../../shared/reportCardText';

export interface CardTableRow {
  seed: string;
  status: string;
  selectedEpoch: string;
  valAcc: string;
  testAcc: string;
  interval: string;
  wall: string;
}

export function cardTableRows(card: ReportCard): { seeds: CardTableRow[]; pooled: CardTableRow } {
  const p = card.pooled;
  return {
    seeds: card.rows.map((r) => ({
      seed: String(r.seed),
      status: r.status + (r.stoppedEarly ? ', stopped early' : ''),
      selectedEpoch: r.selectedEpoch === null ? '—' : `${r.selectedEpoch} of ${r.epochsRun}`,
      valAcc: pct(r.valAcc),
      testAcc: r.testAcc === null ? '—' : `${pct(r.testAcc)}${r.testCorrect !== null ? ` (${r.testCorrect} / ${r.testSamples})` : ''}`,
      interval: pctInterval(r.testInterval),
      wall: seconds(r.wallS),
    })),
    pooled: {
      seed: `mean ± std (${p.n})`,
      status: `${card.done} of ${card.rows.length} done`,
      selectedEpoch: '',
      valAcc: pct(p.meanValAcc),
      testAcc: p.stdTestAcc === null ? pct(p.meanTestAcc) : `${pct(p.meanTestAcc)} ± ${pct(p.stdTestAcc)}`,
      interval: p.meanInterval ? `${pctInterval(p.meanInterval)} (t, of the mean)` : '—',
      wall: p.totalWallS === null ? '—' : `${seconds(p.totalWallS)} total`,
    },
  };
}

/** The CSV's file name: the sweep's name, safe for a file system. */
export function cardFileName(card: ReportCard, ext: 'csv' | 'md'): string {
  return `${card.name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'report'}-report-card.${ext}`;
}
