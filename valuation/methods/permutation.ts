/**
 * Permutation-sampling Shapley values (Castro, Gómez & Tejada 2009; Data Shapley's Monte
 * Carlo, Ghorbani & Zou 2019). Each permutation π gives every player one marginal
 * contribution U(P_i ∪ {i}) − U(P_i), with P_i its predecessors, at a cost of n − 1 new
 * evaluations (U(∅) and U(N) are evaluated once per run). The mean of the marginals is
 * unbiased for φ_i; its standard error comes from their sample variance (see shrunkStderr).
 * Variants:
 *  - antithetic: average the marginals of π and its reverse (one sample per pair);
 *  - truncation (TMC-Shapley, Ghorbani & Zou 2019 §3): once |U(prefix) − U(N)| falls below
 *    `truncation` × |U(N) − U(∅)| the remaining marginals are taken as 0 without evaluating
 *    them. Cheaper per permutation, biased when late marginals are not negligible.
 * Every permutation's marginals sum to U(N) − U(∅), so untruncated estimates are efficient.
 */
import { InvalidInputError } from '../errors.ts';
import { Evaluator } from '../evaluator.ts';
import type { Game } from '../game.ts';
import { RunningMoments } from '../moments.ts';
import { makeResult, type ValuationResult } from '../result.ts';
import { Rng } from '../rng.ts';
import { samplePermutations } from '../samplers/permutations.ts';
import {
  drive,
  insertSorted,
  requireBudget,
  singlePlayerResult,
  type SamplingLoop,
  type SamplingOptions,
} from './driver.ts';

export interface PermutationOptions extends SamplingOptions {
  /** Sample (π, reverse π) pairs. */
  readonly antithetic?: boolean;
  /** TMC relative truncation tolerance (e.g. 0.01); off when undefined. */
  readonly truncation?: number;
}

/**
 * Reports marginals per group instead of per player: group g's sample is the sum of its
 * members' marginals in the permutation (used by faithful group Shapley).
 */
export interface MarginalAggregation {
  readonly names: readonly string[];
  /** Group index of every player. */
  readonly groupOf: ArrayLike<number>;
}

/** Algorithm id of a permutation configuration. */
export function permutationAlgorithmName(options: PermutationOptions): string {
  if (options.truncation !== undefined)
    return options.antithetic ? 'truncated-antithetic-permutation' : 'truncated-permutation';
  return options.antithetic ? 'antithetic-permutation' : 'permutation';
}

/** Shapley values by permutation sampling. */
export async function permutationShapley(
  game: Game,
  options: PermutationOptions,
): Promise<ValuationResult> {
  return permutationSampling(game, options);
}

/** Permutation sampling with optional aggregation of marginals into groups. */
export async function permutationSampling(
  game: Game,
  options: PermutationOptions,
  aggregation?: MarginalAggregation,
  algorithm = permutationAlgorithmName(options),
): Promise<ValuationResult> {
  const n = game.players.length;
  const tol = options.truncation;
  if (tol !== undefined && !(tol >= 0 && tol < 1)) {
    throw new InvalidInputError('truncation tolerance must be in [0, 1)', {
      details: `got ${tol}`,
    });
  }
  if (n === 1 && aggregation) {
    throw new InvalidInputError('grouped permutation sampling needs at least 2 players');
  }
  const evaluator = new Evaluator(game, options.stopping.evaluationLimit());
  const perStep = options.antithetic ? 2 : 1;
  if (n === 1 && !aggregation) return singlePlayerResult(game, evaluator, algorithm);
  requireBudget(algorithm, evaluator, 2 + perStep * (n - 1));

  const rng = new Rng(options.seed ?? 0);
  const groupOf = aggregation?.groupOf ?? Int32Array.from({ length: n }, (_, i) => i);
  const names = aggregation?.names ?? game.players;
  const all = Array.from({ length: n }, (_, i) => i);
  const u0 = await evaluator.value([]);
  const uN = await evaluator.value(all);
  // Strict comparison below with tol < 1 guarantees at least one evaluation per permutation.
  const cutoff = tol === undefined ? 0 : tol * Math.abs(uN - u0);
  const moments = new RunningMoments(names.length);
  const sample = new Float64Array(names.length);

  const walk = async (pi: readonly number[], out: Float64Array): Promise<void> => {
    let prefix: number[] = [];
    let prev = u0;
    for (let k = 0; k < n; k++) {
      const player = pi[k]!;
      if (Math.abs(uN - prev) < cutoff) break; // truncated: remaining marginals are 0
      prefix = insertSorted(prefix, player);
      const next = k === n - 1 ? uN : await evaluator.value(prefix);
      out[groupOf[player]!]! += next - prev;
      prev = next;
    }
  };

  const loop: SamplingLoop = {
    nextCost: () => perStep * (n - 1),
    exhausted: () => false,
    step: async () => {
      sample.fill(0);
      const perms = samplePermutations(rng, n, options.antithetic ?? false);
      for (const pi of perms) await walk(pi, sample);
      for (let g = 0; g < names.length; g++) moments.push(g, sample[g]! / perms.length);
    },
    snapshot: () => ({
      values: moments.mean,
      stderr: shrunkStderr(moments),
      counts: moments.count,
      evaluations: evaluator.evaluations,
    }),
  };
  const status = await drive(loop, options.stopping, evaluator, algorithm, options.onProgress);
  const snap = loop.snapshot();
  return makeResult({
    algorithm,
    players: names,
    values: snap.values,
    stderr: snap.stderr,
    counts: snap.counts,
    evaluations: evaluator.evaluations,
    status,
  });
}

/**
 * Standard errors with each player's marginal variance shrunk towards the mean variance over
 * players (one pseudo-observation). A player whose marginals happened to be all equal — common
 * in voting-like games, where a marginal is 0 unless the player is pivotal — would otherwise
 * report a zero standard error after a handful of samples.
 */
export function shrunkStderr(moments: RunningMoments): number[] {
  let prior = 0;
  let k = 0;
  for (let i = 0; i < moments.size; i++) {
    const v = moments.variance(i);
    if (Number.isFinite(v)) {
      prior += v;
      k++;
    }
  }
  return Array.from({ length: moments.size }, (_, i) => {
    const c = moments.count[i]!;
    if (c < 2 || k === 0) return Infinity;
    return Math.sqrt(moments.shrunkVariance(i, prior / k) / c);
  });
}
