/**
 * Exact values from the full utility table: all 2^n coalitions are evaluated once and
 * Shapley, Banzhaf and leave-one-out are all read off the same table, so the expensive part
 * (training 2^n models) is shared. Feasible up to ~20 players.
 *   Shapley  φ_i = Σ_{S ⊆ N∖i} |S|!(n−|S|−1)!/n! · (U(S∪i) − U(S))      (Shapley 1953)
 *   Banzhaf  β_i = 2^{−(n−1)} Σ_{S ⊆ N∖i} (U(S∪i) − U(S))                 (Banzhaf 1965)
 *   LOO      λ_i = U(N) − U(N∖i)
 */
import { assertMaskable, coalitionOfMask, popcount } from '../coalition.ts';
import { Evaluator } from '../evaluator.ts';
import type { Game } from '../game.ts';
import { makeResult, type ValuationResult } from '../result.ts';

/** Largest game solved by full enumeration. */
export const MAX_EXACT_PLAYERS = 20;

/** U on every coalition, indexed by bit mask. */
export interface UtilityTable {
  readonly players: readonly string[];
  readonly values: Float64Array;
  readonly evaluations: number;
}

/** Evaluates every coalition once (2^n evaluations). */
export async function tabulate(
  game: Game,
  onProgress?: (done: number, total: number) => void,
): Promise<UtilityTable> {
  const n = game.players.length;
  assertMaskable('exact enumeration', n, MAX_EXACT_PLAYERS);
  const total = 2 ** n;
  const evaluator = new Evaluator(game, total);
  const values = new Float64Array(total);
  for (let mask = 0; mask < total; mask++) {
    values[mask] = await evaluator.value(coalitionOfMask(mask, n));
    if (onProgress && (mask & 1023) === 1023) onProgress(mask + 1, total);
  }
  onProgress?.(total, total);
  return { players: game.players, values, evaluations: evaluator.evaluations };
}

/** Exact Shapley values from a full table (O(n·2^n)). */
export function shapleyFromTable(table: UtilityTable): number[] {
  const n = table.players.length;
  const t = table.values;
  // weight[s] = s!(n−s−1)!/n! = 1 / (n · C(n−1, s)), computed by recurrence to avoid factorials.
  const weight = new Float64Array(n);
  weight[0] = 1 / n;
  for (let s = 1; s < n; s++) weight[s] = (weight[s - 1]! * s) / (n - s);
  const phi = new Float64Array(n);
  for (let mask = 0; mask < t.length; mask++) {
    const w = weight[popcount(mask)];
    if (w === undefined) continue; // the grand coalition has no outside player
    const base = t[mask]!;
    for (let i = 0; i < n; i++) {
      if (!((mask >>> i) & 1)) phi[i]! += w * (t[mask | (1 << i)]! - base);
    }
  }
  return Array.from(phi);
}

/** Exact Banzhaf values from a full table. */
export function banzhafFromTable(table: UtilityTable): number[] {
  const n = table.players.length;
  const t = table.values;
  const beta = new Float64Array(n);
  for (let mask = 0; mask < t.length; mask++) {
    for (let i = 0; i < n; i++) {
      if (!((mask >>> i) & 1)) beta[i]! += t[mask | (1 << i)]! - t[mask]!;
    }
  }
  const scale = 2 ** (n - 1);
  return Array.from(beta, (b) => b / scale);
}

/** Leave-one-out values from a full table. */
export function leaveOneOutFromTable(table: UtilityTable): number[] {
  const n = table.players.length;
  const full = table.values.length - 1;
  return Array.from({ length: n }, (_, i) => table.values[full]! - table.values[full & ~(1 << i)]!);
}

function exactResult(table: UtilityTable, algorithm: string, values: number[]): ValuationResult {
  const n = table.players.length;
  return makeResult({
    algorithm,
    players: table.players,
    values,
    stderr: new Array<number>(n).fill(0),
    counts: new Array<number>(n).fill(table.values.length / 2),
    evaluations: table.evaluations,
    status: 'converged',
  });
}

/** Exact Shapley values (2^n evaluations). */
export async function exactShapley(game: Game): Promise<ValuationResult> {
  const table = await tabulate(game);
  return exactResult(table, 'exact-shapley', shapleyFromTable(table));
}

/** Exact Banzhaf values (2^n evaluations). */
export async function exactBanzhaf(game: Game): Promise<ValuationResult> {
  const table = await tabulate(game);
  return exactResult(table, 'exact-banzhaf', banzhafFromTable(table));
}

/** Shapley, Banzhaf and leave-one-out from one enumeration. */
export async function exactAll(
  game: Game,
): Promise<{ shapley: ValuationResult; banzhaf: ValuationResult; leaveOneOut: ValuationResult }> {
  const table = await tabulate(game);
  return {
    shapley: exactResult(table, 'exact-shapley', shapleyFromTable(table)),
    banzhaf: exactResult(table, 'exact-banzhaf', banzhafFromTable(table)),
    leaveOneOut: exactResult(table, 'leave-one-out', leaveOneOutFromTable(table)),
  };
}
