/**
 * `info FILE.h5 [--json] [--channels N]`: what an SHD-layout file holds — samples, classes, channels, spike
 * statistics, duration, speakers, label histogram. Reads and validates the whole file, so it doubles as a
 * check that training will accept it. A dataset name does what it does for train: `info demo` describes the
 * generated demo set (made in memory; there is no file), `info shd` the downloaded file of a split.
 */
import { existsSync } from 'node:fs';
import { parseFlags, printJson, printUsage } from '../args';
import { CliError } from '../cliError';
import type { CliCommand } from '../cliCommand';
import { chooseDataDir } from './data';
import { channelsFlag } from '../trainingData';
import { isCatalogName, type DatasetSplit } from '../../shared/datasets';
import { summarizeFileGuarded } from '../../services/data/fileGuard';
import { DEMO_DEFAULT_SAMPLES, makeDemoDataset } from '../../services/data/demoData';
import { summarize, type DatasetSummary } from '../../services/data/shdReader';

const USAGE = `usage: npm run cli -- info FILE.h5 [--json] [--channels N]
       npm run cli -- info demo|shd|ssc [--split train|test|valid] [--data-dir DIR] [--json]

  --json        one JSON object on stdout (keys samples, classes, channels, spikes_total, spikes_mean,
                spikes_max, max_time, label_counts, …)
  --channels N  input channel count, for files whose units do not reach the top channel (SHD: 700)
  --split S     for a dataset name: which split (default train)
  --data-dir D  where named datasets live (as for \`data fetch\`)

demo is the generated demo set: made in memory from a seed (${DEMO_DEFAULT_SAMPLES.train} training and
${DEMO_DEFAULT_SAMPLES.test} test samples), so it has no file; train on it with \`train --dataset demo\`, evaluate
on it with \`evaluate --data demo\`, sweep on it with "data": {"dataset": "demo"}.`;

const SPLITS: readonly DatasetSplit[] = ['train', 'test', 'valid'];

export const infoCommand: CliCommand = {
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        json: { type: 'boolean' },
        channels: { type: 'string' },
        split: { type: 'string' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    );
    if (values.help) return printUsage(USAGE);
    if (positionals.length !== 1) throw new CliError(`info takes one file (got ${positionals.length})\n\n${USAGE}`, 2);
    const channels = channelsFlag(values.channels);
    const target = positionals[0];
    const key = target.trim().toLowerCase();
    // Names win over paths, as for train: a file literally called "demo" is reached as ./demo.
    const named = key === 'demo' || isCatalogName(key);
    if (!named && (values.split !== undefined || values['data-dir'] !== undefined)) {
      throw new CliError(`--split and --data-dir are for a dataset name (demo, shd, ssc); ${target} is a file`, 2);
    }
    const split = splitFlag(values.split);
    let summary: DatasetSummary;
    let heading = '';
    if (key === 'demo') {
      if (split === 'valid') throw new CliError('the demo set has no valid split (it has train and test)', 2);
      if (channels !== undefined) throw new CliError('--channels is for files: the demo set has its own 700 channels', 2);
      summary = summarize(makeDemoDataset({ split }));
      heading =
        `dataset   demo, ${split} split: the generated demo set, made in memory from seed 0 (not a file); ` +
        'use it as `train --dataset demo` or `evaluate --data demo`';
    } else if (named) {
      const { resolveDatasetPath } = await import('../../services/data/resolveDataset');
      const path = (await resolveDatasetPath(key, { dataDir: chooseDataDir(values['data-dir']).path, split }))!;
      summary = await summarizeFileGuarded(path, { channels });
      heading = `dataset   ${key}, ${split} split`;
    } else {
      if (!existsSync(target)) throw new CliError(`${target}: no such file (info reads an SHD-layout HDF5 file, or a dataset name: demo, shd, ssc)`);
      // Streamed: memory is one chunk of the file, whatever its size (SSC's train file is 2.5 GB).
      summary = await summarizeFileGuarded(target, { channels });
    }
    if (values.json) printJson(summary);
    else process.stdout.write((heading ? `${heading}\n` : '') + formatSummary(summary));
    return 0;
  },
};

function splitFlag(value: string | undefined): DatasetSplit {
  if (value === undefined) return 'train';
  if ((SPLITS as readonly string[]).includes(value)) return value as DatasetSplit;
  throw new CliError(`--split must be ${SPLITS.join(', ')} (got "${value}")`, 2);
}

export function formatSummary(s: DatasetSummary): string {
  const fmt = (x: number, digits: number) => (Number.isInteger(x) ? String(x) : x.toFixed(digits));
  const lines = [
    `file      ${s.file}`,
    `samples   ${s.samples}`,
    `channels  ${s.channels}`,
    `classes   ${s.classes.length}`,
    `spikes    ${s.spikes_total} total; per sample ${fmt(s.spikes_mean, 1)} mean, ${s.spikes_min} min, ${s.spikes_max} max`,
    `duration  ${fmt(s.max_time, 4)} s (latest spike)`,
    s.speakers
      ? `speakers  ${s.speakers.length}: ${s.speakers.map((id) => `${id} (${s.speaker_counts?.[String(id)] ?? 0})`).join(', ')}`
      : 'speakers  none recorded',
    '',
  ];
  const width = Math.max(5, ...s.classes.map((c) => c.length));
  lines.push(`class  ${'name'.padEnd(width)}  samples`);
  s.classes.forEach((name, k) => lines.push(`${String(k).padStart(5)}  ${name.padEnd(width)}  ${String(s.label_counts[k]).padStart(7)}`));
  return lines.join('\n') + '\n';
}
