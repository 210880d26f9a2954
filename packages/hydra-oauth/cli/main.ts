import { Command, CommanderError } from 'commander';

import { addClientsCommands } from './clients';
import { addDoctorCommand } from './doctor';
import { EXIT, exitCodeFor } from './exit';
import { processOutput } from './output';

/**
 * `hydra-oauth`: the operator's tool. Every failure ends in one line on stderr and one of the
 * exit codes in exit.ts; stack traces are not for operators.
 */
export async function main(argv: string[]): Promise<number> {
  const out = processOutput();
  const program = new Command('hydra-oauth')
    .description('Operate the demand:hydra-oauth identity provider: OAuth clients and doctor')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  addClientsCommands(program, out);
  addDoctorCommand(program, out);
  for (const command of program.commands) command.exitOverride();
  for (const command of program.commands.flatMap((c) => c.commands)) command.exitOverride();

  try {
    await program.parseAsync(argv, { from: 'user' });
    return out.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    out.error(`hydra-oauth: ${(error as Error).message}`);
    return exitCodeFor(error);
  }
}

const code = await main(process.argv.slice(2));
// Let buffered output reach a pipe before the process ends; open keep-alive sockets would
// otherwise hold it open for seconds.
process.stdout.write('', () => process.exit(code));
