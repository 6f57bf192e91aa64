import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder } from '../../valuation/payout/largest-remainder.ts';
import { payoutTree, verifyClaim } from '../../valuation/payout/merkle.ts';
import { planPayout } from '../../valuation/payout/plan.ts';
import { exactWeights } from '../../valuation/payout/shares.ts';
import {
  InvalidAddressError,
  InvalidPayoutError,
  NoPositiveValuesError,
} from '../../valuation/errors.ts';

const addr = (i: number) => '0x' + (i + 1).toString(16).padStart(40, '0');

describe('largest remainder', () => {
  it('sums exactly to the pool and stays within one unit of each quota', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 30 }),
        (pool, weights) => {
          fc.pre(weights.some((w) => w > 0n));
          const ids = weights.map((_, i) => `o${i}`);
          const amounts = largestRemainder(pool, weights, ids);
          const total = weights.reduce((a, b) => a + b, 0n);
          expect(amounts.reduce((a, b) => a + b, 0n)).toBe(pool);
          amounts.forEach((a, i) => {
            const floor = (pool * weights[i]!) / total;
            expect(a === floor || a === floor + 1n).toBe(true);
            if (weights[i] === 0n) expect(a).toBe(0n);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('breaks ties deterministically: larger weight, then owner id', () => {
    expect(largestRemainder(1n, [1n, 1n, 1n], ['b', 'a', 'c'])).toEqual([0n, 1n, 0n]);
    expect(largestRemainder(2n, [1n, 1n, 1n], ['b', 'a', 'c'])).toEqual([1n, 1n, 0n]);
    expect(largestRemainder(10n, [1n, 2n], ['z', 'y'])).toEqual([3n, 7n]);
  });

  it('rejects negative pools and all-zero weights', () => {
    expect(() => largestRemainder(-1n, [1n], ['a'])).toThrow(InvalidPayoutError);
    expect(() => largestRemainder(5n, [0n, 0n], ['a', 'b'])).toThrow(/sum to zero/);
  });
});

describe('exact weights', () => {
  it('are integers exactly proportional to the doubles', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e6, noNaN: true })), {
          minLength: 2,
          maxLength: 8,
        }),
        (ws) => {
          const ints = exactWeights(ws);
          // Within this range the integers stay below 2^100, so their ratios are representable.
          for (let i = 0; i < ws.length; i++) {
            if (ws[i] === 0) expect(ints[i]).toBe(0n);
            for (let j = 0; j < ws.length; j++) {
              if (ws[i]! > 0 && ws[j]! > 0)
                expect(Number(ints[i]!) / Number(ints[j]!)).toBeCloseTo(ws[i]! / ws[j]!, 12);
            }
          }
        },
      ),
    );
    expect(exactWeights([0.5, 0.25, 5e-324])).toEqual([2n ** 1073n, 2n ** 1072n, 1n]);
  });
});

