/**
 * Faithful group Shapley value (FGSV; Lee, Liu, Tang & Zhang, NeurIPS 2025, "Faithful Group
 * Shapley Value"): a group's value is the sum of the Shapley values of its units in the
 * game over units,
 *     Φ(G) = Σ_{u∈G} φ_u(U over units).
 * Because the unit-level game does not depend on how units are grouped, splitting an owner
 * into several identities (a "shell company") cannot change its total, and regrouping other
 * owners cannot change it either. Valuing owners as players ("group as individual", see
 * owner-game.ts) has neither property. Units are the finest committed granularity: data
 * points for KNN (exact via knnShapley's grouped output), shards for trained models.
 * Estimation: exact for ≤ 20 units; otherwise permutation sampling over units where each
 * permutation's sample for group G is Σ_{u∈G} of its units' marginals, so the standard error
 * of the group sum is estimated directly (unit estimates are correlated, so summing their
 * standard errors would be wrong).
 */
import { InvalidGameError } from '../errors.ts';
import type { Game } from '../game.ts';
import { makeResult, type ValuationResult } from '../result.ts';
import { MAX_EXACT_PLAYERS, shapleyFromTable, tabulate } from './exact.ts';
import { permutationSampling, type PermutationOptions } from './permutation.ts';

export interface FaithfulGroupOptions {
  /** Owner (group) id of each unit. */
  readonly groupOf: (unit: string) => string;
  /** Sampling configuration; omit for exact enumeration (≤ 20 units). */
  readonly sampling?: PermutationOptions;
}

/** Group names in first-seen order and the group index of every unit. */
export function groupIndex(
  units: readonly string[],
  groupOf: (unit: string) => string,
): { names: string[]; groupOf: Int32Array } {
  const names: string[] = [];
  const index = new Map<string, number>();
  const of = new Int32Array(units.length);
  units.forEach((u, k) => {
    const g = groupOf(u);
    if (!g)
      throw new InvalidGameError('every unit needs a group', { details: `unit "${u}" has none` });
    let idx = index.get(g);
    if (idx === undefined) {
      idx = names.length;
      index.set(g, idx);
      names.push(g);
    }
    of[k] = idx;
  });
  return { names, groupOf: of };
}

export async function faithfulGroupShapley(
  unitGame: Game,
  options: FaithfulGroupOptions,
): Promise<ValuationResult> {
  const groups = groupIndex(unitGame.players, options.groupOf);
  if (options.sampling) {
    return permutationSampling(unitGame, options.sampling, groups, 'faithful-group-shapley');
  }
  if (unitGame.players.length > MAX_EXACT_PLAYERS) {
    throw new InvalidGameError('exact faithful group Shapley enumerates every unit coalition', {
      details: `got ${unitGame.players.length} units, want <= ${MAX_EXACT_PLAYERS}; pass sampling options`,
    });
  }
  const table = await tabulate(unitGame);
  const unitValues = shapleyFromTable(table);
  const values = new Float64Array(groups.names.length);
  const counts = new Float64Array(groups.names.length);
  unitValues.forEach((v, u) => {
    values[groups.groupOf[u]!]! += v;
    counts[groups.groupOf[u]!]! += 1;
  });
  return makeResult({
    algorithm: 'faithful-group-shapley',
    players: groups.names,
    values,
    stderr: new Array<number>(groups.names.length).fill(0),
    counts,
    evaluations: table.evaluations,
    status: 'converged',
    extras: { units: unitGame.players.length },
  });
}
