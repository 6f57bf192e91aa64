/**
 * Capture-the-flag commitments (DESIGN §5), SHA-256 with Solidity abi.encodePacked layouts so the
 * FlagstoneLedger contract recomputes the same bytes:
 *   C          = sha256(salt ‖ uint256(i_1) ‖ … ‖ uint256(i_m))   indices sorted ascending, unique
 *   sealedRoot = sha256(salt ‖ uint256(index) ‖ trueStateRoot)
 */
import { sha256 } from './hasher.ts';
import { LedgerError } from './errors.ts';
import { fromHex, toHex } from './hex.ts';
import { uint256Word } from './bytes.ts';

function word(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new LedgerError(`bad index ${n}`);
  return uint256Word(n);
}

function salt32(saltHex: string): Uint8Array {
  const s = fromHex(saltHex);
  if (s.length !== 32) throw new LedgerError(`salt has ${s.length} bytes, want 32`);
  return s;
}

export function flagCommitment(saltHex: string, flaggedIndices: readonly number[]): string {
  const sorted = [...flaggedIndices].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new LedgerError(`duplicate flagged index ${sorted[i]}`);
  }
  return toHex(sha256(salt32(saltHex), ...sorted.map(word)));
}

export function sealedRoot(saltHex: string, index: number, trueStateRootHex: string): string {
  return toHex(sha256(salt32(saltHex), word(index), fromHex(trueStateRootHex)));
}
