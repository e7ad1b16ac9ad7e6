/**
 * The flags of the commands that run the network (train, evaluate, bench): --backend picks the tfjs backend,
 * --json prints machine-readable output, --help the usage.
 */
import type { FlagSpec } from './args';
import { CliError } from './cliError';
// Type only: backendSelect loads tfjs, which `--help` and flag errors should not wait for.
import type { BackendPreference } from '../services/engine/backendSelect';

export const BACKEND_COMMAND_FLAGS = {
  json: { type: 'boolean' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies FlagSpec;

const BACKENDS: readonly BackendPreference[] = ['auto', 'gpu', 'native', 'wasm', 'cpu'];

export const BACKEND_HELP = `  --backend auto|gpu|native|wasm|cpu   tfjs backend (auto: the first of gpu, native, wasm, cpu that works)`;

export function backendFlag(value: string | undefined): BackendPreference {
  const v = value ?? 'auto';
  if (!BACKENDS.includes(v as BackendPreference)) throw new CliError(`--backend must be one of ${BACKENDS.join(', ')} (got "${v}")`, 2);
  return v as BackendPreference;
}
