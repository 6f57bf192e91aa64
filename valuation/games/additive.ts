/**
 * Additive (inessential) game U(S) = c + Σ_{i∈S} w_i: every marginal of i is w_i, so
 * Shapley, Banzhaf and leave-one-out all equal w. Estimators must be exact here up to
 * floating point (permutation sampling has zero variance).
 */
import { gameFromFunction } from '../game.ts';
import type { ClosedFormGame } from './closed-form.ts';

export function additiveGame(weights: readonly number[], constant = 0): ClosedFormGame {
  const players = weights.map((_, i) => `a${i}`);
  return {
    name: `additive(${weights.length})`,
    game: gameFromFunction(players, (c) => c.reduce((acc, i) => acc + weights[i]!, constant)),
    shapley: [...weights],
    banzhaf: [...weights],
  };
}
