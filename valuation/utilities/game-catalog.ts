/**
 * Games that can be named in a request (the service's `POST /v1/valuations`, the CLI's
 * `--utility`): a utility table given inline, or one of the real penguins games. A descriptor
 * is normalised (defaults filled in, table keys canonical) before it is hashed into a
 * valuation id, so two spellings of one game get one id.
 */
import { readVegaJson } from '../../prover/data/vega.ts';
import { penguinGame } from '../datasets/penguins.ts';
import type { Game } from '../game.ts';
import type { HeldOutMetric } from './heldout-training.ts';
import { penguinsMlpGame } from './penguins-mlp.ts';
import { tableGameFromJSON, tableGameToJSON } from './table.ts';

export const GAME_KINDS = ['table', 'penguins-knn', 'penguins-mlp'] as const;
export type GameKind = (typeof GAME_KINDS)[number];

export interface TableGameDescriptor {
  readonly kind: 'table';
  readonly players: readonly string[];
  readonly utility: Readonly<Record<string, number>>;
}

/** The 12-owner penguins game: held-out accuracy of a K-NN classifier (cheap, exact-able). */
export interface PenguinsKnnDescriptor {
  readonly kind: 'penguins-knn';
  readonly k: number;
}

/** The 3-island penguins game: held-out score of an MLP trained by the prover (cpu backend). */
export interface PenguinsMlpDescriptor {
  readonly kind: 'penguins-mlp';
  readonly steps: number;
  readonly seed: number;
  readonly metric: HeldOutMetric;
}

export type GameDescriptor = TableGameDescriptor | PenguinsKnnDescriptor | PenguinsMlpDescriptor;

/** Canonical form of a descriptor; validates a table (throws the table's typed errors). */
export function normaliseGame(d: GameDescriptor): GameDescriptor {
  if (d.kind !== 'table') return d;
  const { players, utility } = tableGameToJSON(tableGameFromJSON(d));
  return { kind: 'table', players, utility };
}

/** Builds the game a descriptor names (the penguins games read vega-datasets' JSON). */
export function buildGame(d: GameDescriptor): Game {
  switch (d.kind) {
    case 'table':
      return tableGameFromJSON(d);
    case 'penguins-knn':
      return penguinGame(readVegaJson<Record<string, unknown>>('penguins.json'), { k: d.k }).game;
    case 'penguins-mlp':
      return penguinsMlpGame({ steps: d.steps, seed: d.seed, metric: d.metric, backend: 'cpu' });
  }
}
