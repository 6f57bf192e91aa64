/** Runs `flagstone value …` in-process, capturing stdout, stderr and the exit code. */
import { Command, CommanderError } from 'commander';
import { registerValueCommands } from '../../../cli/commands/value.ts';

export async function runValue(
  ...args: string[]
): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  const program = new Command('flagstone')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerValueCommands(program);
  try {
    await program.parseAsync(['value', ...args], { from: 'user' });
    return { out, err, code: 0 };
  } catch (e) {
    if (e instanceof CommanderError) return { out, err, code: e.exitCode };
    throw e;
  }
}
