/**
 * A seeds sweep's folder (shared/seedsSweep.ts) as a report card (shared/reportCard.ts): each task's train
 * report and status give its row; the finished seeds are pooled. Works on a running sweep, or one copied back
 * from a cluster, as well as on a finished one: what is not done is listed, never pooled.
 */
import { SELECTION_RULE, stoppingRule } from '../../shared/modelSelection';
import { existsSync, readFileSync } from 'node:fs';
import type { TrainConfig } from '../../shared/config';
import type { BackendReport, EpochRecord } from '../../shared/events';
import { describeAdapter } from '../../shared/adapterText';
import type { CardProtocol, PooledRow, ReportCard, SeedRow } from '../../shared/reportCard';
import { sweepSeeds } from '../../shared/seedsSweep';
import type { ValidationSplitInfo } from '../../shared/validation';
import { APP_VERSION } from '../sessions/sessionMeta';
import { collectSweep } from '../sweeps/collect';
import { readStatus, readSweepFile, taskFiles } from '../sweeps/sweepDir';
import { closestPreset, configEntries } from './configEntries';
import { meanInterval, wilsonInterval } from './confidence';

/** The fields of a train report (cli/commands/train.ts) a card reads; older reports lack `data`. */
interface ReportFields {
  backend?: BackendReport;
  config?: TrainConfig;
  validation?: ValidationSplitInfo & { description: string };
  history?: EpochRecord[];
  stopped_early?: boolean;
  data?: { name: string; train_fingerprint: string; test_fingerprint: string; train_samples: number; test_samples: number };
}

function readReport(file: string): ReportFields | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ReportFields;
  } catch {
    return null;
  }
}

export function describeBackendReport(b: BackendReport): string {
  return b.adapter ? `${b.name} on ${describeAdapter(b.adapter)}` : `${b.name} (tfjs "${b.tfBackend}")`;
}

/** How the epoch is chosen and when a run stops, as the trainer does it (services/engine/modelSelection.ts). */
function selectionText(kind: string, patience: number): string {
  if (kind === 'none') return "no validation set: each seed's last epoch is reported";
  return `${SELECTION_RULE}; ${stoppingRule(patience)}`;
}

/** Values that differ among seeds, as "a (t000, t001), b (t002)"; null when they all agree. */
function disagreement(values: [task: string, value: string][]): string | null {
  const groups = new Map<string, string[]>();
  for (const [task, v] of values) groups.set(v, [...(groups.get(v) ?? []), task]);
  return groups.size > 1 ? [...groups].map(([v, tasks]) => `${v} (${tasks.join(', ')})`).join(', ') : null;
}

