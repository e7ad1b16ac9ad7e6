/**
 * `npm run cli -- <command> [flags]`: the headless workbench. Results go to stdout (JSON with --json),
 * progress and logs to stderr; the exit code is non-zero on any error.
 */
import { commands } from './commandTable';
import { CliError } from './cliError';

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return (
    `usage: npm run cli -- <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n'<command> --help' shows its options.\n` +
    `--verbose (any command) also shows what native layers print: Dawn and the Vulkan drivers it probes.`
  );
}

async function main(argv: string[]): Promise<number> {
  // A flag of every command: what Dawn and the drivers print stays captured unless asked for (dawnProbe.ts).
  if (argv.includes('--verbose')) {
    process.env.SPIKING_WORKBENCH_VERBOSE = '1';
    argv = argv.filter((a) => a !== '--verbose');
  }
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`error: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await (await command.load()).run(rest);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message}\n`);
    if (process.env.SW_DEBUG && err instanceof Error && !(err instanceof CliError)) process.stderr.write(`${err.stack}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`fatal: ${err}\n`);
    process.exitCode = 1;
  },
);
