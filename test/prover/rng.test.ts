import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../prover/rng.ts';

/** Naive BigInt xoshiro128** — an oracle only. */
function reference(state: bigint[], n: number): number[] {
  const s = [...state];
  const M = 0xffffffffn;
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(Number((rotl((s[1]! * 5n) & M, 7n) * 9n) & M));
    const t = (s[1]! << 9n) & M;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
  }
  return out;
}

describe('committed RNG (xoshiro128**)', () => {
  it('matches the published stream for state {1, 2, 3, 4}', () => {
    const r = new Rng(Uint32Array.of(1, 2, 3, 4));
    expect(Array.from({ length: 6 }, () => r.next())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });

  it('matches a BigInt reference for any state, and resumes from its exported state', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 0xffffffff }), { minLength: 4, maxLength: 4 }),
        (words) => {
          const r = new Rng(Uint32Array.from(words));
          const a = Array.from({ length: 20 }, () => r.next());
          const resumed = new Rng(r.state);
          const b = Array.from({ length: 5 }, () => resumed.next());
          expect([...a, ...b]).toEqual(reference(words.map(BigInt), 25));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('draws permutations and bounded integers', () => {
    const r = Rng.fromSeed('t', 1);
    const p = r.permutation(100);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (let i = 0; i < 200; i++) expect(r.below(7)).toBeLessThan(7);
    expect(r.uniform()).toBeLessThan(1);
  });

  it('separates streams by label and seed, and rejects the all-zero state', () => {
    expect(Rng.fromSeed('a', 1).next()).not.toBe(Rng.fromSeed('b', 1).next());
    expect(Rng.fromSeed('a', 1).next()).not.toBe(Rng.fromSeed('a', 2).next());
    expect(() => new Rng(new Uint32Array(4))).toThrow(/not all zero/);
  });
});
