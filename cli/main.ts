/** The `flagstone` command. Each command group lives in cli/commands/<group>.ts. */
import { Command } from 'commander';
import { registerServeCommand } from './commands/serve.ts';
import { registerLogCommands } from './commands/log.ts';
import { registerValueCommands } from './commands/value.ts';
import { registerTrainCommands } from './commands/train.ts';
import { registerDemoCommand } from './commands/demo.ts';

export function buildProgram(): Command {
  const program = new Command('flagstone')
    .description(
      'verifiable outsourced training: transparency log, anchoring, audits and royalties',
    )
    .showHelpAfterError();
  registerServeCommand(program);
  registerLogCommands(program);
  registerValueCommands(program);
  registerTrainCommands(program);
  registerDemoCommand(program);
  return program;
}

await buildProgram().parseAsync(process.argv);
