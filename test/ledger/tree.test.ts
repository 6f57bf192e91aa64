import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CompactRange,
  MemoryTree,
  ProofInputError,
  RootMismatchError,
  fromHex,
  hashLeaf,
  toHex,
  verifyConsistency,
  verifyInclusion,
  rootFromInclusionProof,
  EMPTY_ROOT,
} from '../../ledger/index.ts';
import { leafData, refMTH, refPATH, refPROOF } from './reference.ts';

const N = 140;
const data = Array.from({ length: N }, (_, i) => leafData(i));
const tree = new MemoryTree();
for (const d of data) tree.append(hashLeaf(d));
const hexes = (xs: Uint8Array[]) => xs.map(toHex);

describe('MemoryTree against the naive RFC 9162 transcription', () => {
  it('has the RFC empty root', () => {
    expect(toHex(new MemoryTree().root())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(toHex(EMPTY_ROOT)).toBe(toHex(refMTH([])));
  });

  it('computes every root for sizes 0..140', () => {
    for (let n = 0; n <= N; n++)
      expect(toHex(tree.root(n)), `size ${n}`).toBe(toHex(refMTH(data.slice(0, n))));
  });

  it('produces inclusion proofs identical to PATH(m, D[n]) and they verify', () => {
    for (let n = 1; n <= 70; n++) {
      const root = tree.root(n);
      for (let m = 0; m < n; m++) {
        const path = tree.inclusionProof(m, n);
        expect(hexes(path), `m=${m} n=${n}`).toEqual(hexes(refPATH(m, data.slice(0, n))));
        verifyInclusion(m, n, hashLeaf(data[m]!), path, root);
      }
    }
  });

  it('produces consistency proofs identical to PROOF(m, D[n]) and they verify', () => {
    for (let n = 0; n <= 70; n++) {
      for (let m = 0; m <= n; m++) {
        const path = tree.consistencyProof(m, n);
        expect(hexes(path), `m=${m} n=${n}`).toEqual(hexes(refPROOF(m, data.slice(0, n))));
        verifyConsistency(m, n, tree.root(m), tree.root(n), path);
      }
    }
  });

  it('rejects every single-hash tampering of a consistency proof', () => {
    for (const [m, n] of [
      [3, 17],
      [8, 16],
      [5, 129],
      [64, 65],
      [1, 2],
    ] as const) {
      const path = tree.consistencyProof(m, n);
      path.forEach((_, i) => {
        const bad = path.map((p, j) =>
          j === i ? Uint8Array.from(p, (b, k) => (k === 0 ? b ^ 1 : b)) : p,
        );
        expect(() => verifyConsistency(m, n, tree.root(m), tree.root(n), bad)).toThrow(
          RootMismatchError,
        );
      });
    }
  });

  it('verifies random proofs in large sparse trees (property)', () => {
    const big = new MemoryTree();
    for (let i = 0; i < 5000; i++) big.append(hashLeaf(leafData(i)));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 5000 }), (n, m0) => {
        const m = m0 % (n + 1);
        verifyConsistency(m, n, big.root(m), big.root(n), big.consistencyProof(m, n));
        const i = m0 % n;
        verifyInclusion(i, n, big.leafHash(i), big.inclusionProof(i, n), big.root(n));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('CompactRange', () => {
  it('appends in O(log n) and matches the tree root at every size', () => {
    const cr = new CompactRange();
    for (let i = 0; i < N; i++) {
      const created = cr.append(hashLeaf(data[i]!));
      // A leaf completes exactly (number of trailing one bits of i) + 1 nodes.
      let ones = 0;
      for (let x = i; x % 2 === 1; x = (x - 1) / 2) ones++;
      expect(created.length).toBe(ones + 1);
      expect(toHex(cr.root())).toBe(toHex(tree.root(i + 1)));
    }
  });

  it('refuses a border of the wrong length', () => {
    expect(() => new CompactRange(3, [hashLeaf(data[0]!)])).toThrow(/needs 2 hashes, got 1/);
  });
});

describe('input checks', () => {
  it('reports got/want for malformed inclusion input', () => {
    const path = tree.inclusionProof(2, 8);
    expect(() => rootFromInclusionProof(8, 8, tree.leafHash(2), path)).toThrow(ProofInputError);
    expect(() => rootFromInclusionProof(2, 8, new Uint8Array(31), path)).toThrow(
      /31 bytes, want 32/,
    );
    expect(() => rootFromInclusionProof(-1, 8, tree.leafHash(2), path)).toThrow(ProofInputError);
    expect(() => rootFromInclusionProof(2, 2 ** 60, tree.leafHash(2), path)).toThrow(
      ProofInputError,
    );
  });

  it('mismatch errors carry expected and calculated roots', () => {
    const err = (() => {
      try {
        verifyInclusion(
          0,
          2,
          tree.leafHash(0),
          tree.inclusionProof(0, 2),
          fromHex('00'.repeat(32)),
        );
      } catch (e) {
        return e as RootMismatchError;
      }
    })();
    expect(err).toBeInstanceOf(RootMismatchError);
    expect(toHex(err!.calculated)).toBe(toHex(tree.root(2)));
    expect(err!.message).toMatch(/calculated [0-9a-f]{64}, want 0{64}/);
  });
});
