/**
 * Counts and budgets utility calls for one estimator run. "Evaluations" in every result are
 * calls made through this class (a cache below it may answer some of them for free; the count
 * is what the estimator asked for, the quantity its accuracy depends on).
 */
import type { Coalition } from './coalition.ts';
import { BudgetExhaustedError, UtilityNotFiniteError } from './errors.ts';
import type { Game } from './game.ts';

export class Evaluator {
  readonly game: Game;
  /** Maximum number of evaluations; Infinity when unbounded. */
  readonly limit: number;
  #count = 0;

  constructor(game: Game, limit = Infinity) {
    this.game = game;
    this.limit = limit;
  }

  /** Evaluations made so far. */
  get evaluations(): number {
    return this.#count;
  }

  /** Evaluations still allowed. */
  remaining(): number {
    return this.limit - this.#count;
  }

  /** Whether `k` more evaluations fit in the budget. */
  canAfford(k: number): boolean {
    return this.#count + k <= this.limit;
  }

  /** U(S). Throws BudgetExhaustedError past the limit and UtilityNotFiniteError on NaN/±∞. */
  async value(coalition: Coalition): Promise<number> {
    if (this.#count >= this.limit) throw new BudgetExhaustedError(this.limit);
    this.#count++;
    const v = await this.game.utility(coalition);
    if (!Number.isFinite(v)) {
      throw new UtilityNotFiniteError(
        coalition.map((i) => this.game.players[i] ?? String(i)),
        v,
      );
    }
    return v;
  }
}
