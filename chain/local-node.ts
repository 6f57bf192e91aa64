/**
 * `npm run chain`: starts a local Hardhat node on 127.0.0.1 (`CHAIN_PORT`, default 8545),
 * deploys the contracts, writes `<FLAGSTONE_DATA_DIR>/chain.json` (default ./data) and runs until
 * SIGINT/SIGTERM. Other processes read the file, or take the printed env lines.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chainConfigFromEnv } from './config.ts';
import { type LocalChainFile, startLocalChain } from './local-chain.ts';

async function main(): Promise<void> {
  const cfg = chainConfigFromEnv();
  const dataDir = path.resolve(process.env.FLAGSTONE_DATA_DIR ?? './data');
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, 'chain.json');
  const chain = await startLocalChain({
    port: cfg.localPort,
    logFile: path.join(dataDir, 'hardhat-node.log'),
  });
  const a = chain.addresses!;
  const info: LocalChainFile = {
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    pid: chain.pid,
    flagstoneLedger: a.flagstoneLedger,
    royaltySplitter: a.royaltySplitter,
    deployer: a.deployer,
    seedDelay: a.seedDelay,
  };
  await writeFile(file, `${JSON.stringify(info, null, 2)}\n`);
  console.log(`local chain ${chain.rpcUrl} (chain id ${chain.chainId}), addresses in ${file}`);
  console.log(`CHAIN_RPC_URL=${chain.rpcUrl}`);
  console.log(`FLAGSTONE_LEDGER_ADDRESS=${a.flagstoneLedger}`);
  console.log(`ROYALTY_SPLITTER_ADDRESS=${a.royaltySplitter}`);
  console.log(`CHAIN_PRIVATE_KEY=${chain.privateKey}  # Hardhat's public dev key; local use only`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping local chain`);
    await chain.stop();
    await rm(file, { force: true });
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
