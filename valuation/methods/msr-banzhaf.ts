/**
 * Maximum-Sample-Reuse Banzhaf values (Wang & Jia, AISTATS 2023, "Data Banzhaf: A Robust Data
 * Valuation Framework for Machine Learning", Alg. 1). With S uniform over all 2^n coalitions,
 *   β_i = E[U(S) | i ∈ S] − E[U(S) | i ∉ S],
 * so each evaluation updates *every* player (as an "in" sample for members, an "out" sample
 * for the others) instead of one marginal. Estimate: difference of the two running means;
 * standard error √(s²_in/m_in + s²_out/m_out) (the two means are from disjoint samples).
 * Counts are min(m_in, m_out), as in pyDVL. The Banzhaf value is not efficient and is a
 * different target from Shapley: compare it with exact Banzhaf values.
 */
import { Evaluator } from '../evaluator.ts';
import type { Game } from '../game.ts';
import { RunningMoments } from '../moments.ts';
import { makeResult, type ValuationResult } from '../result.ts';
import { Rng } from '../rng.ts';
import { sampleUniformSubset } from '../samplers/uniform-subsets.ts';
import { drive, requireBudget, type SamplingLoop, type SamplingOptions } from './driver.ts';

export async function msrBanzhaf(game: Game, options: SamplingOptions): Promise<ValuationResult> {
  const algorithm = 'msr-banzhaf';
  const n = game.players.length;
  const evaluator = new Evaluator(game, options.stopping.evaluationLimit());
  requireBudget(algorithm, evaluator, 2);
  const rng = new Rng(options.seed ?? 0);
  const inside = new RunningMoments(n);
  const outside = new RunningMoments(n);
  // Every evaluation, for the variance prior: in and out samples are draws of the same U.
  const everything = new RunningMoments(1);

  const snapshot = () => {
    const values = new Array<number>(n);
    const stderr = new Array<number>(n);
    const counts = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const mi = inside.count[i]!;
      const mo = outside.count[i]!;
      counts[i] = Math.min(mi, mo);
      values[i] = mi > 0 && mo > 0 ? inside.mean[i]! - outside.mean[i]! : 0;
      // Variances shrunk towards the variance of all evaluations (one pseudo-observation), so a
      // player whose few samples happen to agree does not report a zero standard error.
      const prior = everything.variance(0);
      stderr[i] =
        mi >= 2 && mo >= 2 && Number.isFinite(prior)
          ? Math.sqrt(inside.shrunkVariance(i, prior) / mi + outside.shrunkVariance(i, prior) / mo)
          : Infinity;
    }
    return { values, stderr, counts, evaluations: evaluator.evaluations };
  };

  const loop: SamplingLoop = {
    nextCost: () => 1,
    exhausted: () => false,
    step: async () => {
      const s = sampleUniformSubset(rng, n);
      const u = await evaluator.value(s);
      everything.push(0, u);
      const member = new Uint8Array(n);
      for (const i of s) member[i] = 1;
      for (let i = 0; i < n; i++) (member[i] ? inside : outside).push(i, u);
    },
    snapshot,
  };
  const status = await drive(loop, options.stopping, evaluator, algorithm, options.onProgress);
  const snap = snapshot();
  return makeResult({
    algorithm,
    players: game.players,
    values: snap.values,
    stderr: snap.stderr,
    counts: snap.counts,
    evaluations: evaluator.evaluations,
    status,
    extras: { target: 'banzhaf' },
  });
}
