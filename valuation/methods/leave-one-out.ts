/**
 * Leave-one-out values λ_i = U(N) − U(N∖i) with n + 1 evaluations (Cook 1977's influence idea
 * applied to data). Cheap but not a fair division: duplicated data gets λ = 0 for both copies.
 */
import { Evaluator } from '../evaluator.ts';
import type { Game } from '../game.ts';
import { makeResult, type ValuationResult } from '../result.ts';

export async function leaveOneOut(game: Game): Promise<ValuationResult> {
  const n = game.players.length;
  const evaluator = new Evaluator(game, n + 1);
  const all = Array.from({ length: n }, (_, i) => i);
  const uN = await evaluator.value(all);
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    values.push(uN - (await evaluator.value(all.filter((j) => j !== i))));
  }
  return makeResult({
    algorithm: 'leave-one-out',
    players: game.players,
    values,
    stderr: new Array<number>(n).fill(0),
    counts: new Array<number>(n).fill(1),
    evaluations: evaluator.evaluations,
    status: 'converged',
  });
}
