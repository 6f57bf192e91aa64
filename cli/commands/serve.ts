/** `flagstone serve`: run the log service. */
import type { Command } from 'commander';
import { startServer } from '../../server/server.ts';
import { parsePort } from '../options.ts';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the Flagstone log service (SQLite and blobs under the data dir)')
    .option('--port <n>', 'TCP port', parsePort, 8080)
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--data-dir <dir>', 'database, blobs and log key', './data')
    .action(async (opts: { port: number; host: string; dataDir: string }) => {
      const { url } = await startServer({ port: opts.port, host: opts.host, config: { dataDir: opts.dataDir } });
      process.stderr.write(`flagstone serving on ${url} (data in ${opts.dataDir}; API docs at ${url}/docs)\n`);
    });
}
