/**
 * Bridges the off-chain RFC 9162 library (`ledger/`) to contract calls: 0x-hex roots and proofs.
 */
import { MemoryTree, hashLeaf, toHex } from '../../../ledger/index.ts';

/** 0x-prefixed hex of a 32-byte hash. */
export const hex0x = (b: Uint8Array): string => `0x${toHex(b)}`;

/** A MemoryTree whose leaf i is hashLeaf(`${label}-${i}`), with 0x-hex accessors. */
export class TestLog {
  readonly tree = new MemoryTree();
  constructor(readonly label = 'entry') {}

  /** Appends leaves until the tree has `size` leaves. */
  growTo(size: number): this {
    while (this.tree.size < size) {
      this.tree.append(hashLeaf(new TextEncoder().encode(`${this.label}-${this.tree.size}`)));
    }
    return this;
  }

  root(size = this.tree.size): string {
    return hex0x(this.tree.root(size));
  }

  proof(from: number, to = this.tree.size): string[] {
    return from === 0 ? [] : this.tree.consistencyProof(from, to).map(hex0x);
  }
}
