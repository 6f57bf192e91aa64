/**
 * Proof verification exactly as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency):
 * recompute the root(s) from the path, then compare. Shifts use arithmetic, not 32-bit bitwise
 * operators, so sizes up to 2^53 work.
 */
import { HASH_SIZE, hashChildren } from './hasher.ts';
import { ProofInputError, RootMismatchError } from './errors.ts';
import { bytesEqual } from './hex.ts';
import { assertSize } from './tree-math.ts';

const odd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

function checkHashes(what: string, hashes: readonly Uint8Array[]): void {
  hashes.forEach((h, i) => {
    if (h.length !== HASH_SIZE) {
      throw new ProofInputError(`${what}[${i}] has ${h.length} bytes, want ${HASH_SIZE}`);
    }
  });
}

/** Recomputes the root from an inclusion proof; throws ProofInputError on malformed input. */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  path: readonly Uint8Array[],
): Uint8Array {
  assertSize('index', index);
  assertSize('size', size);
  if (index >= size) throw new ProofInputError(`index ${index} out of range for tree size ${size}`);
  checkHashes('leafHash', [leafHash]);
  checkHashes('path', path);
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) throw new ProofInputError(`inclusion path too long: ${path.length} hashes`);
    if (odd(fn) || fn === sn) {
      r = hashChildren(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofInputError(`inclusion path too short: ${path.length} hashes`);
  return r;
}

/** Throws RootMismatchError unless the proof shows leafHash at index in the tree with `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const calculated = rootFromInclusionProof(index, size, leafHash, path);
  if (!bytesEqual(calculated, root)) throw new RootMismatchError(root, calculated);
}

/**
 * Throws unless `path` proves the tree (from, fromRoot) is a prefix of (to, toRoot).
 * A size-0 tree is a prefix of every tree; equal sizes need equal roots and an empty path.
 */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  path: readonly Uint8Array[],
): void {
  assertSize('from', from);
  assertSize('to', to);
  if (from > to) throw new ProofInputError(`from ${from} is larger than to ${to}`);
  checkHashes('roots', [fromRoot, toRoot]);
  checkHashes('path', path);
  if (from === 0 || from === to) {
    if (path.length !== 0) {
      throw new ProofInputError(
        `consistency path for sizes ${from}→${to} must be empty, got ${path.length}`,
      );
    }
    if (from === to && !bytesEqual(fromRoot, toRoot)) {
      throw new RootMismatchError(toRoot, fromRoot, 'same-size root');
    }
    return;
  }
  if (path.length === 0) throw new ProofInputError('consistency path is empty');
  // §2.1.4.2 step 2: when `from` is a power of two its root is itself a node of the path.
  const nodes = isPow2(from) ? [fromRoot, ...path] : [...path];
  let fn = from - 1;
  let sn = to - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = nodes[0]!;
  let sr = nodes[0]!;
  for (const c of nodes.slice(1)) {
    if (sn === 0) throw new ProofInputError(`consistency path too long: ${path.length} hashes`);
    if (odd(fn) || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) throw new ProofInputError(`consistency path too short: ${path.length} hashes`);
  if (!bytesEqual(fr, fromRoot)) throw new RootMismatchError(fromRoot, fr, 'old root');
  if (!bytesEqual(sr, toRoot)) throw new RootMismatchError(toRoot, sr, 'new root');
}

function isPow2(n: number): boolean {
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
}
