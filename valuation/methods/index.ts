/**
 * Method registry: maps the CLI/service method names to estimators with a common option set.
 */
import { UnknownMethodError } from '../errors.ts';
import type { Game } from '../game.ts';
import type { ValuationResult } from '../result.ts';
import type { Seed } from '../rng.ts';
import { maxEvaluations, or, standardError, type StoppingRule } from '../stopping.ts';
import type { ProgressReport } from './driver.ts';
import {
  banzhafFromTable,
  leaveOneOutFromTable,
  shapleyFromTable,
  tabulate,
  type UtilityTable,
} from './exact.ts';
import { gpShapley } from './gp-shapley.ts';
import { kernelShap } from './kernel-shap.ts';
import { leastCore } from './least-core.ts';
import { leaveOneOut } from './leave-one-out.ts';
import { msrBanzhaf } from './msr-banzhaf.ts';
import { permutationShapley } from './permutation.ts';
import { stratifiedShapley } from './stratified.ts';
import { makeResult } from '../result.ts';

export const METHOD_NAMES = [
  'exact',
  'banzhaf',
  'loo',
  'permutation',
  'antithetic',
  'tmc',
  'stratified',
  'kernel',
  'gp',
  'msr-banzhaf',
  'least-core',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

/** Default evaluation budget of sampling methods. */
export const DEFAULT_BUDGET = 2000;

export interface RunMethodOptions {
  /** Evaluation budget (sampling methods; least core samples constraints when below 2^n). */
  readonly budget?: number;
  readonly seed?: Seed;
  /** Also stop once every standard error is at most this. */
  readonly tolerance?: number;
  /** TMC truncation tolerance (default 0.01). */
  readonly truncation?: number;
  readonly onProgress?: (report: ProgressReport) => void;
}

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}

function stoppingFor(options: RunMethodOptions): StoppingRule {
  const budget = maxEvaluations(options.budget ?? DEFAULT_BUDGET);
  return options.tolerance === undefined ? budget : or(standardError(options.tolerance), budget);
}

/** A table game already holds U on every coalition; reuse it instead of re-evaluating. */
async function tableOf(game: Game): Promise<UtilityTable> {
  const table = (game as { table?: UtilityTable }).table;
  return table ?? tabulate(game);
}

async function fromTable(
  game: Game,
  algorithm: string,
  f: (t: UtilityTable) => number[],
): Promise<ValuationResult> {
  const table = await tableOf(game);
  const n = game.players.length;
  return makeResult({
    algorithm,
    players: game.players,
    values: f(table),
    stderr: new Array<number>(n).fill(0),
    counts: new Array<number>(n).fill(table.values.length / 2),
    evaluations: table.values.length,
    status: 'converged',
  });
}

/** Runs a named method on a game. */
export async function runMethod(
  name: string,
  game: Game,
  options: RunMethodOptions = {},
): Promise<ValuationResult> {
  if (!isMethodName(name)) throw new UnknownMethodError(name, METHOD_NAMES);
  const sampling = {
    stopping: stoppingFor(options),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  switch (name) {
    case 'exact':
      return fromTable(game, 'exact-shapley', shapleyFromTable);
    case 'banzhaf':
      return fromTable(game, 'exact-banzhaf', banzhafFromTable);
    case 'loo':
      return (game as { table?: UtilityTable }).table
        ? fromTable(game, 'leave-one-out', leaveOneOutFromTable)
        : leaveOneOut(game);
    case 'permutation':
      return permutationShapley(game, sampling);
    case 'antithetic':
      return permutationShapley(game, { ...sampling, antithetic: true });
    case 'tmc':
      return permutationShapley(game, { ...sampling, truncation: options.truncation ?? 0.01 });
    case 'stratified':
      return stratifiedShapley(game, sampling);
    case 'kernel':
      return kernelShap(game, sampling);
    case 'gp':
      return gpShapley(game, sampling);
    case 'msr-banzhaf':
      return msrBanzhaf(game, sampling);
    case 'least-core':
      return leastCore(game, {
        ...(options.budget !== undefined ? { budget: options.budget } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      });
  }
}
