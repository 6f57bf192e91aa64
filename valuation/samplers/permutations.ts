/**
 * Permutation sampler: uniform permutations, optionally in antithetic pairs (π, reverse π).
 * Reversal is the antithetic map of Mitchell et al. 2022 ("Sampling permutations for Shapley
 * value estimation", JMLR 23): a player early in π is late in its reverse, so the two
 * marginal contributions are negatively correlated for monotone games and their average has
 * lower variance than two independent permutations.
 */
import type { Rng } from '../rng.ts';

/** The permutations of one sampling step: one, or an antithetic pair. */
export function samplePermutations(rng: Rng, n: number, antithetic: boolean): number[][] {
  const pi = rng.permutation(n);
  return antithetic ? [pi, pi.slice().reverse()] : [pi];
}
