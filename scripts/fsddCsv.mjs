#!/usr/bin/env node
/**
 * The Free Spoken Digit Dataset (github.com/Jakobovski/free-spoken-digit-dataset: 3 000 real recordings, 6
 * speakers, 8 kHz) as two CSVs for `encode`, with the dataset's own split: recordings 0–4 of each speaker and
 * digit are the test set (300), the rest train (2 700). Usage:
 *   node scripts/fsddCsv.mjs FSDD/recordings OUTDIR   → OUTDIR/train.csv, OUTDIR/test.csv (file,label,speaker)
 * then
 *   npm run cli -- encode FSDD/recordings --labels OUTDIR/train.csv --out fsdd_train.h5   (and test)
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, outDir] = process.argv.slice(2);
if (!dir || !outDir) {
  console.error('usage: node scripts/fsddCsv.mjs FSDD/recordings OUTDIR');
  process.exit(2);
}
const rows = { train: [], test: [] };
for (const f of readdirSync(dir).sort()) {
  const m = /^(\d)_([a-z]+)_(\d+)\.wav$/.exec(f);
  if (!m) continue;
  rows[Number(m[3]) < 5 ? 'test' : 'train'].push(`${f},${m[1]},${m[2]}`);
}
mkdirSync(outDir, { recursive: true });
for (const [split, lines] of Object.entries(rows)) writeFileSync(join(outDir, `${split}.csv`), ['file,label,speaker', ...lines].join('\n') + '\n');
console.log(`train ${rows.train.length}, test ${rows.test.length} → ${outDir}`);
