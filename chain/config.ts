/**
 * Chain settings from the environment (docs/chain.md, "Configuration"). With no
 * `CHAIN_RPC_URL`, callers start the embedded local Hardhat node (local-chain.ts).
 */
import { ChainError } from './errors.ts';

/** Where and as whom to talk to the chain. */
export interface ChainConfig {
  /** JSON-RPC URL; undefined → start a local Hardhat node. */
  readonly rpcUrl?: string;
  /** Hex private key of the operator account (anchors heads, opens jobs for the service). */
  readonly privateKey?: string;
  /** Deployed FlagstoneLedger; undefined → deploy one (local chain only). */
  readonly ledgerAddress?: string;
  /** Deployed RoyaltySplitter; undefined → deploy one (local chain only). */
  readonly splitterAddress?: string;
  /** Port for the local node (`CHAIN_PORT`, default 8545). */
  readonly localPort: number;
  /** Per-request RPC timeout in ms (`CHAIN_RPC_TIMEOUT_MS`, default 10 000). */
  readonly rpcTimeoutMs: number;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const KEY = /^(0x)?[0-9a-fA-F]{64}$/;

/** Reads `CHAIN_RPC_URL`, `CHAIN_PRIVATE_KEY`, `FLAGSTONE_LEDGER_ADDRESS`, `ROYALTY_SPLITTER_ADDRESS`, `CHAIN_PORT`, `CHAIN_RPC_TIMEOUT_MS`. */
export function chainConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ChainConfig {
  const pick = (name: string) =>
    env[name] === undefined || env[name] === '' ? undefined : env[name];
  const rpcUrl = pick('CHAIN_RPC_URL');
  const privateKey = pick('CHAIN_PRIVATE_KEY');
  const ledgerAddress = pick('FLAGSTONE_LEDGER_ADDRESS');
  const splitterAddress = pick('ROYALTY_SPLITTER_ADDRESS');
  if (privateKey !== undefined && !KEY.test(privateKey))
    throw new ChainError('CHAIN_PRIVATE_KEY must be 32 bytes of hex');
  for (const [name, v] of [
    ['FLAGSTONE_LEDGER_ADDRESS', ledgerAddress],
    ['ROYALTY_SPLITTER_ADDRESS', splitterAddress],
  ]) {
    if (v !== undefined && !ADDRESS.test(v))
      throw new ChainError(
        `${name} must be a 0x-prefixed 20-byte address, got ${JSON.stringify(v)}`,
      );
  }
  if (rpcUrl !== undefined && privateKey === undefined) {
    throw new ChainError('CHAIN_RPC_URL is set but CHAIN_PRIVATE_KEY is not');
  }
  return {
    ...(rpcUrl !== undefined ? { rpcUrl } : {}),
    ...(privateKey !== undefined
      ? { privateKey: privateKey.startsWith('0x') ? privateKey : `0x${privateKey}` }
      : {}),
    ...(ledgerAddress !== undefined ? { ledgerAddress } : {}),
    ...(splitterAddress !== undefined ? { splitterAddress } : {}),
    localPort: intFrom(pick('CHAIN_PORT'), 8545, 'CHAIN_PORT', true),
    rpcTimeoutMs: intFrom(pick('CHAIN_RPC_TIMEOUT_MS'), 10_000, 'CHAIN_RPC_TIMEOUT_MS', false),
  };
}

function intFrom(
  v: string | undefined,
  fallback: number,
  name: string,
  allowZero: boolean,
): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < (allowZero ? 0 : 1))
    throw new ChainError(`${name} must be an integer, got ${JSON.stringify(v)}`);
  return n;
}
