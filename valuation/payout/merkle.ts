/**
 * Merkle distribution of an epoch's payouts for the RoyaltySplitter contract: an OpenZeppelin
 * StandardMerkleTree over (address, uint256 amount) leaves, leaf =
 * keccak256(bytes.concat(keccak256(abi.encode(address, amount)))), which the contract checks
 * with MerkleProof.verify. Zero amounts are left out (nothing to claim).
 */
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { getAddress, isAddress } from 'ethers';
import { InvalidAddressError } from '../errors.ts';

export const LEAF_ENCODING = ['address', 'uint256'] as const;

export interface PayoutTree {
  readonly root: string;
  /** Proof (hex nodes) per checksummed address. */
  readonly proofs: ReadonlyMap<string, string[]>;
  /** Full tree dump (standard-v1 format) for publishing to claimants. */
  readonly dump: unknown;
}

/** Checksums an address, or throws with the owner it belongs to. */
export function normaliseAddress(owner: string, address: string): string {
  if (!isAddress(address)) {
    throw new InvalidAddressError('invalid payout address', {
      details: `owner "${owner}" has "${address}", want a 20-byte hex address`,
    });
  }
  return getAddress(address);
}

/** Builds the tree over (address, amount) for positive amounts. Addresses must be distinct. */
export function payoutTree(
  entries: readonly { owner: string; address: string; amount: bigint }[],
): PayoutTree {
  const seen = new Map<string, string>();
  const leaves: [string, string][] = [];
  for (const e of entries) {
    const address = normaliseAddress(e.owner, e.address);
    const other = seen.get(address);
    if (other !== undefined) {
      throw new InvalidAddressError('two owners share a payout address', {
        details: `"${other}" and "${e.owner}" both use ${address}`,
      });
    }
    seen.set(address, e.owner);
    if (e.amount > 0n) leaves.push([address, e.amount.toString()]);
  }
  if (leaves.length === 0) return { root: '0x' + '00'.repeat(32), proofs: new Map(), dump: null };
  const tree = StandardMerkleTree.of(leaves, [...LEAF_ENCODING]);
  const proofs = new Map<string, string[]>();
  for (const [i, [address]] of tree.entries()) proofs.set(address, tree.getProof(i));
  return { root: tree.root, proofs, dump: tree.dump() };
}

/** Checks a claim the way the contract does. */
export function verifyClaim(
  root: string,
  address: string,
  amount: bigint,
  proof: string[],
): boolean {
  return StandardMerkleTree.verify(
    root,
    [...LEAF_ENCODING],
    [getAddress(address), amount.toString()],
    proof,
  );
}
