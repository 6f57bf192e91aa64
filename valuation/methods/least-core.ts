/**
 * Least core (Maschler, Peleg & Shapley 1979) as a linear program; for data valuation see
 * Yan & Procaccia, AAAI 2021 ("If You Like Shapley Then You'll Love the Core"). With the
 * normalised game v(S) = U(S) − U(∅):
 *     minimise e   s.t.   Σ_{i∈S} x_i + e ≥ v(S)  for every ∅ ≠ S ⊊ N,    Σ_i x_i = v(N).
 * e* is the smallest subsidy that makes every coalition content (e* ≤ 0 iff the core is
 * non-empty). The least core is a set; as in pyDVL we return its unique minimum-norm point
 * (second stage: minimise ‖x‖² with e ≤ e* + tolerance), so results are reproducible.
 * Exact: all 2^n − 2 constraints (n ≤ 16). Sampled (Yan & Procaccia's Monte Carlo least
 * core): the n singletons plus distinct uniformly drawn coalitions up to the evaluation budget;
 * the standard error is from a bootstrap over the drawn constraints.
 */
import { assertMaskable, coalitionOfMask, type Coalition } from '../coalition.ts';
import { SolverError } from '../errors.ts';
import { Evaluator } from '../evaluator.ts';
import type { Game } from '../game.ts';
import { highsSolver } from '../lp/highs.ts';
import type { LinearProgram, LpSolver } from '../lp/program.ts';
import { makeResult, type ValuationResult } from '../result.ts';
import { Rng, type Seed } from '../rng.ts';
import { requireBudget } from './driver.ts';

/** Largest game whose least core is solved with every constraint. */
export const MAX_EXACT_LEAST_CORE_PLAYERS = 16;

export interface LeastCoreOptions {
  /** Constraint coalitions to evaluate; omit for the exact least core. */
  readonly budget?: number;
  readonly seed?: Seed;
  /** Bootstrap replicates for the sampled version's standard errors (default 20). */
  readonly bootstrap?: number;
  /** LP solver (default HiGHS). */
  readonly solver?: LpSolver;
}

/** One least-core constraint: coalition S with normalised value v(S). */
export interface CoreConstraint {
  readonly coalition: Coalition;
  readonly value: number;
}

/** Solution of the least-core program. */
export interface LeastCoreSolution {
  readonly x: number[];
  /** e*: the least-core subsidy. */
  readonly subsidy: number;
}

/** Builds the LP over columns x_0..x_{n−1}, e; `eBound` caps e for the min-norm stage. */
function buildProgram(
  n: number,
  constraints: readonly CoreConstraint[],
  total: number,
  eBound?: number,
): LinearProgram {
  const rows = constraints.length + 1;
  const starts = new Int32Array(rows + 1);
  const nnz = constraints.reduce((a, c) => a + c.coalition.length + 1, 0) + n;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz).fill(1);
  const rowLower = new Float64Array(rows);
  const rowUpper = new Float64Array(rows).fill(Infinity);
  let k = 0;
  constraints.forEach((c, r) => {
    for (const i of c.coalition) indices[k++] = i;
    indices[k++] = n; // e
    starts[r + 1] = k;
    rowLower[r] = c.value;
  });
  for (let i = 0; i < n; i++) indices[k++] = i;
  starts[rows] = k;
  rowLower[rows - 1] = total;
  rowUpper[rows - 1] = total;
  const colCost = new Float64Array(n + 1);
  const colLower = new Float64Array(n + 1).fill(-Infinity);
  const colUpper = new Float64Array(n + 1).fill(Infinity);
  if (eBound === undefined) {
    colCost[n] = 1;
    return {
      numCols: n + 1,
      colCost,
      colLower,
      colUpper,
      rows: { starts, indices, values },
      rowLower,
      rowUpper,
    };
  }
  colUpper[n] = eBound;
  const hessianDiagonal = new Float64Array(n + 1).fill(2);
  hessianDiagonal[n] = 0;
  return {
    numCols: n + 1,
    colCost,
    colLower,
    colUpper,
    rows: { starts, indices, values },
    rowLower,
    rowUpper,
    hessianDiagonal,
  };
}