describe('payout plans', () => {
  const owners = ['alice', 'bob', 'carol', 'dave'];
  const values = [0.3, 0.1, -0.05, 0.6];

  it('clips negatives, normalises, and pays the pool exactly', () => {
    const plan = planPayout({
      owners,
      values,
      pool: 1_000_000n,
      addresses: Object.fromEntries(owners.map((o, i) => [o, addr(i)])),
    });
    const amounts = plan.statements.map((s) => s.amount);
    expect(amounts.reduce((a, b) => a + b, 0n)).toBe(1_000_000n);
    expect(amounts).toEqual([300_000n, 100_000n, 0n, 600_000n]);
    expect(plan.statements[2]!.clippedValue).toBe(0);
    expect(plan.statements[3]!.share).toBeCloseTo(0.6, 12);
  });

  it('gives opted-out owners zero and renormalises the rest', () => {
    const plan = planPayout({ owners, values, pool: 1000n, optOut: ['dave'] });
    expect(plan.statements.map((s) => s.amount)).toEqual([750n, 250n, 0n, 0n]);
    expect(plan.statements[3]!.optedOut).toBe(true);
    expect(plan.statements[3]!.interval).toMatchObject({ low: 0n, high: 0n });
  });

  it('sums exactly for any values, pool and opt-out set', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (vs, pool, out) => {
          const ids = vs.map((_, i) => `o${i}`);
          const optOut = ids.filter((_, i) => out[i]);
          const eligible = vs.some((v, i) => v > 0 && !out[i]);
          if (!eligible) {
            expect(() => planPayout({ owners: ids, values: vs, pool, optOut })).toThrow(
              NoPositiveValuesError,
            );
            return;
          }
          const plan = planPayout({ owners: ids, values: vs, pool, optOut });
          expect(plan.statements.reduce((a, s) => a + s.amount, 0n)).toBe(pool);
          plan.statements.forEach((s, i) => {
            if (out[i] || vs[i]! <= 0) expect(s.amount).toBe(0n);
            expect(s.interval.low <= s.amount && s.amount <= s.interval.high).toBe(true);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('puts (address, amount) in a Merkle tree whose proofs verify', () => {
    const addresses = Object.fromEntries(owners.map((o, i) => [o, addr(i)]));
    const plan = planPayout({ owners, values, pool: 10n ** 18n, addresses });
    expect(plan.merkleRoot).toMatch(/^0x[0-9a-f]{64}$/);
    for (const s of plan.statements) {
      if (s.amount === 0n) {
        expect(s.proof).toBeNull();
        continue;
      }
      expect(verifyClaim(plan.merkleRoot!, s.address!, s.amount, s.proof!)).toBe(true);
      expect(verifyClaim(plan.merkleRoot!, s.address!, s.amount + 1n, s.proof!)).toBe(false);
    }
    // Same inputs, same root (deterministic), different pool, different root.
    expect(planPayout({ owners, values, pool: 10n ** 18n, addresses }).merkleRoot).toBe(
      plan.merkleRoot,
    );
    expect(planPayout({ owners, values, pool: 10n ** 18n + 1n, addresses }).merkleRoot).not.toBe(
      plan.merkleRoot,
    );
  });

  it('reports owners without an address instead of building a partial tree', () => {
    const plan = planPayout({ owners, values, pool: 100n, addresses: { alice: addr(0) } });
    expect(plan.merkleRoot).toBeNull();
    expect(plan.missingAddresses).toEqual(['bob', 'dave']);
    const own = planPayout({ owners: [addr(7), addr(8)], values: [1, 3], pool: 4n });
    expect(own.merkleRoot).not.toBeNull();
  });

  it('rejects bad and shared addresses and unknown opt-outs', () => {
    expect(() => planPayout({ owners, values, pool: 1n, addresses: { alice: '0x123' } })).toThrow(
      InvalidAddressError,
    );
    expect(() =>
      payoutTree([
        { owner: 'a', address: addr(1), amount: 1n },
        { owner: 'b', address: addr(1), amount: 2n },
      ]),
    ).toThrow(/share a payout address/);
    expect(() => planPayout({ owners, values, pool: 1n, optOut: ['eve'] })).toThrow(
      /unknown owner/,
    );
  });

  it('confidence intervals widen with the standard errors and collapse when exact', () => {
    const exact = planPayout({ owners, values, pool: 1_000_000n });
    exact.statements.forEach((s) => {
      expect(s.interval.high - s.interval.low).toBeLessThanOrEqual(1n);
    });
    const noisy = planPayout({
      owners,
      values,
      stderr: [0.05, 0.05, 0.05, 0.05],
      pool: 1_000_000n,
      seed: 3,
    });
    const alice = noisy.statements[0]!;
    expect(alice.interval.low).toBeLessThan(alice.amount);
    expect(alice.interval.high).toBeGreaterThan(alice.amount);
    // carol's value is below zero but within noise of it: she may be paid something.
    expect(noisy.statements[2]!.interval.high).toBeGreaterThan(0n);
    const unknown = planPayout({ owners, values, stderr: [Infinity, 0, 0, 0], pool: 100n });
    expect(unknown.statements[0]!.interval).toMatchObject({ low: 0n, high: 100n });
  });
});
