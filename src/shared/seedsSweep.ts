/**
 * A seeds run ("train --seeds N", the app's "Repeat with N seeds"): a sweep (sweep.ts) whose one varied flag is
 * `seed`, seeds S, S+1, …, S+N−1 with S the config's own seed, every other option the config's. It runs through
 * the sweep machinery (local queue or SLURM array) like any sweep; what makes it one is the grid, so a report
 * card can be made of any sweep that varies the seed alone, whoever wrote its spec.
 */
import type { TrainConfig } from './config';
import type { FlagValue, SweepData, SweepSpec } from './sweep';

/** Most seeds one run takes: a card pools a handful; hundreds would be a sweep of its own. */
export const MAX_SEEDS = 100;

export interface SeedsRequest {
  name?: string;
  config: TrainConfig;
  seeds: number;
  data: SweepData;
  /** train's --backend (default auto). */
  backend?: string;
  /** Other per-run flags that are not config (workers, data-dir, bin-cache, channels). */
  base?: Record<string, FlagValue>;
}

/** The seeds S…S+N−1 of a config. */
export function seedList(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}

/** Why `count` seeds from `first` cannot run, or null. */
export function seedsProblem(first: number, count: number): string | null {
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_SEEDS)) return `the number of seeds must be an integer from 1 to ${MAX_SEEDS} (got ${count})`;
  if (first + count - 1 > 0xffffffff) return `seeds ${first}…${first + count - 1} pass the largest seed, 4294967295`;
  return null;
}

/** The sweep spec of a seeds run: the whole config as its base, the seeds as its one grid key. */
export function seedsSpec(r: SeedsRequest): SweepSpec {
  const problem = seedsProblem(r.config.seed, r.seeds);
  if (problem) throw new Error(problem);
  return {
    name: r.name ?? `${r.seeds} seeds`,
    config: r.config,
    ...(r.base && Object.keys(r.base).length ? { base: r.base } : {}),
    grid: { seed: seedList(r.config.seed, r.seeds) },
    data: r.data,
    ...(r.backend ? { backend: r.backend } : {}),
  };
}

/** The seeds of a sweep that varies `seed` alone (grid only, no random draws), else null. */
export function sweepSeeds(spec: SweepSpec): number[] | null {
  const grid = Object.keys(spec.grid ?? {});
  if (grid.length !== 1 || grid[0] !== 'seed' || spec.random) return null;
  const seeds = spec.grid!.seed;
  return seeds.every((s) => typeof s === 'number' && Number.isInteger(s)) ? (seeds as number[]) : null;
}
