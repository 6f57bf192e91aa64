/**
 * Hashing RFC 9162 trees from stored perfect-subtree hashes: an incremental compact range for
 * appends (O(log n) hashes per leaf, amortised O(1) new nodes) and proof assembly from planned
 * ranges. Storage is abstracted as a lookup so the same code serves memory and the database.
 */
import { EMPTY_ROOT, hashChildren } from './hasher.ts';
import { LedgerError } from './errors.ts';
import type { LeafRange, NodeId } from './tree-math.ts';
import { assertSize, nodeKey, perfectNodes, planConsistency, planInclusion } from './tree-math.ts';

/** Returns the stored hash of a perfect subtree; throws if it is not stored. */
export type NodeLookup = (id: NodeId) => Uint8Array;

/** A stored node, as produced by appends. */
export interface StoredNode extends NodeId {
  readonly hash: Uint8Array;
}

/** Right fold of perfect subtree hashes: MTH of the range they decompose. */
export function foldRight(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i]!, acc);
  return acc;
}

/** MTH(D[begin:end]) from stored perfect subtrees. */
export function hashRange(range: LeafRange, lookup: NodeLookup): Uint8Array {
  return foldRight(perfectNodes(range.begin, range.end).map(lookup));
}

/** Every perfect node the given ranges need: fetch these in one batch, then hash. */
export function nodesFor(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const r of ranges) for (const id of perfectNodes(r.begin, r.end)) seen.set(nodeKey(id), id);
  return [...seen.values()];
}

/** Inclusion proof (RFC 9162 §2.1.3.1) for leaf `index` in the tree of `size` leaves. */
export function inclusionProof(index: number, size: number, lookup: NodeLookup): Uint8Array[] {
  return planInclusion(index, size).map((r) => hashRange(r, lookup));
}

/** Consistency proof (RFC 9162 §2.1.4.1) between tree sizes `from` ≤ `to`. */
export function consistencyProof(from: number, to: number, lookup: NodeLookup): Uint8Array[] {
  return planConsistency(from, to).map((r) => hashRange(r, lookup));
}

/**
 * The right border of a tree: hashes of the perfect subtrees of [0, size), largest first.
 * Appending a leaf merges equal-sized neighbours, like a binary counter increment.
 */
export class CompactRange {
  private readonly _hashes: Uint8Array[];
  private _size: number;

  /** `hashes` must be those of perfectNodes(0, size), in order. */
  constructor(size = 0, hashes: Uint8Array[] = []) {
    assertSize('size', size);
    const want = perfectNodes(0, size).length;
    if (hashes.length !== want) {
      throw new LedgerError(
        `compact range of size ${size} needs ${want} hashes, got ${hashes.length}`,
      );
    }
    this._size = size;
    this._hashes = [...hashes];
  }

  get size(): number {
    return this._size;
  }

  /** Appends a leaf hash; returns the nodes that became complete (the leaf first). */
  append(leafHash: Uint8Array): StoredNode[] {
    const created: StoredNode[] = [{ level: 0, index: this._size, hash: leafHash }];
    let hash = leafHash;
    let index = this._size;
    let level = 0;
    while (index % 2 === 1) {
      const left = this._hashes.pop()!;
      hash = hashChildren(left, hash);
      index = (index - 1) / 2;
      level++;
      created.push({ level, index, hash });
    }
    this._hashes.push(hash);
    this._size++;
    return created;
  }

  /** MTH of the whole range. */
  root(): Uint8Array {
    return foldRight(this._hashes);
  }

  clone(): CompactRange {
    return new CompactRange(this._size, this._hashes);
  }
}

/** An append-only RFC 9162 tree kept in memory; proofs for any earlier size. */
export class MemoryTree {
  private readonly _nodes = new Map<string, Uint8Array>();
  private readonly _range = new CompactRange();
  private readonly _lookup: NodeLookup = (id) => {
    const h = this._nodes.get(nodeKey(id));
    if (!h) throw new LedgerError(`node ${nodeKey(id)} not stored`);
    return h;
  };

  get size(): number {
    return this._range.size;
  }

  append(leafHash: Uint8Array): number {
    for (const n of this._range.append(leafHash)) this._nodes.set(nodeKey(n), n.hash);
    return this._range.size - 1;
  }

  /** Root of the tree as it was at `size` leaves (default: now). */
  root(size = this.size): Uint8Array {
    this.checkSize(size);
    return hashRange({ begin: 0, end: size }, this._lookup);
  }

  leafHash(index: number): Uint8Array {
    this.checkSize(index + 1);
    return this._lookup({ level: 0, index });
  }

  inclusionProof(index: number, size = this.size): Uint8Array[] {
    this.checkSize(size);
    return inclusionProof(index, size, this._lookup);
  }

  consistencyProof(from: number, to = this.size): Uint8Array[] {
    this.checkSize(to);
    return consistencyProof(from, to, this._lookup);
  }

  private checkSize(size: number): void {
    if (size > this.size) throw new LedgerError(`size ${size} beyond tree size ${this.size}`);
  }
}
