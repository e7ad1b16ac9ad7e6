/** Validators of the sweep payloads: a sweep spec, a local or SLURM run request, a task id. */
import { sweepSpecErrors } from '../sweep';
import { absolutePathErrors, checkInt, checkKeys, isRecord, short, type Problems } from './fieldChecks';

export function sweepSpecProblems(v: unknown, field: string): Problems {
  return sweepSpecErrors(v).map((message) => ({ field, message: `${field}: ${message}` }));
}

/** SLURM option values go into an sbatch script: plain words only. */
const SLURM_WORD = /^[A-Za-z0-9_:.,-]{1,64}$/;

/** Checks a `sweeps.run` request, or a `sweeps.writeSlurm` one when `slurm`. */
export function sweepRequestErrors(v: unknown, slurm: boolean): Problems {
  const out: Problems = [];
  if (!isRecord(v)) return [{ field: 'request', message: 'request must be an object' }];
  checkKeys(v, slurm ? ['spec', 'dir', 'partition', 'time', 'cpus', 'maxRunning'] : ['spec', 'dir', 'parallel'], '', out);
  out.push(...sweepSpecProblems(v.spec, 'spec'), ...absolutePathErrors(v.dir, 'dir'));
  if (!slurm) checkInt(v.parallel, 'parallel', 1, 64, out);
  for (const k of ['partition', 'time'] as const) {
    if (slurm && v[k] !== undefined && !(typeof v[k] === 'string' && SLURM_WORD.test(v[k] as string))) out.push({ field: k, message: `${k} must be a word of letters, digits and _:.,- (got ${short(v[k])})` });
  }
  if (slurm && v.cpus !== undefined) checkInt(v.cpus, 'cpus', 1, 1024, out);
  if (slurm && v.maxRunning !== undefined) checkInt(v.maxRunning, 'maxRunning', 1, 100_000, out);
  return out;
}

const TASK_ID = /^t[0-9]{3,5}$/;

export function taskIdErrors(v: unknown): Problems {
  return typeof v === 'string' && TASK_ID.test(v) ? [] : [{ field: 'taskId', message: `taskId must be a task id like t003 (got ${short(v)})` }];
}
