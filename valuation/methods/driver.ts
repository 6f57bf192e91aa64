/**
 * The sampling loop shared by Monte Carlo estimators: check the stopping rule, stop when the
 * budget cannot cover the next unit of work or everything has been enumerated, else step.
 */
import { BudgetTooSmallError } from '../errors.ts';
import type { Evaluator } from '../evaluator.ts';
import type { Game } from '../game.ts';
import { makeResult, type Status, type ValuationResult } from '../result.ts';
import type { Seed } from '../rng.ts';
import type { ProgressSnapshot, StoppingRule } from '../stopping.ts';

/** What a progress callback receives after each unit of work. */
export interface ProgressReport extends ProgressSnapshot {
  readonly algorithm: string;
  /** Stopping-rule completion in [0, 1]. */
  readonly completion: number;
  /** Largest finite standard error (Infinity while some value has none). */
  readonly maxStderr: number;
  /** Evaluation cap of the run (Infinity if none). */
  readonly limit: number;
}

/** Options every sampling estimator accepts. */
export interface SamplingOptions {
  /** When to stop; its evaluation limit (if any) is also a hard cap. */
  readonly stopping: StoppingRule;
  /** PRNG seed (default 0); same seed, same game → same result. */
  readonly seed?: Seed;
  readonly onProgress?: (report: ProgressReport) => void;
}

/** One estimator's incremental state, driven by `drive`. */
export interface SamplingLoop {
  /** Evaluations the next step may use (an upper bound). */
  nextCost(): number;
  /** True when every coalition the estimator could sample has been evaluated (values exact). */
  exhausted(): boolean;
  step(): Promise<void>;
  snapshot(): ProgressSnapshot;
}

/** Runs `loop` until the stopping rule stops it, the budget runs out, or it is exhausted. */
export async function drive(
  loop: SamplingLoop,
  stopping: StoppingRule,
  evaluator: Evaluator,
  algorithm: string,
  onProgress?: (report: ProgressReport) => void,
): Promise<Exclude<Status, 'pending'>> {
  stopping.reset();
  for (;;) {
    const snapshot = loop.snapshot();
    const status = loop.exhausted() ? 'converged' : stopping.check(snapshot);
    if (onProgress) {
      let maxStderr = 0;
      for (let i = 0; i < snapshot.stderr.length; i++) {
        maxStderr = Math.max(maxStderr, snapshot.stderr[i]!);
      }
      onProgress({
        ...snapshot,
        algorithm,
        completion: status === 'pending' ? stopping.completion(snapshot) : 1,
        maxStderr,
        limit: evaluator.limit,
      });
    }
    if (status !== 'pending') return status;
    if (!evaluator.canAfford(loop.nextCost())) return 'failed';
    await loop.step();
  }
}

/** Throws BudgetTooSmallError when the evaluation cap is below the method's minimum. */
export function requireBudget(algorithm: string, evaluator: Evaluator, minimum: number): void {
  if (evaluator.limit < minimum) throw new BudgetTooSmallError(algorithm, evaluator.limit, minimum);
}

/** A one-player game has the exact answer φ = U(N) − U(∅) for every efficient value. */
export async function singlePlayerResult(
  game: Game,
  evaluator: Evaluator,
  algorithm: string,
): Promise<ValuationResult> {
  requireBudget(algorithm, evaluator, 2);
  const v = (await evaluator.value([0])) - (await evaluator.value([]));
  return makeResult({
    algorithm,
    players: game.players,
    values: [v],
    stderr: [0],
    counts: [1],
    evaluations: evaluator.evaluations,
    status: 'converged',
  });
}

/** Inserts x into a sorted array, returning a new array (coalitions are never mutated). */
export function insertSorted(sorted: readonly number[], x: number): number[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  const out = sorted.slice();
  out.splice(lo, 0, x);
  return out;
}
