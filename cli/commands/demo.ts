/**
 * `flagstone demo` (`npm run demo`): the whole protocol on embedded defaults — a local Hardhat
 * node with the contracts, the log service in-process, real TF.js training on bundled penguins
 * data, anchoring, a capture-the-flag audit with two verifiers, an invoice check and Shapley
 * royalties paid through RoyaltySplitter. The phases live in cli/demo/.
 *
 * Output: a narrative on stdout; with --json the narrative goes to stderr and stdout carries one
 * JSON summary. Exit code 0 when every phase held, 1 with `error: …` otherwise.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { parseEther } from 'ethers';
import { parsePositiveInt } from '../options.ts';
import { DEFAULT_DEMO_OPTIONS, runDemo, type DemoOptions } from '../demo/run.ts';

interface DemoFlags {
  dataDir?: string;
  steps: number;
  interval: number;
  flags: number;
  audits?: number;
  valuationSteps: number;
  pool: string;
  json: boolean;
}

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`not a count: ${v}`);
  return n;
}

function parseAudits(v: string): number {
  const n = parsePositiveInt(v);
  if (n > 64)
    throw new InvalidArgumentError(`at most 64 audit slots (the contract's MAX_AUDITS), got ${v}`);
  return n;
}

function parseEth(v: string): string {
  try {
    if (parseEther(v) <= 0n) throw new Error('not positive');
  } catch {
    throw new InvalidArgumentError(`not a positive ETH amount: ${v}`);
  }
  return v;
}

export function registerDemoCommand(program: Command): void {
  const d = DEFAULT_DEMO_OPTIONS;
  program
    .command('demo')
    .description(
      'run the whole protocol locally: chain, log service, training, anchoring, audit, invoice, royalties',
    )
    .option(
      '--data-dir <dir>',
      'keep the service data here (default: a temp dir, removed at the end)',
    )
    .option('--steps <n>', 'training steps', parsePositiveInt, d.steps)
    .option('--interval <k>', 'steps per entry (k)', parsePositiveInt, d.interval)
    .option('--flags <n>', 'flagged entries planted by the trainer', parseCount, d.flags)
    .option(
      '--audits <q>',
      `audit slots (default: planned to catch ${d.auditFraction * 100} % faked segments with ${d.auditConfidence * 100} % confidence)`,
      parseAudits,
    )
    .option(
      '--valuation-steps <n>',
      'training steps of each coalition model in the Shapley valuation',
      parsePositiveInt,
      d.valuationSteps,
    )
    .option('--pool <eth>', 'royalty pool in ETH', parseEth, '1')
    .option(
      '--json',
      'print a machine-readable summary on stdout (the narrative goes to stderr)',
      false,
    )
    .action(async (f: DemoFlags, cmd: Command) => {
      if (f.steps < f.interval)
        cmd.error(
          `error: --steps (${f.steps}) must be at least --interval (${f.interval}) so that there is a segment to audit`,
        );
      const options: DemoOptions = {
        ...d,
        ...(f.dataDir !== undefined ? { dataDir: f.dataDir } : {}),
        steps: f.steps,
        interval: f.interval,
        flags: f.flags,
        valuationSteps: f.valuationSteps,
        ...(f.audits !== undefined ? { audits: f.audits } : {}),
        pool: parseEther(f.pool),
      };
      const narrative = f.json ? process.stderr : process.stdout;
      try {
        const summary = await runDemo(options, narrative);
        if (f.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        process.exitCode = 0;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        process.stderr.write(`\nerror: the demo failed: ${message}\n`);
        if (e instanceof Error && e.stack && process.env.FLAGSTONE_DEBUG)
          process.stderr.write(`${e.stack}\n`);
        if (f.json) process.stdout.write(`${JSON.stringify({ ok: false, error: message })}\n`);
        process.exitCode = 1;
      }
    });
}
