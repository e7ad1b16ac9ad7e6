/**
 * `encode DIR --out FILE.h5 [--labels from-folders|CSV] [--classes a,b,c] [--channels N] …`: a folder of
 * recordings → one SHD-layout file through the cochlea front end (services/audio/cochlea.ts), with a progress
 * bar. The file passes `info` and trains like SHD.
 */
import { numberFlag, parseFlags, printJson, printUsage, printWarning } from '../args';
import { CliError } from '../cliError';
import type { CliCommand } from '../cliCommand';
import { CountProgress, formatDuration } from '../progressBar';
import { cochleaErrors, DEFAULT_COCHLEA, type CochleaOptions } from '../../shared/cochlea';
import { encodeRecordings } from '../../services/audio/encodeRecordings';
import { listRecordings, type LabelSource } from '../../services/audio/recordingList';

const USAGE = `usage: npm run cli -- encode DIR --out FILE.h5 [options]

  --out FILE.h5        the SHD-layout file to write (written under a temporary name, then renamed)
  --labels SOURCE      from-folders (default): DIR/<class>/*.wav or DIR/<class>/<speaker>/*.wav;
                       or a CSV file with the header file,label[,speaker] (paths relative to DIR)
  --classes a,b,c      class order (label 0 = a, …); default: the names sorted
  --speakers a,b,c     speaker ids (speaker 0 = a, …), the same list for every file of a dataset so that
                       train and test number a voice alike; default: this folder's speakers sorted
  --channels N         filterbank channels (default ${DEFAULT_COCHLEA.channels}, as SHD)
  --low-hz F           lowest centre frequency (default ${DEFAULT_COCHLEA.lowHz})
  --high-hz F          highest centre frequency (default ${DEFAULT_COCHLEA.highHz})
  --max-rate R         spike rate (Hz) of a channel at the loudest level (default ${DEFAULT_COCHLEA.maxRateHz})
  --seed N             seeds the spike encoders' threshold jitter (default ${DEFAULT_COCHLEA.seed})
  --json               the report as one JSON object on stdout

Reads WAV: PCM 8/16/24/32-bit or float 32/64, any channels (mixed to mono), any sample rate (resampled to
${DEFAULT_COCHLEA.sampleRateHz} Hz).`;

const COCHLEA_FLAGS: Record<string, keyof CochleaOptions> = {
  channels: 'channels',
  'low-hz': 'lowHz',
  'high-hz': 'highHz',
  'max-rate': 'maxRateHz',
  seed: 'seed',
};

export const encodeCommand: CliCommand = {
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      {
        out: { type: 'string' },
        labels: { type: 'string' },
        classes: { type: 'string' },
        speakers: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(Object.keys(COCHLEA_FLAGS).map((k) => [k, { type: 'string' as const }])),
      },
      true,
    );
    if (values.help) return printUsage(USAGE);
    if (positionals.length !== 1) throw new CliError(`encode takes one folder (got ${positionals.length})\n\n${USAGE}`, 2);
    const out = values.out as string | undefined;
    if (!out) throw new CliError(`encode needs --out FILE.h5\n\n${USAGE}`, 2);
    const options: CochleaOptions = { ...DEFAULT_COCHLEA };
    for (const [flag, key] of Object.entries(COCHLEA_FLAGS)) {
      const v = numberFlag(flag, (values as Record<string, string | undefined>)[flag]);
      if (v !== undefined) options[key] = v;
    }
    const errors = cochleaErrors(options);
    if (errors.length > 0) {
      const flagOf = (field: string) => Object.entries(COCHLEA_FLAGS).find(([, k]) => k === field)?.[0];
      throw new CliError(errors.map((e) => (flagOf(e.field) ? `--${flagOf(e.field)}: ${e.message}` : e.message)).join('\n'), 2);
    }
    const labels = (values.labels as string | undefined) ?? 'from-folders';
    const source: LabelSource = labels === 'from-folders' ? { kind: 'folders' } : { kind: 'csv', path: labels };
    const classes = values.classes ? (values.classes as string).split(',').map((c) => c.trim()).filter(Boolean) : undefined;
    const speakers = values.speakers ? (values.speakers as string).split(',').map((c) => c.trim()).filter(Boolean) : undefined;
    let list;
    try {
      list = listRecordings(positionals[0], source, classes, speakers);
    } catch (err) {
      throw new CliError((err as Error).message, 1);
    }
    if (!speakers && list.speakerNames) {
      // Each folder numbers its voices from 0: a test folder encoded apart would give other people the same ids.
      const names = list.speakerNames;
      printWarning(
        `${positionals[0]} → ${out}: speaker ids are numbered within this folder alone (${names.slice(0, 3).map((n, i) => `${i}=${n}`).join(', ')}${names.length > 3 ? ', …' : ''}); ` +
          `a file encoded apart numbers its own voices from 0 too, so give every encode of a dataset the same --speakers list (all of its speakers)`,
      );
    }
    const bar = new CountProgress(process.stderr, 'encoding');
    let report;
    try {
      report = encodeRecordings(list, out, options, (p) => bar.update(p.done, p.total, p.name));
    } catch (err) {
      bar.clear();
      throw new CliError((err as Error).message, 1);
    }
    bar.clear();
    if (values.json) {
      printJson(report);
      return 0;
    }
    const lines = [
      `wrote     ${report.out} (${(report.bytes / 1e6).toFixed(1)} MB)`,
      `samples   ${report.samples} (${report.audioS.toFixed(1)} s of audio) in ${formatDuration(report.wallS)}`,
      `classes   ${report.classNames.length}: ${report.classNames.join(', ')}`,
      `speakers  ${report.speakerNames ? `${report.speakerNames.length}: ${report.speakerNames.map((s, i) => `${i}=${s}`).join(', ')}` : 'none'}`,
      `spikes    ${report.spikes} (${(report.spikes / report.samples).toFixed(0)} per sample) on ${options.channels} channels`,
    ];
    if (report.silent.length > 0) lines.push(`silent    ${report.silent.length} recording(s) gave no spikes: ${report.silent.slice(0, 5).join(', ')}${report.silent.length > 5 ? ', …' : ''}`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
