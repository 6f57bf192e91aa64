/**
 * Airport game (Littlechild & Owen 1973): planes need runways of increasing cost c_1 ≤ … ≤ c_n,
 * and a coalition pays for the longest runway it needs, U(S) = −max_{i∈S} c_i. The Shapley
 * value splits each runway segment equally among the planes that use it:
 *   φ_i = −Σ_{j ≤ i} (c_j − c_{j−1}) / (n − j + 1),   c_0 = 0.
 * An oracle with unequal, negative values.
 */
import { InvalidInputError } from '../errors.ts';
import { gameFromFunction } from '../game.ts';
import type { ClosedFormGame } from './closed-form.ts';

export function airportGame(costs: readonly number[]): ClosedFormGame {
  for (let i = 1; i < costs.length; i++) {
    if (costs[i]! < costs[i - 1]!)
      throw new InvalidInputError('airport costs must be non-decreasing', {
        details: `got ${costs.join(',')}`,
      });
  }
  const n = costs.length;
  const players = costs.map((_, i) => `plane${i}`);
  const shapley: number[] = [];
  let acc = 0;
  for (let j = 0; j < n; j++) {
    acc += (costs[j]! - (j === 0 ? 0 : costs[j - 1]!)) / (n - j);
    shapley.push(-acc);
  }
  return {
    name: `airport(${n})`,
    game: gameFromFunction(players, (c) => (c.length === 0 ? 0 : -costs[c[c.length - 1]!]!)),
    shapley,
  };
}
