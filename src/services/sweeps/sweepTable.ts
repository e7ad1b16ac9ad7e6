/**
 * A sweep spec (shared/sweep.ts) to its task table: the grid's cartesian product (last key fastest) times the
 * random draws, each task's whole `train` command line. Deterministic: the random values are hashes of
 * (spec seed, task index, flag), so the same spec gives the same table on a laptop and on every cluster node.
 * Data paths are made absolute against the spec's folder, so a task runs from any working directory.
 */
import { isAbsolute, resolve } from 'node:path';
import { flagArgs, taskCount, type FlagValue, type RandomDraw, type SweepSpec, type SweepTask } from '../../shared/sweep';
import { mix } from '../random/hashMix';

/** A uniform number in [0, 1) for (seed, task, flag). */
function unit(seed: number, task: number, flag: number): number {
  return mix(mix(seed ^ 0x2545f491) ^ Math.imul(task + 1, 0x9e3779b9) ^ Math.imul(flag + 1, 0x85ebca6b)) / 2 ** 32;
}

/** Six significant digits: what a person would type, and stable through JSON and the command line. */
const round6 = (x: number) => Number(x.toPrecision(6));

export function drawValue(d: RandomDraw, u: number): FlagValue {
  if ('choice' in d) return d.choice[Math.min(d.choice.length - 1, Math.floor(u * d.choice.length))];
  if ('int-uniform' in d) {
    const [lo, hi] = d['int-uniform'];
    return lo + Math.min(hi - lo, Math.floor(u * (hi - lo + 1)));
  }
  if ('log-uniform' in d) {
    const [lo, hi] = d['log-uniform'];
    return round6(Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))));
  }
  const [lo, hi] = d.uniform;
  return round6(lo + u * (hi - lo));
}

/** The data flags of every task (paths absolute, against `specDir`). */
export function dataArgs(spec: SweepSpec, specDir: string): string[] {
  const d = spec.data;
  if ('dataset' in d) return ['--dataset', d.dataset];
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(specDir, p));
  return ['--train', abs(d.train), '--test', abs(d.test), ...(d.validation ? ['--validation', abs(d.validation)] : [])];
}

export function expandSweep(spec: SweepSpec, specDir: string): SweepTask[] {
  const gridKeys = Object.keys(spec.grid ?? {});
  const randomKeys = Object.keys(spec.random ?? {});
  const draws = spec.random ? (spec.draws ?? 1) : 1;
  const n = taskCount(spec);
  const width = Math.max(3, String(n - 1).length);
  const fixed = [
    ...(spec.config ? ['--config', JSON.stringify(spec.config)] : []),
    ...(spec.preset ? ['--preset', spec.preset] : []),
    ...Object.entries(spec.base ?? {}).flatMap(([f, v]) => flagArgs(f, v)),
    ...dataArgs(spec, specDir),
    ...(spec.backend ? ['--backend', spec.backend] : []),
  ];
  const tasks: SweepTask[] = [];
  for (let index = 0; index < n; index++) {
    const varied: Record<string, FlagValue> = {};
    // Grid point: index / draws in mixed radix, the last key fastest.
    let point = Math.floor(index / draws);
    for (let k = gridKeys.length - 1; k >= 0; k--) {
      const values = spec.grid![gridKeys[k]];
      varied[gridKeys[k]] = values[point % values.length];
      point = Math.floor(point / values.length);
    }
    const ordered: Record<string, FlagValue> = {};
    for (const k of gridKeys) ordered[k] = varied[k];
    randomKeys.forEach((k, f) => {
      ordered[k] = drawValue(spec.random![k], unit(spec.seed ?? 0, index, f));
    });
    const args = [...fixed, ...Object.entries(ordered).flatMap(([f, v]) => flagArgs(f, v))];
    tasks.push({ index, id: `t${String(index).padStart(width, '0')}`, varied: ordered, args });
  }
  return tasks;
}
