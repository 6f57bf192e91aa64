import { describe, expect, it } from 'vitest';
import type { Game } from '../../valuation/game.ts';
import { gameFromFunction } from '../../valuation/game.ts';
import {
  additiveGame,
  airportGame,
  gloveGame,
  majorityGame,
  withDummies,
} from '../../valuation/games/index.ts';
import type { ClosedFormGame } from '../../valuation/games/index.ts';
import { exactAll } from '../../valuation/methods/exact.ts';
import { kernelShap, shapleyKernelAlpha } from '../../valuation/methods/kernel-shap.ts';
import { msrBanzhaf } from '../../valuation/methods/msr-banzhaf.ts';
import { permutationShapley } from '../../valuation/methods/permutation.ts';
import { stratifiedShapley } from '../../valuation/methods/stratified.ts';
import { METHOD_NAMES, runMethod } from '../../valuation/methods/index.ts';
import { relativeL2Error, type ValuationResult } from '../../valuation/result.ts';
import { Rng } from '../../valuation/rng.ts';
import { maxEvaluations, or, standardError } from '../../valuation/stopping.ts';
import { BudgetTooSmallError, UtilityNotFiniteError } from '../../valuation/errors.ts';

type Estimator = (game: Game, budget: number, seed: number) => Promise<ValuationResult>;

const shapleyEstimators: Record<string, Estimator> = {
  permutation: (g, b, seed) => permutationShapley(g, { stopping: maxEvaluations(b), seed }),
  antithetic: (g, b, seed) =>
    permutationShapley(g, { stopping: maxEvaluations(b), seed, antithetic: true }),
  stratified: (g, b, seed) => stratifiedShapley(g, { stopping: maxEvaluations(b), seed }),
  kernel: (g, b, seed) => kernelShap(g, { stopping: maxEvaluations(b), seed }),
};

/** A random 9-player game with pairwise interactions and a threshold bonus (no symmetry). */
function randomGame(seed: number, n = 9): ClosedFormGame & { shapley: number[] } {
  const rng = new Rng(seed);
  const w = Array.from({ length: n }, () => rng.float() * 2 - 0.5);
  const pair = Array.from({ length: n * n }, () => rng.float() - 0.5);
  const game = gameFromFunction(
    Array.from({ length: n }, (_, i) => `r${i}`),
    (c) => {
      let s = 0;
      for (const i of c) s += w[i]!;
      for (const i of c) for (const j of c) if (i < j) s += 0.4 * pair[i * n + j]!;
      return Math.tanh(s) + (c.length > n / 2 ? 0.5 : 0);
    },
  );
  return { name: `random(${seed})`, game, shapley: [] };
}

const oracleGames: ClosedFormGame[] = [
  gloveGame(3, 5),
  majorityGame(11),
  airportGame([1, 2, 3, 5, 8, 13, 21, 34]),
  withDummies(gloveGame(2, 4), 2),
];

describe.each(Object.entries(shapleyEstimators))('%s', (name, estimate) => {
  it.each(oracleGames.map((g) => [g.name, g] as const))(
    'agrees with the closed form on %s',
    async (_, g) => {
      const n = g.game.players.length;
      // Half of all coalitions at most: near exhaustion one unseen outlier can dominate the error
      // while the sample variance cannot see it (the CLT regime ends).
      const budget = Math.min(2 ** (n - 1), 150 * n);
      const r = await estimate(g.game, budget, 7);
      expect(r.evaluations).toBeLessThanOrEqual(budget);
      expect(r.algorithm.length).toBeGreaterThan(0);
      // Every value within 4.5 standard errors (plus float slack) of the exact value.
      r.values.forEach((v, i) => {
        expect(Math.abs(v - g.shapley[i]!)).toBeLessThanOrEqual(4.5 * r.stderr[i]! + 1e-9);
      });
      expect(relativeL2Error(r.values, g.shapley)).toBeLessThan(0.5);
    },
  );

  it('is deterministic for a seed', async () => {
    const g = gloveGame(3, 4).game;
    const a = await estimate(g, 80, 3);
    const b = await estimate(g, 80, 3);
    const c = await estimate(g, 80, 4);
    expect(a.values).toEqual(b.values);
    expect(a.values).not.toEqual(c.values);
  });

  // Marginal-based and regression estimators reproduce an additive game exactly; stratified
  // SVARM compares means of *different* coalitions, so it is only unbiased there.
  if (name !== 'stratified') {
    it('is exact on an additive game', async () => {
      const g = additiveGame([0.5, -1, 2, 0, 3, 1.5, -0.25]);
      const r = await estimate(g.game, 60, 1);
      r.values.forEach((v, i) => expect(v).toBeCloseTo(g.shapley[i]!, 8));
    });
  }

  // Every marginal of a dummy is 0, so marginal-based estimators give it exactly 0.
  if (name === 'permutation' || name === 'antithetic') {
    it('gives dummy players exactly zero', async () => {
      const g = withDummies(majorityGame(5), 3);
      const r = await estimate(g.game, 120, 2);
      for (const i of [5, 6, 7]) expect(r.values[i]).toBe(0);
    });
  }

  it('refuses a budget below its minimum', async () => {
    await expect(estimate(gloveGame(4, 4).game, 3, 0)).rejects.toBeInstanceOf(BudgetTooSmallError);
  });
});

