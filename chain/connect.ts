/**
 * One entry point for the service and the CLI: connect to the configured chain, or, when no
 * `CHAIN_RPC_URL` is set, reuse a running `npm run chain` (its `chain.json`) or start an
 * embedded local Hardhat node with fresh contracts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type JsonRpcProvider, Wallet } from 'ethers';
import { type ChainConfig, chainConfigFromEnv } from './config.ts';
import { ChainError } from './errors.ts';
import { FlagstoneLedgerClient } from './ledger-client.ts';
import {
  HARDHAT_DEV_PRIVATE_KEY,
  type LocalChain,
  type LocalChainFile,
  startLocalChain,
} from './local-chain.ts';
import { createProvider, fetchChainId } from './provider.ts';
import { RoyaltySplitterClient } from './splitter-client.ts';

/** A ready connection: provider, operator wallet and both contract clients. */
export interface ChainConnection {
  readonly rpcUrl: string;
  readonly chainId: number;
  readonly provider: JsonRpcProvider;
  readonly signer: Wallet;
  readonly ledger: FlagstoneLedgerClient;
  readonly splitter: RoyaltySplitterClient;
  /** Set when this connection started its own local node. */
  readonly localChain?: LocalChain;
  /** Closes the provider and stops an embedded node. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  readonly config?: ChainConfig;
  /** Where `npm run chain` writes chain.json (default `FLAGSTONE_DATA_DIR` or ./data). */
  readonly dataDir?: string;
}

/** Connects as described in the module comment. */
export async function connectChain(opts: ConnectOptions = {}): Promise<ChainConnection> {
  const cfg = opts.config ?? chainConfigFromEnv();
  if (cfg.rpcUrl) {
    if (!cfg.ledgerAddress || !cfg.splitterAddress) {
      throw new ChainError(
        'CHAIN_RPC_URL needs FLAGSTONE_LEDGER_ADDRESS and ROYALTY_SPLITTER_ADDRESS (deploy with chain/deploy.ts)',
      );
    }
    return open(
      cfg.rpcUrl,
      cfg.privateKey!,
      cfg.ledgerAddress,
      cfg.splitterAddress,
      cfg.rpcTimeoutMs,
    );
  }
  const running = await runningLocalChain(
    opts.dataDir ?? process.env.FLAGSTONE_DATA_DIR ?? './data',
  );
  if (running) {
    return open(
      running.rpcUrl,
      HARDHAT_DEV_PRIVATE_KEY,
      running.flagstoneLedger,
      running.royaltySplitter,
      cfg.rpcTimeoutMs,
    );
  }
  const local = await startLocalChain({ port: cfg.localPort });
  const a = local.addresses!;
  return open(
    local.rpcUrl,
    local.privateKey,
    a.flagstoneLedger,
    a.royaltySplitter,
    cfg.rpcTimeoutMs,
    local,
  );
}

async function open(
  rpcUrl: string,
  privateKey: string,
  ledgerAddress: string,
  splitterAddress: string,
  timeoutMs: number,
  localChain?: LocalChain,
): Promise<ChainConnection> {
  const provider = await createProvider(rpcUrl, { timeoutMs });
  const signer = new Wallet(privateKey, provider);
  const chainId = Number((await provider.getNetwork()).chainId);
  return {
    rpcUrl,
    chainId,
    provider,
    signer,
    ledger: new FlagstoneLedgerClient(ledgerAddress, signer),
    splitter: new RoyaltySplitterClient(splitterAddress, signer),
    ...(localChain ? { localChain } : {}),
    close: async () => {
      provider.destroy();
      await localChain?.stop();
    },
  };
}

/** The chain described by `<dataDir>/chain.json` if it still answers. */
async function runningLocalChain(dataDir: string): Promise<LocalChainFile | undefined> {
  let info: LocalChainFile;
  try {
    info = JSON.parse(
      await readFile(path.join(path.resolve(dataDir), 'chain.json'), 'utf8'),
    ) as LocalChainFile;
  } catch {
    return undefined;
  }
  try {
    return (await fetchChainId(info.rpcUrl, 1_000)) === info.chainId ? info : undefined;
  } catch {
    return undefined;
  }
}
