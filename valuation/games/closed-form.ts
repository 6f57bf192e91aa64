/**
 * A game with known values, used as an oracle in tests (pyDVL's games module: values from a
 * formula, never from the enumeration code being tested).
 */
import type { Game } from '../game.ts';

export interface ClosedFormGame {
  readonly name: string;
  readonly game: Game;
  /** Shapley values from a closed-form expression. */
  readonly shapley: readonly number[];
  /** Banzhaf values from a closed-form expression, when one is known. */
  readonly banzhaf?: readonly number[];
}
