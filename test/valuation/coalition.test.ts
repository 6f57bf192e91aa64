import { describe, expect, it } from 'vitest';
import {
  binomial,
  coalitionOfMask,
  complementOf,
  maskOf,
  popcount,
  unrankCombination,
} from '../../valuation/coalition.ts';
import { Rng } from '../../valuation/rng.ts';
import { StratumSampler } from '../../valuation/samplers/stratum.ts';

describe('coalitions', () => {
  it('converts between masks and member lists', () => {
    for (let mask = 0; mask < 1 << 8; mask++) {
      const c = coalitionOfMask(mask, 8);
      expect(maskOf(c)).toBe(mask);
      expect(popcount(mask)).toBe(c.length);
      expect(complementOf(c, 8).length).toBe(8 - c.length);
    }
    expect(popcount(0x7fffffff)).toBe(31);
  });

  it('computes binomial coefficients', () => {
    expect(binomial(12, 6)).toBe(924);
    expect(binomial(50, 25)).toBe(126410606437752);
    expect(binomial(5, 7)).toBe(0);
  });

  it('unranks every k-subset exactly once', () => {
    for (const [n, k] of [
      [7, 3],
      [9, 4],
      [6, 0],
      [6, 6],
    ] as const) {
      const seen = new Set<string>();
      for (let r = 0; r < binomial(n, k); r++) {
        const c = unrankCombination(r, n, k);
        expect(c.length).toBe(k);
        expect([...c].sort((a, b) => a - b)).toEqual(c);
        seen.add(c.join(','));
      }
      expect(seen.size).toBe(binomial(n, k));
    }
  });

  it('samples a stratum without replacement until exhausted', () => {
    const sampler = new StratumSampler([0, 2, 4, 6, 8, 10], 3, [1]);
    const rng = new Rng(9);
    const seen = new Set<string>();
    while (!sampler.exhausted) {
      const c = sampler.next(rng);
      expect(c).toContain(1);
      expect(c.length).toBe(4);
      seen.add(c.join(','));
    }
    expect(seen.size).toBe(20);
    expect(() => sampler.next(rng)).toThrow(/exhausted/);
  });

  it('samples huge strata by rejection without repeats', () => {
    const candidates = Array.from({ length: 60 }, (_, i) => i);
    const sampler = new StratumSampler(candidates, 30);
    expect(sampler.population).toBeGreaterThan(2 ** 32);
    const rng = new Rng(1);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(sampler.next(rng).join(','));
    expect(seen.size).toBe(200);
  });
});
