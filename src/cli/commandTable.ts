/** Every CLI command, by name. Each command lives in its own file under commands/. */
import { benchCommand } from './commands/bench';
import { dataCommand } from './commands/data';
import { infoCommand } from './commands/info';

export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  info: infoCommand,
  data: dataCommand,
  bench: benchCommand,
};
