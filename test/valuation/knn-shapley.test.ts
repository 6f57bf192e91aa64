import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argsortNonNegative, comparatorArgsort } from '../../valuation/knn/argsort.ts';
import type { LabeledMatrix } from '../../valuation/knn/dataset.ts';
import { exactShapley } from '../../valuation/methods/exact.ts';
import { faithfulGroupShapley } from '../../valuation/methods/faithful-group-shapley.ts';
import { knnShapley } from '../../valuation/methods/knn-shapley.ts';
import { Rng } from '../../valuation/rng.ts';
import { knnLabelMatchGame } from '../../valuation/utilities/knn-label-match.ts';

/** Random data on a coarse integer grid, so distance ties are frequent. */
function randomData(rng: Rng, rows: number, dim: number, classes: number): LabeledMatrix {
  return {
    rows,
    dim,
    features: Float64Array.from({ length: rows * dim }, () => rng.int(4)),
    labels: Int32Array.from({ length: rows }, () => rng.int(classes)),
  };
}

describe('KNN-Shapley (Jia et al. 2019)', () => {
  it('equals brute-force Shapley of the KNN utility, ties included', async () => {
    for (let seed = 0; seed < 12; seed++) {
      const rng = new Rng(seed);
      const n = 4 + rng.int(6); // 4..9 training points
      const k = 1 + rng.int(4);
      const train = randomData(rng, n, 2, 2 + rng.int(2));
      const test = randomData(rng, 3, 2, 3);
      const oracle = await exactShapley(knnLabelMatchGame(train, test, k));
      const fast = knnShapley({ train, test, k }).points;
      fast.values.forEach((v, j) =>
        expect(v, `seed ${seed} point ${j}`).toBeCloseTo(oracle.values[j]!, 12),
      );
    }
  });

  it('is efficient per test point: Σ s_j = U(N)', async () => {
    const rng = new Rng(5);
    const train = randomData(rng, 30, 3, 3);
    const test = randomData(rng, 1, 3, 3);
    const game = knnLabelMatchGame(train, test, 5);
    const all = Array.from({ length: 30 }, (_, j) => j);
    const values = knnShapley({ train, test, k: 5 }).points.values;
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(await game.utility(all), 12);
  });

  it('group sums equal exact faithful group Shapley over the points', async () => {
    const rng = new Rng(8);
    const train = randomData(rng, 9, 2, 2);
    const test = randomData(rng, 4, 2, 2);
    const groupOf = Int32Array.from({ length: 9 }, (_, j) => j % 3);
    const names = ['x', 'y', 'z'];
    const { groups } = knnShapley({ train, test, k: 3, groups: { names, groupOf } });
    const fgsv = await faithfulGroupShapley(knnLabelMatchGame(train, test, 3), {
      groupOf: (u) => names[Number(u) % 3]!,
    });
    groups!.values.forEach((v, c) => expect(v).toBeCloseTo(fgsv.values[c]!, 12));
  });

  it('reports a test-sampling standard error (0 for one test point)', () => {
    const rng = new Rng(2);
    const train = randomData(rng, 20, 2, 2);
    expect(
      knnShapley({ train, test: randomData(rng, 1, 2, 2), k: 3 }).points.stderr.every(
        (s) => s === 0,
      ),
    ).toBe(true);
    const many = knnShapley({ train, test: randomData(rng, 50, 2, 2), k: 3 }).points;
    expect(many.stderr.some((s) => s > 0)).toBe(true);
  });

  it('rejects mismatched shapes and bad k', () => {
    const rng = new Rng(1);
    const train = randomData(rng, 5, 2, 2);
    expect(() => knnShapley({ train, test: randomData(rng, 2, 3, 2), k: 1 })).toThrow(
      /different feature counts/,
    );
    expect(() => knnShapley({ train, test: randomData(rng, 2, 2, 2), k: 0 })).toThrow(
      /positive integer/,
    );
    const bad = { ...train, features: Float64Array.of(0, 1, NaN, 0, 1, 1, 0, 0, 1, 1) };
    expect(() => knnShapley({ train: bad, test: randomData(rng, 2, 2, 2), k: 1 })).toThrow(
      /finite/,
    );
  });
});

describe('stable argsort', () => {
  it('radix path equals the comparator reference on tie-heavy keys', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2048, max: 6000 }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, seed) => {
          const rng = new Rng(seed);
          const keys = Float64Array.from({ length: n }, () =>
            rng.int(3) === 0 ? rng.int(50) : rng.float() * 1e6,
          );
          expect(Array.from(argsortNonNegative(keys))).toEqual(Array.from(comparatorArgsort(keys)));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('orders subnormals, zero and huge values', () => {
    const keys = Float64Array.from({ length: 4096 }, (_, i) => [0, 5e-324, 1e300, 1, 2.5][i % 5]!);
    const order = argsortNonNegative(keys);
    for (let i = 1; i < order.length; i++) {
      const a = order[i - 1]!;
      const b = order[i]!;
      expect(keys[a]! < keys[b]! || (keys[a] === keys[b] && a < b)).toBe(true);
    }
    expect(() => argsortNonNegative(Float64Array.of(1, -1))).toThrow(/non-negative/);
  });
});
