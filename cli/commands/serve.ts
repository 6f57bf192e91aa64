/** `flagstone serve`: run the log service, anchoring on a chain unless --no-chain. */
import type { Command } from 'commander';
import { startServer } from '../../server/server.ts';
import { parsePort, parsePositiveInt } from '../options.ts';

interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  chain: boolean;
  anchorEvery?: number;
  anchorMs?: number;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'run the Flagstone log service (SQLite and blobs under the data dir) and anchor heads on chain',
    )
    .option('--port <n>', 'TCP port', parsePort, 8080)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'database, blobs and log key', './data')
    .option('--no-chain', 'do not anchor (no CHAIN_RPC_URL and no local Hardhat node)')
    .option('--anchor-every <n>', 'anchor after this many new entries', parsePositiveInt)
    .option(
      '--anchor-ms <ms>',
      'anchor pending entries after this many milliseconds',
      parsePositiveInt,
    )
    .action(async (opts: ServeOptions) => {
      const server = await startServer({
        port: opts.port,
        host: opts.host,
        config: { dataDir: opts.dataDir },
        chain: opts.chain,
        anchorEveryEntries: opts.anchorEvery,
        anchorEveryMs: opts.anchorMs,
      });
      const chainNote = server.chain
        ? `; anchoring on ${server.chain.rpcUrl} (ledger ${server.chain.ledger.address})`
        : '; no chain';
      process.stderr.write(
        `flagstone serving on ${server.url} (data in ${opts.dataDir}${chainNote}; API docs at ${server.url}/docs)\n`,
      );
    });
}
