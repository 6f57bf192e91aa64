/**
 * Shape of RFC 9162 trees, without hashing. A tree of n leaves splits at k, the largest power of
 * two smaller than n (§2.1.1). Every subtree the RFC's recursion visits starts at a multiple of a
 * power of two at least as large as itself, so its hash is the right fold of the perfect subtrees
 * of its binary decomposition. Proofs are therefore planned as lists of ranges, each resolved from
 * O(log n) stored perfect-subtree hashes ("tiles"), the approach of transparency-dev/merkle.
 *
 * Indices and sizes are JS numbers (exact to 2^53); no 32-bit bitwise operators are used.
 */
import { ProofInputError } from './errors.ts';

/** A perfect subtree covering leaves [index·2^level, (index+1)·2^level). */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** A half-open leaf range [begin, end) whose RFC 9162 subtree hash a proof needs. */
export interface LeafRange {
  readonly begin: number;
  readonly end: number;
}

export function assertSize(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ProofInputError(`${name} must be a non-negative safe integer, got ${n}`);
  }
}

/** Largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Key of a node, for maps and database lookups. */
export function nodeKey(id: NodeId): string {
  return `${id.level}:${id.index}`;
}

/**
 * The perfect subtrees that make up [begin, end), left to right, largest first. Precondition:
 * begin is aligned to the largest power of two not exceeding end − begin (true of every range the
 * RFC recursion produces, and of [0, n)).
 */
export function perfectNodes(begin: number, end: number): NodeId[] {
  const out: NodeId[] = [];
  let pos = begin;
  while (pos < end) {
    let width = 1;
    let level = 0;
    while (pos % (width * 2) === 0 && pos + width * 2 <= end) {
      width *= 2;
      level++;
    }
    out.push({ level, index: pos / width });
    pos += width;
  }
  return out;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) as ranges, bottom-up (the order the proof lists them). */
export function planInclusion(index: number, size: number): LeafRange[] {
  assertSize('size', size);
  assertSize('index', index);
  if (index >= size) throw new ProofInputError(`index ${index} out of range for tree size ${size}`);
  const top: LeafRange[] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      top.push({ begin: lo + k, end: hi });
      hi = lo + k;
    } else {
      top.push({ begin: lo, end: lo + k });
      lo += k;
    }
  }
  return top.reverse();
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) as ranges, in proof order. Empty when m = 0 or m = n. */
export function planConsistency(from: number, to: number): LeafRange[] {
  assertSize('from', from);
  assertSize('to', to);
  if (from > to) throw new ProofInputError(`from ${from} is larger than to ${to}`);
  if (from === 0 || from === to) return [];
  const top: LeafRange[] = [];
  let lo = 0;
  let hi = to;
  let m = from;
  let complete = true; // SUBPROOF's b flag: is the old tree a full subtree we already know?
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      top.push({ begin: lo + k, end: hi });
      hi = lo + k;
    } else {
      top.push({ begin: lo, end: lo + k });
      lo += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) top.push({ begin: lo, end: hi });
  return top.reverse();
}
