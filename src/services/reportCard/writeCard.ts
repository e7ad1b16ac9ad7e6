/** Builds a seeds sweep's card and writes it beside the sweep: DIR/report-card.md and DIR/report-card.csv. */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportCardResult } from '../../shared/reportCard';
import { buildReportCard } from './buildCard';
import { cardCsv } from './cardCsv';
import { cardMarkdown } from './cardMarkdown';

export const cardFiles = (dir: string) => ({ markdown: join(dir, 'report-card.md'), csv: join(dir, 'report-card.csv') });

/** Written to a temp name and renamed: the app may read the card while a seed's end rewrites it. */
function writeTextAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

export function writeReportCard(dir: string, now = new Date()): ReportCardResult {
  const card = buildReportCard(dir, now);
  const markdown = cardMarkdown(card);
  const csv = cardCsv(card);
  const files = cardFiles(dir);
  writeTextAtomic(files.markdown, markdown);
  writeTextAtomic(files.csv, csv);
  return { card, markdown, csv, files };
}
