/**
 * Reading a session file in the file guard's reader thread (data/fileGuard.ts), so a damaged file cannot hang or
 * crash the process. Here rather than in the guard: the guard is data, and data does not know the engine's
 * Session type; the sessions layer uses the guard, not the other way round.
 */
import type { Session } from '../engine/model/modelState';
import { guarded } from '../data/fileGuard';
import { SpikeFileError } from '../data/hdf5Access';
import type { SessionFileError } from './sessionReader';

/** readSession in the guard; its refusals keep their SessionFileError name and message. */
export function readSessionGuarded(file: string): Promise<Session> {
  return guarded<Session>({ task: 'readSession', file }).catch((err: unknown) => {
    if (err instanceof SpikeFileError) throw Object.assign(new Error(`session file ${file}: ${err.detail}`), { name: 'SessionFileError' }) as SessionFileError;
    throw err;
  });
}
