/**
 * Symmetric games U(S) = f(|S|) and the majority (quota) game. By symmetry and efficiency
 * every player gets φ = (f(n) − f(0))/n; the Banzhaf value is the mean marginal over the
 * binomially distributed size of the others, β = 2^{−(n−1)} Σ_s C(n−1,s)(f(s+1) − f(s)).
 * Majority with quota q (f(s) = 1[s ≥ q]): φ = 1/n, β = C(n−1, q−1)/2^{n−1}.
 */
import { binomial } from '../coalition.ts';
import { InvalidInputError } from '../errors.ts';
import { gameFromFunction } from '../game.ts';
import type { ClosedFormGame } from './closed-form.ts';

export function symmetricGame(
  n: number,
  f: (size: number) => number,
  name = `symmetric(${n})`,
): ClosedFormGame {
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidInputError('need at least one player', { details: `got ${n}` });
  const players = Array.from({ length: n }, (_, i) => `p${i}`);
  let beta = 0;
  for (let s = 0; s < n; s++) beta += binomial(n - 1, s) * (f(s + 1) - f(s));
  beta /= 2 ** (n - 1);
  return {
    name,
    game: gameFromFunction(players, (c) => f(c.length)),
    shapley: new Array<number>(n).fill((f(n) - f(0)) / n),
    banzhaf: new Array<number>(n).fill(beta),
  };
}

/** Voting game: a coalition wins (U = 1) iff it has at least `quota` members. */
export function majorityGame(n: number, quota = Math.floor(n / 2) + 1): ClosedFormGame {
  if (!Number.isInteger(quota) || quota < 1 || quota > n) {
    throw new InvalidInputError('quota must be between 1 and n', {
      details: `got ${quota}, n=${n}`,
    });
  }
  const g = symmetricGame(n, (s) => (s >= quota ? 1 : 0), `majority(${n},q=${quota})`);
  return { ...g, banzhaf: new Array<number>(n).fill(binomial(n - 1, quota - 1) / 2 ** (n - 1)) };
}
