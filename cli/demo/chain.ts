/**
 * Phase 1 — the chain: `connectChain` from chain/ (no CHAIN_RPC_URL → a local Hardhat node with
 * FlagstoneLedger and RoyaltySplitter freshly deployed), plus the few development-chain
 * controls the audit needs (mine blocks for the seed delay, move the clock past a window).
 */
import { type ChainConnection, chainConfigFromEnv, connectChain } from '../../chain/index.ts';
import type { Narrator } from './narrator.ts';
import { eth, short } from './narrator.ts';

export interface ChainPhase {
  readonly chain: ChainConnection;
  readonly seedDelay: number;
}

export async function startChain(say: Narrator, dataDir: string): Promise<ChainPhase> {
  say.phase(1, 'Chain');
  const env = chainConfigFromEnv();
  // A free port unless CHAIN_PORT says otherwise: the demo must not collide with `npm run chain`.
  const config = { ...env, localPort: process.env.CHAIN_PORT ? env.localPort : 0 };
  if (env.rpcUrl) {
    say.note(
      `CHAIN_RPC_URL is set: using ${env.rpcUrl}; the demo needs a Hardhat-compatible dev chain (funded dev accounts, evm_increaseTime)`,
    );
  } else {
    say.line('no CHAIN_RPC_URL: starting a local Hardhat node and deploying the contracts …');
  }
  const chain = await connectChain({ dataDir, config });
  const seedDelay = Number(await chain.ledger.contract.getFunction('seedDelay').staticCall());
  const block = await chain.provider.getBlockNumber();
  say.ok(
    `${chain.localChain ? `local Hardhat node (pid ${chain.localChain.pid})` : 'chain'} at ${chain.rpcUrl}, chain id ${chain.chainId}, block ${block}`,
  );
  say.line(`FlagstoneLedger  ${chain.ledger.address}  (audit seed delay ${seedDelay} blocks)`);
  say.line(`RoyaltySplitter  ${chain.splitter.address}`);
  say.line(
    `operator ${short(chain.signer.address)} holds ${eth(await chain.provider.getBalance(chain.signer.address))}`,
  );
  return { chain, seedDelay };
}

/** Timestamp of the latest block (the contract's clock). */
export async function chainTime(chain: ChainConnection): Promise<number> {
  const block = await chain.provider.getBlock('latest');
  if (!block) throw new Error('the chain returned no latest block');
  return block.timestamp;
}

/** Mines `count` empty blocks (Hardhat's `hardhat_mine`). */
export async function mineBlocks(chain: ChainConnection, count: number): Promise<void> {
  if (count > 0) await chain.provider.send('hardhat_mine', [`0x${count.toString(16)}`]);
}

/**
 * Moves the chain clock so that the next block is at least `timestamp` and mines it
 * (`evm_setNextBlockTimestamp` + `evm_mine`): the windows of the audit are hours long and the
 * demo does not wait for them. Returns the seconds skipped.
 */
export async function advanceTo(chain: ChainConnection, timestamp: number): Promise<number> {
  const now = await chainTime(chain);
  if (now >= timestamp) return 0;
  await chain.provider.send('evm_setNextBlockTimestamp', [timestamp]);
  await chain.provider.send('evm_mine', []);
  return timestamp - now;
}
