/** What each file under commands/ exports: one command of the CLI. */
export interface CliCommand {
  run(argv: string[]): Promise<number>;
}
