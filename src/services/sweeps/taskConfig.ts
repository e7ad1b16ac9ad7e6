/**
 * A sweep task's command line read as `train` reads it: the same flag parser (node's parseArgs, strict), then
 * train's own config parser (shared/configFlags.ts: `--config`, `--preset`, the flags, configErrors) and its
 * backend check. The CLI's `sweep` refuses a spec with a bad task before any run starts; the app's Sweeps preview
 * marks the bad values; the app refuses to run or write such a sweep.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { TrainConfig } from '../../shared/config';
import { baseConfig, CONFIG_FLAGS, ConfigFlagError, configFromFlags, type FlagProblem } from '../../shared/configFlags';
import { flagArgs, type CheckedSweepTask, type SweepTask } from '../../shared/sweep';
import { BACKEND_PREFERENCES } from '../../shared/workbenchApi';

const text = { type: 'string' } as const;

/** The flags a task's command line may hold: the config flags, the data flags a sweep writes, and the run's own. */
export const TASK_FLAGS = {
  ...CONFIG_FLAGS,
  train: text,
  test: text,
  validation: text,
  dataset: text,
  'data-dir': text,
  channels: text,
  'bin-cache': text,
  backend: text,
  workers: text,
};

/** The config `train` would run with these flags; throws a ConfigFlagError naming every problem. */
export function taskConfig(args: string[]): TrainConfig {
  let values;
  try {
    values = parseArgs({ args, options: TASK_FLAGS, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Node names the option as '--flag' (or '--flag <value>').
    throw new ConfigFlagError([{ flag: /'--([a-z0-9-]+)/.exec(message)?.[1] ?? null, message }]);
  }
  const config = configFromFlags(values, baseConfig(values, (path) => readFileSync(path, 'utf8')));
  const backend = values.backend ?? 'auto';
  if (!(BACKEND_PREFERENCES as readonly string[]).includes(backend)) {
    throw new ConfigFlagError([{ flag: 'backend', message: `--backend must be one of ${BACKEND_PREFERENCES.join(', ')} (got "${backend}")` }]);
  }
  return config;
}

/** Every problem `train` would have with these flags (none: it would run). */
export function taskProblems(args: string[]): FlagProblem[] {
  try {
    taskConfig(args);
    return [];
  } catch (err) {
    if (err instanceof ConfigFlagError) return err.problems;
    return [{ flag: null, message: err instanceof Error ? err.message : String(err) }];
  }
}

/**
 * Each task with its problems, each put on the varied flag that causes it: a problem is a cell's when the task's
 * fixed flags with that one value alone already have it (`--nb-steps 10` below a base readout skip of 10 is the
 * nb-steps cell's, though train names --readout-skip); a problem of the fixed flags themselves, or of a
 * combination of values only, is the task's (flag null).
 */
export function checkTasks(tasks: SweepTask[]): CheckedSweepTask[] {
  const fixedProblems = new Map<string, Set<string>>();
  return tasks.map((task) => {
    const problems = taskProblems(task.args);
    if (!problems.length) return { ...task, problems };
    // expandSweep appends the varied flags after the fixed ones, in the order of `varied`.
    const variedArgs = Object.entries(task.varied).flatMap(([f, v]) => flagArgs(f, v));
    const fixed = task.args.slice(0, task.args.length - variedArgs.length);
    const key = fixed.join('\0');
    if (!fixedProblems.has(key)) fixedProblems.set(key, new Set(taskProblems(fixed).map((p) => p.message)));
    const ofFixed = fixedProblems.get(key)!;
    const placed: FlagProblem[] = [];
    for (const [flag, value] of Object.entries(task.varied)) {
      for (const p of taskProblems([...fixed, ...flagArgs(flag, value)])) {
        if (!ofFixed.has(p.message) && problems.some((q) => q.message === p.message)) placed.push({ flag, message: p.message });
      }
    }
    const rest = problems.filter((p) => !placed.some((q) => q.message === p.message)).map((p) => ({ flag: p.flag !== null && p.flag in task.varied ? p.flag : null, message: p.message }));
    return { ...task, problems: [...placed, ...rest] };
  });
}
