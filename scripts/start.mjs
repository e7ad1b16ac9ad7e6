#!/usr/bin/env node
/**
 * `npm start`: builds and launches the desktop app; where it cannot start (no Electron binary, no display), says
 * why in one line and starts serve mode instead — the same UI in a browser — printing its URL. Arguments after
 * `--` go to serve mode then (`npm start -- --port 0`). `npm run serve` starts serve mode directly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, electronBinary } from './electronBinary.mjs';

const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Runs a long-lived child with this terminal, passes Ctrl+C on, exits with its code. */
function hand(cmd, args) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const found = electronBinary();
if ('path' in found) {
  run(bin('electron-vite'), ['build']);
  hand(found.path, ['.', ...process.argv.slice(2)]);
} else {
  process.stderr.write(
    `npm start: the desktop app cannot start here: ${found.reason}.\n` +
      'Starting serve mode instead (the same app in your browser; `npm run serve` starts it directly). Open the URL below.\n',
  );
  run(bin('vite'), ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn']);
  run(process.execPath, [join(ROOT, 'scripts', 'buildNode.mjs')]);
  hand(process.execPath, [join(ROOT, 'out', 'node', 'serve.js'), ...process.argv.slice(2)]);
}
