/**
 * The fuzz suite: seeded corrupted variants (corrupt.ts) of valid data and session files, given to the CLI as a
 * user would (`info`, `evaluate` with a corrupted data file, `evaluate` with a corrupted session). Every run must
 * end within its deadline with a result or a one-line error naming the file: no hang, no crash, no stack trace,
 * no HDF5 diagnostics. CI runs a sample (FUZZ_VARIANTS per file, default 12); `FUZZ_ALL=1` runs 120 per file
 * (600 variants, 840 runs).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_BUNDLE } from '../nodeBundle';
import { corrupt } from './corrupt';
import { scaled } from '../slowdown';

const SEED = 20261201;
const PER_FILE = process.env.FUZZ_ALL ? 120 : Number(process.env.FUZZ_VARIANTS ?? 12);
/** The guard stops a read after this many seconds without progress; a run gets DEADLINE_S in all. */
const STALL_S = 2;
const DEADLINE_S = scaled(30);

const DATA = ['test/fixtures/shd/f16_fixed_keys.h5', 'test/fixtures/shd/f32_vlen_keys.h5', 'test/fixtures/shd/f16_big_endian.h5', 'test/fixtures/sessions/agreement_test.h5'];
const SESSIONS = ['test/fixtures/sessions/agreement_session.h5'];
const GOOD_SESSION = 'test/fixtures/sessions/agreement_session.h5';
const GOOD_DATA = 'test/fixtures/sessions/agreement_test.h5';

const dir = mkdtempSync(join(tmpdir(), 'sw-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

function runCli(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, SPIKING_WORKBENCH_FILE_STALL_S: String(STALL_S) },
    });
    let stderr = '';
    let timedOut = false;
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, DEADLINE_S * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ args, code, signal, stderr, timedOut, ms: Date.now() - t0 });
    });
  });
}

/** Runs the jobs two at a time (the machine has two cores). */
async function all<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < jobs.length) {
        const k = next++;
        out[k] = await jobs[k]();
      }
    }),
  );
  return out;
}

/** What is wrong with an outcome, or null when it is a result or a clean one-line refusal naming `file`. */
function problem(o: Outcome, file: string): string | null {
  if (o.timedOut) return `no answer within ${DEADLINE_S} s`;
  if (o.signal) return `killed by ${o.signal}`;
  if (/HDF5-DIAG|#\d{3}:|^\s+at |\bat .*\.js:\d+/m.test(o.stderr)) return 'a stack trace or HDF5 diagnostics';
  if (o.code === 0) return null;
  if (o.code !== 1 && o.code !== 2) return `exit code ${o.code}`;
  const errors = o.stderr.split('\n').filter((l) => l.startsWith('error: '));
  const other = o.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('error: ') && !l.startsWith('backend '));
  if (errors.length !== 1 || other.length > 0) return `not one error line: ${JSON.stringify(o.stderr.slice(0, 300))}`;
  if (!errors[0].includes(file)) return `the error does not name the file: ${errors[0]}`;
  return null;
}

describe(`fuzz: ${PER_FILE} corrupted variants of each of ${DATA.length} data files and ${SESSIONS.length} session file`, () => {
  it('every run answers in time, with a result or one line naming the file', async () => {
    const jobs: (() => Promise<{ o: Outcome; file: string; what: string }>)[] = [];
    for (const src of [...DATA, ...SESSIONS]) {
      const bytes = new Uint8Array(readFileSync(src));
      const isSession = SESSIONS.includes(src);
      for (let v = 0; v < PER_FILE; v++) {
        const c = corrupt(bytes, SEED, v);
        const file = join(dir, `${src.split('/').pop()!.replace('.h5', '')}-v${v}.h5`);
        writeFileSync(file, c.bytes);
        const what = `${src} variant ${v} (${c.kind}: ${c.detail})`;
        if (isSession) {
          jobs.push(async () => ({ o: await runCli(['evaluate', '--session', file, '--data', GOOD_DATA]), file, what }));
        } else {
          jobs.push(async () => ({ o: await runCli(['info', file]), file, what }));
          // evaluate reads the data for a network (the channels must fit); only for the file the session was trained on.
          if (src === GOOD_DATA) jobs.push(async () => ({ o: await runCli(['evaluate', '--session', GOOD_SESSION, '--data', file]), file, what }));
        }
      }
    }
    const results = await all(jobs);
    const bad = results.map((r) => ({ ...r, why: problem(r.o, r.file) })).filter((r) => r.why);
    const refused = results.filter((r) => r.o.code !== 0).length;
    console.log(`fuzz: ${results.length} runs, ${refused} refused cleanly, ${results.length - refused - bad.length} read fine, ${bad.length} bad; slowest ${Math.max(...results.map((r) => r.o.ms))} ms`);
    expect(bad.map((b) => `${b.o.args[0]} ${b.what}: ${b.why}`)).toEqual([]);
  }, scaled(1_800_000));
});
