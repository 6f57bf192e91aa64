/**
 * Glove (shoes) game (von Neumann & Morgenstern 1944; pyDVL's ShoesGame): `left` players hold
 * a left glove, `right` players a right one, and a coalition is worth its number of pairs,
 * U(S) = min(|S ∩ L|, |S ∩ R|). A left player's marginal to S is 1 iff S has more right than
 * left gloves, so with S a uniform coalition of size s among the others (a left and s − a
 * right gloves, hypergeometric):
 *   φ_left = (1/n) Σ_s Σ_a [s−a > a] C(ℓ−1,a)·C(r,s−a) / C(n−1,s),
 *   β_left = 2^{−(n−1)} Σ_{a,b} [b > a] C(ℓ−1,a)·C(r,b).
 * E.g. one left and two right gloves: φ = (2/3, 1/6, 1/6).
 */
import { binomial } from '../coalition.ts';
import { InvalidInputError } from '../errors.ts';
import { gameFromFunction } from '../game.ts';
import type { ClosedFormGame } from './closed-form.ts';

function shapleyOfScarce(mine: number, other: number): number {
  const n = mine + other;
  let phi = 0;
  for (let s = 0; s < n; s++) {
    let p = 0;
    for (let a = 0; a <= Math.min(s, mine - 1); a++) {
      if (s - a > a) p += binomial(mine - 1, a) * binomial(other, s - a);
    }
    phi += p / binomial(n - 1, s);
  }
  return phi / n;
}

function banzhafOfScarce(mine: number, other: number): number {
  let total = 0;
  for (let a = 0; a < mine; a++)
    for (let b = a + 1; b <= other; b++) total += binomial(mine - 1, a) * binomial(other, b);
  return total / 2 ** (mine + other - 1);
}

export function gloveGame(left: number, right: number): ClosedFormGame {
  if (!Number.isInteger(left) || !Number.isInteger(right) || left < 1 || right < 1) {
    throw new InvalidInputError('glove game needs at least one left and one right player', {
      details: `got left=${left}, right=${right}`,
    });
  }
  const players = [
    ...Array.from({ length: left }, (_, i) => `L${i}`),
    ...Array.from({ length: right }, (_, i) => `R${i}`),
  ];
  const game = gameFromFunction(players, (c) => {
    let l = 0;
    for (const i of c) if (i < left) l++;
    return Math.min(l, c.length - l);
  });
  const pl = shapleyOfScarce(left, right);
  const pr = shapleyOfScarce(right, left);
  const bl = banzhafOfScarce(left, right);
  const br = banzhafOfScarce(right, left);
  return {
    name: `glove(${left},${right})`,
    game,
    shapley: players.map((_, i) => (i < left ? pl : pr)),
    banzhaf: players.map((_, i) => (i < left ? bl : br)),
  };
}