/** Solves the two-stage least-core program for given constraints. */
export async function solveLeastCore(
  n: number,
  constraints: readonly CoreConstraint[],
  total: number,
  solver: LpSolver = highsSolver,
): Promise<LeastCoreSolution> {
  const lp = await solver(buildProgram(n, constraints, total));
  if (lp.status !== 'optimal')
    throw new SolverError('least-core LP not solved', { details: `status ${lp.status}` });
  const subsidy = lp.x[n]!;
  // Tolerance: the solver's feasibility tolerance is ~1e-7 relative.
  const bound = subsidy + 1e-9 * Math.max(1, Math.abs(subsidy), Math.abs(total));
  const qp = await solver(buildProgram(n, constraints, total, bound));
  if (qp.status !== 'optimal')
    throw new SolverError('least-core min-norm QP not solved', { details: `status ${qp.status}` });
  return { x: Array.from(qp.x.subarray(0, n)), subsidy };
}

/** Exact or sampled least core of a game. */
export async function leastCore(
  game: Game,
  options: LeastCoreOptions = {},
): Promise<ValuationResult> {
  const n = game.players.length;
  const solver = options.solver ?? highsSolver;
  const coalitionCount = 2 ** Math.min(n, 52);
  const sampled = options.budget !== undefined && options.budget < coalitionCount;
  if (!sampled) assertMaskable('exact least core', n, MAX_EXACT_LEAST_CORE_PLAYERS);
  const algorithm = sampled ? 'monte-carlo-least-core' : 'least-core';
  const evaluator = new Evaluator(game, sampled ? options.budget! : coalitionCount);
  // U(∅), U(N) and the n singletons are always evaluated (see below).
  requireBudget(algorithm, evaluator, n + 2);

  const all = Array.from({ length: n }, (_, i) => i);
  const u0 = await evaluator.value([]);
  const total = (await evaluator.value(all)) - u0;
  const evaluate = async (cs: number[][]): Promise<CoreConstraint[]> => {
    const out: CoreConstraint[] = [];
    for (const c of cs) out.push({ coalition: c, value: (await evaluator.value(c)) - u0 });
    return out;
  };
  let fixed: CoreConstraint[];
  let drawn: CoreConstraint[] = [];
  if (sampled) {
    // Singletons (individual rationality) are always included: summing them bounds e from
    // below, so the sampled LP is never unbounded.
    fixed = await evaluate(all.map((i) => [i]));
    drawn = await evaluate(sampleCoalitions(n, evaluator.remaining(), new Rng(options.seed ?? 0)));
  } else {
    fixed = await evaluate(
      Array.from({ length: coalitionCount - 2 }, (_, k) => coalitionOfMask(k + 1, n)),
    );
  }
  const constraints = [...fixed, ...drawn];
  const { x, subsidy } = await solveLeastCore(n, constraints, total, solver);
  const stderr = sampled
    ? await bootstrapStderr(
        n,
        fixed,
        drawn,
        total,
        solver,
        options.bootstrap ?? 20,
        new Rng(`${options.seed ?? 0}/bootstrap`),
      )
    : new Array<number>(n).fill(0);
  return makeResult({
    algorithm,
    players: game.players,
    values: x,
    stderr,
    counts: new Array<number>(n).fill(constraints.length),
    evaluations: evaluator.evaluations,
    // A sampled least core is an estimate whose accuracy no rule certified.
    status: sampled ? 'failed' : 'converged',
    extras: { subsidy, constraints: constraints.length },
  });
}

/** Up to `m` distinct coalitions drawn uniformly among those of size 2..n−1. */
function sampleCoalitions(n: number, m: number, rng: Rng): number[][] {
  const available = 2 ** Math.min(n, 52) - n - 2;
  const want = Math.min(m, available);
  const seen = new Set<string>();
  const out: number[][] = [];
  while (out.length < want) {
    const c: number[] = [];
    for (let i = 0; i < n; i++) if (rng.nextUint32() & 1) c.push(i);
    if (c.length < 2 || c.length === n) continue;
    const key = c.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

/** Standard deviation of the least-core point over bootstrap resamples of the constraints. */
async function bootstrapStderr(
  n: number,
  fixed: readonly CoreConstraint[],
  drawn: readonly CoreConstraint[],
  total: number,
  solver: LpSolver,
  replicates: number,
  rng: Rng,
): Promise<number[]> {
  if (replicates < 2 || drawn.length === 0)
    return new Array<number>(n).fill(drawn.length === 0 ? 0 : Infinity);
  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  for (let r = 0; r < replicates; r++) {
    const resample = drawn.map(() => drawn[rng.int(drawn.length)]!);
    const { x } = await solveLeastCore(n, [...fixed, ...resample], total, solver);
    for (let i = 0; i < n; i++) {
      sum[i]! += x[i]!;
      sumSq[i]! += x[i]! ** 2;
    }
  }
  return Array.from(sum, (s, i) =>
    Math.sqrt(Math.max(0, (sumSq[i]! - (s * s) / replicates) / (replicates - 1))),
  );
}
