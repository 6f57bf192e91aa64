/**
 * A valuation request as the service stores and hashes it, and the two deterministic steps
 * that turn it into published numbers: the estimator run and the payout plan. The service and
 * the auditor (`audit.ts`) both call these, so an audit replays exactly what the service ran.
 */
import type { Game } from './game.ts';
import { runMethod, type MethodName } from './methods/index.ts';
import { payoutPlanToJSON, planPayout } from './payout/plan.ts';
import type { ValuationResult } from './result.ts';
import type { GameDescriptor } from './utilities/game-catalog.ts';

/** Revenue pool to split by the values (smallest units as a decimal string). */
export interface PoolRequest {
  readonly amount: string;
  readonly optOut: readonly string[];
  readonly addresses?: Readonly<Record<string, string>>;
  readonly confidence: number;
}

/** The normalised request; a valuation's id is SHA-256 of its RFC 8785 form. */
export interface ValuationRequest {
  readonly v: 1;
  readonly game: GameDescriptor;
  readonly method: MethodName;
  readonly budget: number | null;
  readonly seed: number | string;
  readonly tolerance: number | null;
  readonly pool: PoolRequest | null;
}

/** Runs the request's estimator on `game` (seeded, so the same request gives the same result). */
export function runRequest(request: ValuationRequest, game: Game): Promise<ValuationResult> {
  return runMethod(request.method, game, {
    ...(request.budget !== null ? { budget: request.budget } : {}),
    seed: request.seed,
    ...(request.tolerance !== null ? { tolerance: request.tolerance } : {}),
  });
}

/** The payout plan of a result for a pool, in its JSON form (the seed fixes the intervals). */
export function planRequestPayout(
  result: ValuationResult,
  pool: PoolRequest,
): Record<string, unknown> {
  return payoutPlanToJSON(
    planPayout({
      owners: result.players,
      values: result.values,
      stderr: result.stderr,
      pool: BigInt(pool.amount),
      optOut: pool.optOut,
      ...(pool.addresses ? { addresses: pool.addresses } : {}),
      confidence: pool.confidence,
      seed: 'payout-intervals',
    }),
  );
}
