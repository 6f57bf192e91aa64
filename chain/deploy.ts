/**
 * Deploys FlagstoneLedger and RoyaltySplitter from the committed artifacts.
 *
 * Script: `tsx chain/deploy.ts` deploys to `CHAIN_RPC_URL` as `CHAIN_PRIVATE_KEY` and prints the
 * addresses as JSON (`--out FILE` also writes them). `CHAIN_SEED_DELAY` sets the audit seed delay.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Signer, Wallet } from 'ethers';
import { chainConfigFromEnv } from './config.ts';
import { ChainError } from './errors.ts';
import { FlagstoneLedgerClient } from './ledger-client.ts';
import { createProvider } from './provider.ts';
import { RoyaltySplitterClient } from './splitter-client.ts';

/** Blocks between closing training and the audit seed block, by default. */
export const DEFAULT_SEED_DELAY = 4;

/** Addresses of a deployment. */
export interface DeployedAddresses {
  readonly chainId: number;
  readonly flagstoneLedger: string;
  readonly royaltySplitter: string;
  readonly deployer: string;
  readonly seedDelay: number;
  readonly blockNumber: number;
}

/** Deploys both contracts with `signer` (which must be connected to a provider). */
export async function deployContracts(
  signer: Signer,
  opts: { seedDelay?: number } = {},
): Promise<DeployedAddresses> {
  const provider = signer.provider;
  if (!provider) throw new ChainError('deployContracts needs a signer connected to a provider');
  const seedDelay = opts.seedDelay ?? DEFAULT_SEED_DELAY;
  const ledger = await FlagstoneLedgerClient.deploy(signer, seedDelay);
  const splitter = await RoyaltySplitterClient.deploy(signer);
  const network = await provider.getNetwork();
  return {
    chainId: Number(network.chainId),
    flagstoneLedger: ledger.address,
    royaltySplitter: splitter.address,
    deployer: await signer.getAddress(),
    seedDelay,
    blockNumber: await provider.getBlockNumber(),
  };
}

async function main(argv: string[]): Promise<void> {
  const cfg = chainConfigFromEnv();
  if (!cfg.rpcUrl || !cfg.privateKey) {
    throw new ChainError(
      'set CHAIN_RPC_URL and CHAIN_PRIVATE_KEY (or use `npm run chain` for a local node)',
    );
  }
  const provider = await createProvider(cfg.rpcUrl, { timeoutMs: cfg.rpcTimeoutMs });
  try {
    const seedDelay = process.env.CHAIN_SEED_DELAY
      ? Number(process.env.CHAIN_SEED_DELAY)
      : undefined;
    const addresses = await deployContracts(new Wallet(cfg.privateKey, provider), { seedDelay });
    const json = `${JSON.stringify(addresses, null, 2)}\n`;
    const outAt = argv.indexOf('--out');
    if (outAt >= 0 && argv[outAt + 1]) await writeFile(path.resolve(argv[outAt + 1]!), json);
    process.stdout.write(json);
  } finally {
    provider.destroy();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
