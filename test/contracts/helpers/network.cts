/**
 * Snapshot fixtures and clock/block helpers for the in-process Hardhat network.
 * `@nomicfoundation/hardhat-network-helpers` is not a dependency, so this is the same idea in
 * a few lines: run a fixture once, snapshot, and revert to the snapshot on every later call.
 */
import { network } from 'hardhat';

type Fixture<T> = () => Promise<T>;
const snapshots = new Map<Fixture<unknown>, { id: string; value: unknown }>();

/** Runs `fixture` once per test file run, then restores its chain state on each call. */
export async function loadFixture<T>(fixture: Fixture<T>): Promise<T> {
  const saved = snapshots.get(fixture);
  if (saved) {
    const ok = (await network.provider.send('evm_revert', [saved.id])) as boolean;
    if (!ok) throw new Error('evm_revert failed');
    // A snapshot can be reverted to once; take it again for the next caller.
    saved.id = (await network.provider.send('evm_snapshot', [])) as string;
    return saved.value as T;
  }
  const value = await fixture();
  const id = (await network.provider.send('evm_snapshot', [])) as string;
  snapshots.set(fixture, { id, value });
  return value;
}

/** Timestamp of the latest block. */
export async function latestTime(): Promise<number> {
  const block = (await network.provider.send('eth_getBlockByNumber', ['latest', false])) as {
    timestamp: string;
  };
  return Number(block.timestamp);
}

/** Latest block number. */
export async function latestBlock(): Promise<number> {
  return Number(await network.provider.send('eth_blockNumber', []));
}

/** Mines one block whose timestamp is exactly `timestamp`. */
export async function mineAt(timestamp: number): Promise<void> {
  await network.provider.send('evm_mine', [timestamp]);
}

/** Sets the next block's timestamp (the next transaction then runs at exactly `timestamp`). */
export async function setNextTime(timestamp: number): Promise<void> {
  await network.provider.send('evm_setNextBlockTimestamp', [timestamp]);
}

/** Mines `count` empty blocks. */
export async function mineBlocks(count: number): Promise<void> {
  await network.provider.send('hardhat_mine', [`0x${count.toString(16)}`]);
}
