/** Every CLI command, by name. Each command lives in its own file under commands/. */
export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {};
