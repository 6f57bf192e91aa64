/**
 * Hash text forms at the chain boundary. Flagstone writes hashes as 64 lowercase hex digits
 * without a prefix (ledger/hex.ts); the EVM ABI wants `0x`-prefixed bytes32.
 */
import { ChainError } from './errors.ts';

const HEX32 = /^(0x)?[0-9a-fA-F]{64}$/;

/** `abc…` or `0xabc…` (64 hex digits) → `0xabc…` lowercase. */
export function toBytes32(hex: string): string {
  if (!HEX32.test(hex))
    throw new ChainError(`expected a 32-byte hex string, got ${JSON.stringify(hex)}`);
  return `0x${(hex.startsWith('0x') ? hex.slice(2) : hex).toLowerCase()}`;
}

/** `0xabc…` → `abc…` lowercase, the ledger's form. */
export function fromBytes32(hex: string): string {
  return toBytes32(hex).slice(2);
}
