/**
 * `train --seeds N`: N runs of one config, seeds S…S+N−1 (S: the config's --seed), as a sweep whose one varied
 * flag is `seed` (shared/seedsSweep.ts) through the `sweep` command's own machinery — the local queue
 * (`--parallel K` at a time) or a SLURM job array (`--slurm`) — then the report card of the seeds
 * (services/reportCard) written beside the runs and printed. A seeds folder is an ordinary sweep folder:
 * `sweep collect` lists it, `sweep card` remakes its card (after the array job, for one).
 */
import { basename, isAbsolute, resolve } from 'node:path';
import { seedsProblem, seedsSpec } from '../shared/seedsSweep';
import type { FlagValue, SweepData } from '../shared/sweep';
import { writeJsonAtomic } from '../services/jsonFile';
import { writeReportCard } from '../services/reportCard/writeCard';
import { expandSweep } from '../services/sweeps/sweepTable';
import { printJson, type FlagSpec } from './args';
import { backendFlag } from './backendFlag';
import { CliError } from './cliError';
import { checkTasks, positive, runSweepHere, slurmFlags, writeSlurmFiles } from './commands/sweep';
import { baseConfig, configFromFlags, type ConfigFlagValues } from './configFlags';

export const SEEDS_FLAGS = {
  seeds: { type: 'string' },
  parallel: { type: 'string' },
  slurm: { type: 'boolean' },
  partition: { type: 'string' },
  time: { type: 'string' },
  cpus: { type: 'string' },
  'max-running': { type: 'string' },
  submit: { type: 'boolean' },
} satisfies FlagSpec;

export const SEEDS_HELP = `repeat with N seeds (a sweep over --seed, run by the sweep command's machinery):
  --seeds N             train N runs of this config, seeds S…S+N−1 (S: --seed), each its own process; --out is
                        then a folder: DIR/tasks/<id>/{session.h5, report.json, log.txt}, and the report card
                        DIR/report-card.md and .csv (mean ± std of the selected epoch's test accuracy, the t
                        interval of the mean, each seed's Wilson interval, config, protocol, data fingerprints,
                        backend, time) is written and printed (--json: the card as JSON; --report FILE: too)
  --parallel K          with --seeds: runs at a time here (default 1); run again to resume
  --slurm               with --seeds: write DIR/sweep.sbatch, a SLURM job array of the N runs, instead of running
                        here; then \`sweep card DIR\` once they are done
  --partition P, --time T, --cpus C, --max-running K, --submit   with --slurm: as for \`sweep slurm\``;

type SeedsValues = ConfigFlagValues & {
  [K in keyof typeof SEEDS_FLAGS]?: (typeof SEEDS_FLAGS)[K]['type'] extends 'boolean' ? boolean : string;
} & {
  train?: string;
  test?: string;
  dataset?: string;
  'data-dir'?: string;
  channels?: string;
  'bin-cache'?: string;
  out?: string;
  resume?: string;
  report?: string;
  workers?: string;
  backend?: string;
  json?: boolean;
};

const SLURM_ONLY = ['partition', 'time', 'cpus', 'max-running', 'submit'] as const;

/** A seeds flag given to a single run is a mistake worth naming, not a flag to ignore. */
export function refuseSeedFlagsAlone(values: SeedsValues): void {
  for (const f of ['parallel', 'slurm', ...SLURM_ONLY] as const) {
    if (values[f] !== undefined) throw new CliError(`--${f} needs --seeds N (it is an option of repeating a run over seeds)`, 2);
  }
}

function seedsData(values: SeedsValues): SweepData {
  const files = values.train !== undefined || values.test !== undefined;
  if (files && values.dataset !== undefined) throw new CliError('give either --dataset or --train and --test, not both', 2);
  if (values.dataset !== undefined) return { dataset: values.dataset };
  if (!values.train || !values.test) throw new CliError('--train FILE and --test FILE are required (or --dataset NAME)', 2);
  return { train: resolve(values.train), test: resolve(values.test) };
}

/** The per-run flags that are not config: they go to every seed's run as they are (paths made absolute). */
function runFlags(values: SeedsValues): Record<string, FlagValue> {
  const base: Record<string, FlagValue> = {};
  if (values.workers !== undefined) base.workers = positive('workers', values.workers)!;
  if (values['data-dir'] !== undefined) base['data-dir'] = isAbsolute(values['data-dir']) ? values['data-dir'] : resolve(values['data-dir']);
  if (values.channels !== undefined) base.channels = values.channels;
  if (values['bin-cache'] !== undefined) base['bin-cache'] = values['bin-cache'];
  return base;
}

export async function runSeeds(values: SeedsValues): Promise<number> {
  const count = Number(values.seeds);
  if (values.resume !== undefined) throw new CliError('--seeds starts new runs; continue one seed with --resume on its session instead', 2);
  if (!values.out) throw new CliError('--out DIR is required with --seeds: the folder of the runs and their report card', 2);
  if (/\.h5$/i.test(values.out)) throw new CliError(`--out with --seeds is a folder for the runs and the card, not a session file (got ${values.out})`, 2);
  if (!values.slurm) for (const f of SLURM_ONLY) if (values[f] !== undefined) throw new CliError(`--${f} needs --slurm`, 2);
  if (values.slurm && values.parallel !== undefined) throw new CliError('--parallel is for runs here; a SLURM array runs its tasks side by side (--max-running caps them)', 2);
  for (const [flag, path] of [['--train', values.train], ['--test', values.test]] as const) {
    if (path && values.report && resolve(path) === resolve(values.report)) throw new CliError(`--report ${values.report} is the ${flag} file; it would be overwritten, so choose another name`, 2);
  }
  const backend = values.backend === undefined ? undefined : backendFlag(values.backend);
  const config = configFromFlags(values, baseConfig(values));
  const problem = seedsProblem(config.seed, count);
  if (problem) throw new CliError(`--seeds ${values.seeds}: ${problem}`, 2);
  const dir = resolve(values.out);
  const spec = seedsSpec({ name: basename(dir), config, seeds: count, data: seedsData(values), ...(backend ? { backend } : {}), base: runFlags(values) });
  const specDir = process.cwd();
  const tasks = expandSweep(spec, specDir);
  checkTasks('--seeds', tasks);
  try {
    if (values.slurm) {
      const code = writeSlurmFiles(dir, spec, specDir, tasks, slurmFlags(values));
      process.stderr.write(`once the array job is done: npm run cli -- sweep card ${dir}\n`);
      return code;
    }
    const { aborted, failed } = await runSweepHere(dir, spec, specDir, tasks, positive('parallel', values.parallel) ?? 1);
    const result = writeReportCard(dir);
    if (values.report) writeJsonAtomic(values.report, result.card);
    if (values.json) printJson(result.card);
    else process.stdout.write(result.markdown);
    process.stderr.write(`report card: ${result.files.markdown}, ${result.files.csv}\n`);
    return aborted ? 130 : failed ? 1 : 0;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}
