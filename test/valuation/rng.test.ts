import { describe, expect, it } from 'vitest';
import { Rng } from '../../valuation/rng.ts';

describe('Rng (xoshiro128**)', () => {
  it('matches the reference output for state {1, 2, 3, 4}', () => {
    // First outputs of the xoshiro128** 1.1 reference implementation from s = {1, 2, 3, 4}.
    const rng = new Rng(Uint32Array.of(1, 2, 3, 4));
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([
      11520, 0, 5927040, 70819200,
    ]);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(42)),
    );
    const b = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(42)),
    );
    const c = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng(43)),
    );
    const d = Array.from(
      { length: 5 },
      (
        (r) => () =>
          r.nextUint32()
      )(new Rng('job-7')),
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(d).not.toEqual(a);
  });

  it('draws unbiased integers and floats in range', () => {
    const rng = new Rng(1);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[rng.int(6)]!++;
    // chi-square with 5 d.o.f.; 25 is far beyond the 0.9999 quantile (~25.7 is p=1e-4).
    const chi2 = counts.reduce((a, c) => a + (c - 10000) ** 2 / 10000, 0);
    expect(chi2).toBeLessThan(25);
    for (let i = 0; i < 1000; i++) {
      const f = rng.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
  });

  it('shuffles into permutations and draws standard normals', () => {
    const rng = new Rng(3);
    expect(rng.permutation(50).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    let s = 0;
    let s2 = 0;
    const m = 20000;
    for (let i = 0; i < m; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / m)).toBeLessThan(0.05);
    expect(Math.abs(s2 / m - 1)).toBeLessThan(0.05);
  });

  it('rejects unusable seeds and ranges', () => {
    expect(() => new Rng(1.5)).toThrow(/safe integer/);
    expect(() => new Rng(0).int(0)).toThrow(/1 <= n/);
  });
});
