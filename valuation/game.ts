/**
 * Games: players (data owners) and a utility on coalitions (DESIGN §7). The utility is async
 * because the real ones train a model (prover) or read a cache; estimators only ever call it
 * through an Evaluator, which counts and budgets the calls.
 */
import type { Coalition } from './coalition.ts';
import { InvalidGameError } from './errors.ts';

/** U(S): the value of a coalition, given as ascending player indices. */
export type Utility = (coalition: Coalition) => Promise<number>;

/**
 * What a utility value depends on besides the coalition. Used as the cache key and, later,
 * written with every evaluation to the job's ledger so a valuation can be replayed.
 */
export interface UtilityMetadata {
  /** Utility family, e.g. "table", "knn-accuracy", "heldout-accuracy", "copyright-llr". */
  readonly kind: string;
  /** Hash of everything fixed across coalitions: model spec, hyper-parameters, test set, x. */
  readonly modelSpecHash: string;
  /** Commitment (Merkle root) of each player's data, in player order. */
  readonly dataRoots: readonly string[];
  /** Seed of any randomness inside U (weight init, data order), as committed by the prover. */
  readonly seed: string;
}

/** A cooperative game over named players. */
export interface Game {
  /** Player ids (owner ids), unique, in a fixed order; coalitions index into this array. */
  readonly players: readonly string[];
  readonly utility: Utility;
  readonly metadata?: UtilityMetadata;
}

/**
 * Builds a game after checking its players: at least one, unique, non-empty, and (when
 * metadata is given) one data root per player.
 */
export function defineGame(
  players: readonly string[],
  utility: Utility,
  metadata?: UtilityMetadata,
): Game {
  if (players.length === 0) throw new InvalidGameError('a game needs at least one player');
  const seen = new Set<string>();
  for (const p of players) {
    if (p.length === 0) throw new InvalidGameError('player ids must be non-empty');
    if (seen.has(p))
      throw new InvalidGameError('player ids must be unique', { details: `got "${p}" twice` });
    seen.add(p);
  }
  if (metadata && metadata.dataRoots.length !== players.length) {
    throw new InvalidGameError('metadata needs one data root per player', {
      details: `got ${metadata.dataRoots.length}, want ${players.length}`,
    });
  }
  return metadata
    ? { players: [...players], utility, metadata }
    : { players: [...players], utility };
}

/** Builds a game from a synchronous set function (closed-form games, tests). */
export function gameFromFunction(
  players: readonly string[],
  f: (coalition: Coalition) => number,
  metadata?: UtilityMetadata,
): Game {
  return defineGame(players, async (c) => f(c), metadata);
}
