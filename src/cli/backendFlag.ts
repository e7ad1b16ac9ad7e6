/**
 * The flags of the commands that run the network (train, evaluate, bench): --backend picks where it runs,
 * --json prints machine-readable output, --help the usage.
 */
import type { FlagSpec } from './args';
import { CliError } from './cliError';
import type { BackendName } from '../shared/events';
// From the shared contract, not backendSelect: that loads tfjs, which `--help` and flag errors should not wait for.
import { BACKEND_PREFERENCES, type BackendPreference } from '../shared/workbenchApi';

export const BACKEND_COMMAND_FLAGS = {
  json: { type: 'boolean' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies FlagSpec;

export const BACKEND_HELP = `  --backend auto|webgpu|gpu|native|wasm|cpu
                        where the engine runs (auto: the first of webgpu, gpu, native, wasm, cpu that
                        works; webgpu: any GPU through WebGPU, a CPU emulation only when named)`;

/** Worker threads split batches of the CPU loops; on webgpu the GPU takes whole batches. */
export function workersFor(backend: BackendName, flag: number | undefined, cpuDefault: () => number): number {
  if (backend === 'webgpu') {
    if (flag !== undefined && flag > 1) throw new CliError(`--workers splits batches over CPU threads; the webgpu backend runs each batch on the GPU (drop --workers or use --workers 1)`, 2);
    return 1;
  }
  return flag ?? cpuDefault();
}

export function backendFlag(value: string | undefined): BackendPreference {
  const v = value ?? 'auto';
  if (!BACKEND_PREFERENCES.includes(v as BackendPreference)) throw new CliError(`--backend must be one of ${BACKEND_PREFERENCES.join(', ')} (got "${v}")`, 2);
  return v as BackendPreference;
}
