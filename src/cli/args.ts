/** Flag parsing shared by the CLI commands: node's parseArgs, strict, with messages naming the flag. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cliError';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends FlagSpec>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err), 2);
  }
}

/** A flag that must be a finite number. */
export function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new CliError(`--${name} must be a number (got "${value}")`, 2);
  return x;
}

/** Writes a command's usage to stdout; `--help` exits 0 with it. */
export function printUsage(usage: string): number {
  process.stdout.write(usage + '\n');
  return 0;
}

/** Writes one JSON value to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** A mismatch the run goes on despite: one `warning: …` line on stderr (stdout stays the result alone). */
export function printWarning(line: string): void {
  process.stderr.write(`warning: ${line}\n`);
}
