/**
 * ValuationResult: what every estimator returns (pyDVL's result, minus its 1,000 lines).
 * Values come with standard errors, the number of utility evaluations used, per-player sample
 * counts, the final stopping status and the algorithm that produced them.
 */
import { InvalidInputError } from './errors.ts';

/** Stopping status: still running, stopped with the goal met, or stopped without it. */
export type Status = 'pending' | 'converged' | 'failed';

export interface ValuationResult {
  /** Algorithm id, e.g. "permutation", "kernel-shap", "exact-shapley". */
  readonly algorithm: string;
  readonly players: readonly string[];
  readonly values: readonly number[];
  /** Standard error of each value (0 when exact, Infinity when not yet estimable). */
  readonly stderr: readonly number[];
  /** Number of samples that informed each value. */
  readonly counts: readonly number[];
  /** Utility evaluations used. */
  readonly evaluations: number;
  readonly status: Status;
  /** True iff the stopping rule reported convergence (or the method is exact). */
  readonly converged: boolean;
  /** Method-specific extras (least-core subsidy, Banzhaf target, …). */
  readonly extras?: Readonly<Record<string, unknown>>;
}

export interface MakeResultParameters {
  readonly algorithm: string;
  readonly players: readonly string[];
  readonly values: ArrayLike<number>;
  readonly stderr: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
  readonly evaluations: number;
  readonly status: Exclude<Status, 'pending'>;
  readonly extras?: Readonly<Record<string, unknown>>;
}

/** Builds a frozen result, checking that every per-player array has one entry per player. */
export function makeResult(p: MakeResultParameters): ValuationResult {
  const n = p.players.length;
  for (const [name, arr] of [
    ['values', p.values],
    ['stderr', p.stderr],
    ['counts', p.counts],
  ] as const) {
    if (arr.length !== n) {
      throw new InvalidInputError(`result ${name} has the wrong length`, {
        details: `got ${arr.length}, want ${n}`,
      });
    }
  }
  const result: ValuationResult = {
    algorithm: p.algorithm,
    players: Object.freeze([...p.players]),
    values: Object.freeze(Array.from(p.values)),
    stderr: Object.freeze(Array.from(p.stderr)),
    counts: Object.freeze(Array.from(p.counts)),
    evaluations: p.evaluations,
    status: p.status,
    converged: p.status === 'converged',
    ...(p.extras ? { extras: Object.freeze({ ...p.extras }) } : {}),
  };
  return Object.freeze(result);
}

/** JSON form used by the CLI and the service: values keyed by player; non-finite → null. */
export interface ValuationResultJSON {
  readonly algorithm: string;
  readonly values: Record<string, number | null>;
  readonly stderr: Record<string, number | null>;
  readonly counts: Record<string, number>;
  readonly evaluations: number;
  readonly status: Status;
  readonly converged: boolean;
  readonly extras?: Readonly<Record<string, unknown>>;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Serialises a result for `--json` output and HTTP responses. */
export function resultToJSON(r: ValuationResult): ValuationResultJSON {
  const values: Record<string, number | null> = {};
  const stderr: Record<string, number | null> = {};
  const counts: Record<string, number> = {};
  r.players.forEach((p, i) => {
    values[p] = finiteOrNull(r.values[i]!);
    stderr[p] = finiteOrNull(r.stderr[i]!);
    counts[p] = r.counts[i]!;
  });
  return {
    algorithm: r.algorithm,
    values,
    stderr,
    counts,
    evaluations: r.evaluations,
    status: r.status,
    converged: r.converged,
    ...(r.extras ? { extras: r.extras } : {}),
  };
}

/** ‖estimate − truth‖₂ / ‖truth‖₂, the error measure of the benchmark. */
export function relativeL2Error(estimate: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (estimate.length !== truth.length) {
    throw new InvalidInputError('vectors differ in length', {
      details: `got ${estimate.length}, want ${truth.length}`,
    });
  }
  let num = 0;
  let den = 0;
  for (let i = 0; i < truth.length; i++) {
    num += (estimate[i]! - truth[i]!) ** 2;
    den += truth[i]! ** 2;
  }
  return Math.sqrt(num) / Math.sqrt(den);
}