describe('estimator guarantees', () => {
  it.each(['permutation', 'antithetic', 'kernel'])(
    '%s is efficient (Σφ = U(N) − U(∅))',
    async (name) => {
      const g = randomGame(11);
      const r = await shapleyEstimators[name]!(g.game, 200, 5);
      const all = Array.from({ length: 9 }, (_, i) => i);
      const total = (await g.game.utility(all)) - (await g.game.utility([]));
      expect(r.values.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 10);
    },
  );

  it.each(['stratified', 'kernel'])('%s is exact once every coalition is drawn', async (name) => {
    const g = randomGame(4, 8);
    const exact = await exactAll(g.game);
    const r = await shapleyEstimators[name]!(g.game, 256, 1);
    expect(r.converged).toBe(true);
    expect(r.evaluations).toBe(256);
    r.values.forEach((v, i) => expect(v).toBeCloseTo(exact.shapley.values[i]!, 8));
    r.stderr.forEach((s) => expect(s).toBe(0));
  });

  it('standard errors are calibrated (95% intervals cover about 95%)', async () => {
    const g = randomGame(21);
    const exact = (await exactAll(g.game)).shapley.values;
    for (const [name, estimate] of Object.entries(shapleyEstimators)) {
      let covered = 0;
      let total = 0;
      for (let seed = 0; seed < 25; seed++) {
        const r = await estimate(g.game, 300, seed);
        r.values.forEach((v, i) => {
          total++;
          if (Math.abs(v - exact[i]!) <= 1.96 * r.stderr[i]!) covered++;
        });
      }
      expect(covered / total, name).toBeGreaterThan(0.85);
      expect(covered / total, name).toBeLessThan(0.995);
    }
  });

  it('stratified beats plain permutation sampling at equal budget', async () => {
    const g = randomGame(8, 10);
    const exact = (await exactAll(g.game)).shapley.values;
    const err = async (e: Estimator) => {
      const errs: number[] = [];
      for (let seed = 0; seed < 9; seed++)
        errs.push(relativeL2Error((await e(g.game, 400, seed)).values, exact));
      return errs.sort((a, b) => a - b)[4]!;
    };
    expect(await err(shapleyEstimators.stratified!)).toBeLessThan(
      (await err(shapleyEstimators.permutation!)) / 2,
    );
  });

  it('stops on the standard-error rule and reports convergence', async () => {
    const g = gloveGame(3, 3).game;
    const r = await permutationShapley(g, {
      stopping: or(standardError(0.05), maxEvaluations(100000)),
      seed: 1,
    });
    expect(r.converged).toBe(true);
    expect(Math.max(...r.stderr)).toBeLessThanOrEqual(0.05);
    expect(r.evaluations).toBeLessThan(100000);
  });

  it('truncation saves evaluations and keeps values close', async () => {
    const g = withDummies(gloveGame(2, 2), 6);
    const exact = g.shapley;
    const plain = await permutationShapley(g.game, { stopping: maxEvaluations(2000), seed: 3 });
    const tmc = await permutationShapley(g.game, {
      stopping: maxEvaluations(2000),
      seed: 3,
      truncation: 0.01,
    });
    expect(tmc.algorithm).toBe('truncated-permutation');
    // Same budget: truncated permutations are cheaper, so more of them fit.
    expect(tmc.counts[0]!).toBeGreaterThan(plain.counts[0]!);
    expect(relativeL2Error(tmc.values, exact)).toBeLessThan(0.2);
  });

  it('kernel alpha matches a direct computation of A = E[zzᵀ]', () => {
    for (const n of [3, 5, 12]) {
      let z = 0;
      let aii = 0;
      let aij = 0;
      for (let s = 1; s < n; s++) {
        const w = 1 / (s * (n - s));
        z += w;
        aii += (w * s) / n;
        aij += (w * s * (s - 1)) / (n * (n - 1));
      }
      expect(aii / z).toBeCloseTo(0.5, 12);
      expect(shapleyKernelAlpha(n)).toBeCloseTo((aii - aij) / z, 12);
    }
  });

  it('MSR Banzhaf estimates the Banzhaf value', async () => {
    const g = gloveGame(3, 5);
    const r = await msrBanzhaf(g.game, { stopping: maxEvaluations(3000), seed: 2 });
    expect(r.extras?.['target']).toBe('banzhaf');
    r.values.forEach((v, i) =>
      expect(Math.abs(v - g.banzhaf![i]!)).toBeLessThanOrEqual(4.5 * r.stderr[i]!),
    );
    expect(relativeL2Error(r.values, g.banzhaf!)).toBeLessThan(0.15);
  });

  it('rejects utilities that return NaN', async () => {
    const g = gameFromFunction(['a', 'b', 'c'], (c) => (c.length === 2 ? NaN : c.length));
    await expect(permutationShapley(g, { stopping: maxEvaluations(50) })).rejects.toBeInstanceOf(
      UtilityNotFiniteError,
    );
  });

  it('never exceeds the budget and reports progress', async () => {
    const g = randomGame(2, 10);
    for (const name of METHOD_NAMES) {
      if (name === 'exact' || name === 'banzhaf' || name === 'loo' || name === 'least-core')
        continue;
      for (const budget of [57, 101, 333]) {
        let reports = 0;
        const r = await runMethod(name, g.game, { budget, seed: 1, onProgress: () => reports++ });
        expect(r.evaluations, `${name}@${budget}`).toBeLessThanOrEqual(budget);
        expect(r.evaluations, `${name}@${budget}`).toBeGreaterThan(budget - 2 * 10);
        expect(reports).toBeGreaterThan(0);
        expect(r.converged).toBe(false);
      }
    }
  });

  it('single-player games are exact', async () => {
    const g = gameFromFunction(['solo'], (c) => 3 + 2 * c.length);
    for (const name of Object.keys(shapleyEstimators)) {
      const r = await shapleyEstimators[name]!(g, 10, 0);
      expect(r.values).toEqual([2]);
      expect(r.converged).toBe(true);
    }
  });
});