export function buildReportCard(dir: string, now = new Date()): ReportCard {
  const sweep = readSweepFile(dir);
  const seeds = sweepSeeds(sweep.spec);
  if (!seeds) {
    const varied = [...Object.keys(sweep.spec.grid ?? {}), ...Object.keys(sweep.spec.random ?? {})];
    throw new Error(`${dir}: not a seeds sweep (it varies ${varied.join(', ') || 'nothing'}); a report card pools runs that differ in their seed alone`);
  }
  const table = collectSweep(dir);
  const reports = new Map(sweep.tasks.map((t) => [t.id, readReport(taskFiles(dir, t.id).report)]));
  const rows: SeedRow[] = [...table.rows]
    .sort((a, b) => a.index - b.index)
    .map((r) => {
      const rep = reports.get(r.id);
      const testSamples = rep?.data?.test_samples ?? null;
      const testCorrect = r.test_acc_selected !== null && testSamples ? Math.round(r.test_acc_selected * testSamples) : null;
      return {
        task: r.id,
        seed: r.varied.seed as number,
        status: r.status,
        epochsRun: r.epochs,
        selectedEpoch: r.selected_epoch,
        stoppedEarly: rep?.stopped_early === true,
        valAcc: r.val_acc_selected,
        testAcc: r.test_acc_selected,
        testCorrect,
        testSamples,
        testInterval: testCorrect !== null && testSamples ? wilsonInterval(testCorrect, testSamples) : null,
        wallS: r.wall_s,
        session: r.session,
        ...(r.error ? { error: r.error } : {}),
      };
    });

  const done = rows.filter((r) => r.status === 'done' && r.testAcc !== null);
  const doneReports = done.map((r) => [r.task, reports.get(r.task)!] as const).filter(([, rep]) => rep !== null);
  const first = doneReports[0]?.[1] ?? [...reports.values()].find((r) => r !== null) ?? null;
  const config = first?.config ?? null;

  const warnings: string[] = [];
  const unfinished = rows.filter((r) => !done.includes(r));
  if (unfinished.length) {
    const what = unfinished.map((r) => `${r.task} (seed ${r.seed}) ${r.status}${r.error ? `: ${r.error}` : ''}`).join('; ');
    warnings.push(`${done.length} of ${rows.length} seeds done; the pooled row is over those only. Not pooled: ${what}`);
  }
  if (done.length === 1) warnings.push('one seed: no spread or interval across seeds (train more seeds for them)');
  // t(0.975, 1) = 12.71 against 4.30 for 3 seeds: with two, the interval of the mean says little.
  if (done.length === 2) warnings.push('two seeds: the interval of the mean uses t(0.975, 1) = 12.71 and is very wide; 3 seeds give t = 4.30, 5 give 2.78');
  const withoutSize = done.filter((r) => r.testSamples === null);
  if (withoutSize.length) warnings.push(`the reports of ${withoutSize.map((r) => r.task).join(', ')} do not record the test set's size (made by an older version): no per-seed interval`);
  const agree = (what: string, pick: (r: ReportFields) => string | undefined) => {
    const d = disagreement(doneReports.map(([task, r]) => [task, pick(r) ?? '—']));
    if (d) warnings.push(`the seeds differ in ${what}: ${d}`);
  };
  agree('training data', (r) => r.data?.train_fingerprint);
  agree('test data', (r) => r.data?.test_fingerprint);
  agree('backend', (r) => (r.backend ? r.backend.name : undefined));
  agree('config (seed aside)', (r) => (r.config ? JSON.stringify(configEntries({ ...r.config, seed: 0 })) : undefined));

  const protocol: CardProtocol | null =
    first?.validation && config
      ? {
          validation: first.validation.description,
          validationKind: first.validation.kind,
          validationSamples: first.validation.validationSamples,
          selection: selectionText(first.validation.kind, config.patience),
          patience: config.patience,
          epochs: config.epochs,
          epochsRun: rows.map((r) => r.epochsRun),
        }
      : null;

  const accs = done.map((r) => r.testAcc!);
  const stats = accs.length ? meanInterval(accs) : null;
  const vals = done.map((r) => r.valAcc).filter((v): v is number => v !== null);
  const times = done.map((r) => r.wallS).filter((v): v is number => v !== null);
  const spans = done.map((r) => readStatus(dir, r.task)).filter((s) => s?.ended);
  const pooled: PooledRow = {
    n: done.length,
    meanTestAcc: stats?.mean ?? null,
    stdTestAcc: stats?.std ?? null,
    meanInterval: stats?.interval ?? null,
    tQuantile: stats?.t ?? null,
    minTestAcc: accs.length ? Math.min(...accs) : null,
    maxTestAcc: accs.length ? Math.max(...accs) : null,
    meanValAcc: vals.length ? vals.reduce((s, x) => s + x, 0) / vals.length : null,
    totalWallS: times.length ? times.reduce((s, x) => s + x, 0) : null,
    elapsedS: spans.length ? (Math.max(...spans.map((s) => Date.parse(s!.ended!))) - Math.min(...spans.map((s) => Date.parse(s!.started)))) / 1000 : null,
  };

  const n = first?.data?.test_samples;
  const notes = [
    `Per seed: the Wilson 95 % score interval of that seed's test accuracy as a binomial proportion over the ${n ?? 'N'} test samples. It is test-set sampling noise only: where another test set of that size, drawn the same way, could put this one run.`,
    `Pooled: mean ± standard deviation over the ${done.length} seeds (sample std, n − 1), and the 95 % interval of the mean, mean ± t(0.975, n − 1) · std / √n (Student's t). It is seed-to-seed variation (initialisation, shuffling, validation split) on this one test set; it leaves out the test set's own sampling noise.`,
    'Both are 95 % intervals; two results whose intervals overlap are not shown to differ by these runs.',
  ];

  return {
    name: sweep.spec.name ?? dir,
    dir,
    created: now.toISOString(),
    appVersion: APP_VERSION,
    seeds,
    done: done.length,
    config,
    closestPreset: config ? closestPreset(config) : null,
    protocol,
    data: first?.data
      ? { name: first.data.name, trainFingerprint: first.data.train_fingerprint, testFingerprint: first.data.test_fingerprint, trainSamples: first.data.train_samples, testSamples: first.data.test_samples }
      : null,
    backend: first?.backend ? describeBackendReport(first.backend) : null,
    rows,
    pooled,
    notes,
    warnings,
  };
}
