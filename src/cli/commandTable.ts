/** Every CLI command, by name. Each command lives in its own file under commands/. */
import { benchCommand } from './commands/bench';
import { dataCommand } from './commands/data';
import { evaluateCommand } from './commands/evaluate';
import { infoCommand } from './commands/info';
import { trainCommand } from './commands/train';

export interface CliCommand {
  summary: string;
  run(argv: string[]): Promise<number>;
}

export const commands: Record<string, CliCommand> = {
  info: infoCommand,
  data: dataCommand,
  train: trainCommand,
  evaluate: evaluateCommand,
  bench: benchCommand,
};
