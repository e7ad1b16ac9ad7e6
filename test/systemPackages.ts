/**
 * The system packages some tests need, each with how to check for it and how to install it. Where one is missing,
 * the tests that need it skip and say so in one line naming the package and its install command (printed once per
 * run of a test file); everything else still runs. `bash scripts/installSystemPackages.sh` installs them all.
 */
import { spawnSync } from 'node:child_process';
import { onPath } from './onPath';
import { pythonMissing, referenceMissing } from './services/sessions/referencePython';

export const INSTALL_ALL = 'bash scripts/installSystemPackages.sh';
/** Debian's chromium (Playwright cannot download its own browsers here), as PATH finds it. */
export const CHROMIUM = onPath('chromium') ?? 'chromium';

type Need = 'chromium' | 'espeak-ng' | 'h5py' | 'reference' | 'slurm';

/** Which Debian packages bring each need, and what else to run after installing them (null: the reason says it). */
const INSTALL: Record<Need, string | null> = {
  chromium: 'apt-get install chromium',
  'espeak-ng': 'apt-get install espeak-ng',
  h5py: null,
  reference: null,
  slurm: 'apt-get install slurm-wlm munge, then bash scripts/slurmLocal.sh (root; starts a one-node test cluster)',
};

function check(need: Need): string | null {
  switch (need) {
    case 'chromium':
      return onPath('chromium') ? null : 'chromium is not on PATH';
    case 'espeak-ng': {
      const r = spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' });
      return r.status === 0 ? null : 'espeak-ng is not on PATH';
    }
    case 'h5py':
      return pythonMissing(['numpy', 'h5py'], { quiet: true });
    case 'reference':
      return referenceMissing({ quiet: true });
    case 'slurm': {
      const r = spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8' });
      if (r.error) return 'sinfo is not on PATH (no SLURM here)';
      if (r.status !== 0) return `no SLURM cluster answers (sinfo: ${r.stderr.trim().split('\n')[0]})`;
      return /idle|mixed|allocated/.test(r.stdout) ? null : `no SLURM node is up (${r.stdout.trim()})`;
    }
  }
}

const seen = new Map<Need, string | null>();

/**
 * null when `need` is here; otherwise the skip line ("need chromium: /usr/bin/chromium is missing; install:
 * apt-get install chromium (or every optional package: bash scripts/installSystemPackages.sh)"), warned once.
 */
export function missing(need: Need): string | null {
  if (!seen.has(need)) {
    const why = check(need);
    const install = INSTALL[need];
    const line = why && `need ${need}: ${why}${install ? `; install: ${install} (or every optional package: ${INSTALL_ALL})` : ''}`;
    if (line) console.warn(`skipping tests that ${line}`);
    seen.set(need, line);
  }
  return seen.get(need) ?? null;
}

/** The skip line for the webgpu tests when no adapter was found (`reason` from openGpu). */
export function noAdapterLine(reason: string): string {
  return `need a WebGPU adapter: ${reason}; install: a GPU's Vulkan driver, or apt-get install chromium libvulkan1 for SwiftShader (or ${INSTALL_ALL})`;
}
