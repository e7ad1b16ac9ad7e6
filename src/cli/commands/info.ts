/**
 * `info FILE.h5 [--json] [--channels N]`: what an SHD-layout file holds — samples, classes, channels, spike
 * statistics, duration, speakers, label histogram. Reads and validates the whole file, so it doubles as a
 * check that training will accept it.
 */
import { parseFlags, printJson, printUsage } from '../args';
import { CliError } from '../cliError';
import type { CliCommand } from '../cliCommand';
import { channelsFlag } from '../trainingData';
import { summarizeFileGuarded } from '../../services/data/fileGuard';
import type { DatasetSummary } from '../../services/data/shdReader';

const USAGE = `usage: npm run cli -- info FILE.h5 [--json] [--channels N]

  --json        one JSON object on stdout (keys samples, classes, channels, spikes_total, spikes_mean,
                spikes_max, max_time, label_counts, …)
  --channels N  input channel count, for files whose units do not reach the top channel (SHD: 700)`;

export const infoCommand: CliCommand = {
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      { json: { type: 'boolean' }, channels: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      true,
    );
    if (values.help) return printUsage(USAGE);
    if (positionals.length !== 1) throw new CliError(`info takes one file (got ${positionals.length})\n\n${USAGE}`, 2);
    const channels = channelsFlag(values.channels);
    // Streamed: memory is one chunk of the file, whatever its size (SSC's train file is 2.5 GB).
    const summary = await summarizeFileGuarded(positionals[0], { channels });
    if (values.json) printJson(summary);
    else process.stdout.write(formatSummary(summary));
    return 0;
  },
};

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
