/**
 * The sbatch job-array script of a sweep: array task i runs `node cli.js sweep task DIR i` (the same task runner
 * as a local sweep), its SLURM log in DIR/tasks/<id>/slurm.out. Assumes only the CLI and a filesystem shared by
 * the nodes (the repository, node_modules, the data and DIR at the same paths).
 */
import { shellQuote } from './shellQuote';

export interface SlurmOptions {
  partition?: string;
  /** sbatch --time, e.g. "02:00:00". */
  time?: string;
  cpus?: number;
  /** At most this many array tasks at once (the %K of --array). */
  maxRunning?: number;
  jobName?: string;
}

export function slurmScript(dir: string, tasks: number, node: string, entry: string, o: SlurmOptions): string {
  const idWidth = Math.max(3, String(tasks - 1).length);
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${o.jobName ?? 'sw-sweep'}`,
    `#SBATCH --array=0-${tasks - 1}${o.maxRunning ? `%${o.maxRunning}` : ''}`,
    // %Na is the array index zero-padded to N digits: the task's own folder (made before submission).
    `#SBATCH --output=${dir}/tasks/t%${idWidth}a/slurm.out`,
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
    `#SBATCH --cpus-per-task=${o.cpus ?? 1}`,
    '# Written by `spiking-workbench sweep slurm`; each array task trains one row of tasks.json.',
    'set -euo pipefail',
    `exec ${shellQuote(node)} ${shellQuote(entry)} sweep task ${shellQuote(dir)} "$SLURM_ARRAY_TASK_ID" --slurm "\${SLURM_ARRAY_JOB_ID}_\${SLURM_ARRAY_TASK_ID}"`,
    '',
  ];
  return lines.join('\n');
}
