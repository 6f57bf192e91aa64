/**
 * Adds dummy (null) players to a closed-form game: U'(S) = U(S ∖ dummies). By the null-player
 * axiom the dummies get 0 and everybody else keeps their value — for Shapley and Banzhaf.
 */
import { defineGame } from '../game.ts';
import type { ClosedFormGame } from './closed-form.ts';

export function withDummies(base: ClosedFormGame, count: number): ClosedFormGame {
  const n = base.game.players.length;
  const players = [...base.game.players, ...Array.from({ length: count }, (_, i) => `dummy${i}`)];
  const zeros = new Array<number>(count).fill(0);
  return {
    name: `${base.name}+${count} dummies`,
    game: defineGame(players, (c) => base.game.utility(c.filter((i) => i < n))),
    shapley: [...base.shapley, ...zeros],
    ...(base.banzhaf ? { banzhaf: [...base.banzhaf, ...zeros] } : {}),
  };
}
