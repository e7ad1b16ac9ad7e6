/**
 * `npm run serve [-- --port N] [--data-dir DIR]`: the workbench UI and services for a browser, on
 * 127.0.0.1 only (reach a remote GPU server through an SSH tunnel: `ssh -L N:127.0.0.1:N host`).
 * Prints `Serving on http://127.0.0.1:PORT/?token=…` on stdout; everything else goes to stderr.
 * Settings live in the data dir when --data-dir is given, else in the per-user app folder.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { platformAppDataDir, resolveDataDir } from '../services/data/dataDir';
import { JsonFileSettingsStore } from '../services/settings/settingsStore';
import { nodeForkLauncher } from '../services/workbench/nodeForkLauncher';
import { WorkbenchService } from '../services/workbench/workbenchService';
import { startServeServer } from './server';

export const DEFAULT_PORT = 5179;
export const RENDERER_WEB_DIR = resolve(import.meta.dirname, '../../out/renderer-web');

function usage(): string {
  return 'usage: npm run serve [-- --port N] [--data-dir DIR] [--renderer-dir DIR]\n  --port 0 picks a free port';
}

async function main(argv: string[]): Promise<number> {
  let flags;
  try {
    flags = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, 'renderer-dir': { type: 'string' }, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${usage()}\n`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  const port = flags.port === undefined ? DEFAULT_PORT : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535 || flags.port?.trim() === '') {
    process.stderr.write(`--port must be an integer from 0 to 65535 (got "${flags.port}")\n`);
    return 2;
  }
  const settingsPath = flags['data-dir'] ? join(resolve(flags['data-dir']), 'settings.json') : join(platformAppDataDir(), 'settings.json');
  const settings = new JsonFileSettingsStore(settingsPath);
  for (const p of settings.loadProblems) process.stderr.write(`settings: ${p.message}\n`);
  const dataDir = resolveDataDir({ flag: flags['data-dir'], setting: settings.get().dataDir }).path;

  // Sweep tasks run the CLI bundle that sits beside this one (scripts/buildNode.mjs builds both).
  const sweepCli = { node: process.execPath, entry: join(import.meta.dirname, 'cli.js') };
  const service = new WorkbenchService({ mode: 'serve', dataDir, settings, launch: nodeForkLauncher(), sweepCli });
  const token = randomBytes(24).toString('base64url');
  const files = { dataDir, importSession: (name: string, body: AsyncIterable<Uint8Array>) => service.importSessionUpload(name, body) };
  const running = await startServeServer({ api: service.api, token, port, rendererDir: flags['renderer-dir'] ?? RENDERER_WEB_DIR, files });
  process.stdout.write(`Serving on ${running.url}\n`);
  process.stderr.write(`data dir: ${dataDir}\nsettings: ${settingsPath}\nPress Ctrl+C to stop.\n`);

  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write('stopping: ending the training run cleanly...\n');
  await service.shutdown();
  await running.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`serve: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
