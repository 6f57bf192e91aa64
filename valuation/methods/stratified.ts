/**
 * Stratified Shapley estimation without marginal contributions (Stratified SVARM, Kolpaczki,
 * Bengs, Muschalik & Hüllermeier, AAAI 2024), with Neyman allocation across coalition sizes
 * and sampling without replacement inside each size.
 *
 * Decomposition: with μ⁺_{i,ℓ} the mean of U(S) over |S| = ℓ+1, i ∈ S and μ⁻_{i,ℓ} the mean over
 * |S| = ℓ, i ∉ S,
 *     φ_i = (1/n) Σ_{ℓ=0}^{n−1} (μ⁺_{i,ℓ} − μ⁻_{i,ℓ}).
 * One evaluation of a size-s coalition S updates a stratum of *every* player (μ⁺_{i,s−1} for
 * i ∈ S, μ⁻_{i,s} otherwise), which is why this beats permutation sampling per evaluation.
 * Sizes 0, 1, n−1 and n (2n+2 coalitions) are evaluated exhaustively first — their strata are
 * the ones with the largest Shapley weight per coalition. The other sizes are sampled: a pilot
 * of `pilot` coalitions per size, then each next evaluation goes to the size that most reduces
 * Σ_i Var(φ̂_i), i.e. argmax_s A_s / (m_s(m_s+1)) with
 *     A_s = Σ_i [σ²⁺_{i,s}·n/s + σ²⁻_{i,s}·n/(n−s)]
 * (m_s draws of size s put ≈ m_s·s/n into i's "+" stratum and m_s·(n−s)/n into its "−"
 * stratum). This greedy rule converges to the Neyman allocation m_s ∝ √A_s (Neyman 1934)
 * without knowing the total budget, so it also works under time or error stopping.
 * Variances carry the finite population correction (1 − m/N); a size drawn to the end has no
 * sampling error. Stratum variances are shrunk towards the size's pooled variance (one
 * pseudo-observation) so that a pilot showing no spread by chance neither starves a stratum
 * nor reports a zero standard error; a stratum with no draw yet borrows the size's pooled mean.
 * SVARM is not efficient by construction; the estimate is projected onto Σφ = U(N) − U(∅)
 * by generalised least squares (projectOntoEfficiency), which also lowers its variance.
 */
import { binomial } from '../coalition.ts';
import { InvalidInputError } from '../errors.ts';
import { Evaluator } from '../evaluator.ts';
import type { Game } from '../game.ts';
import { RunningMoments } from '../moments.ts';
import { makeResult, type ValuationResult } from '../result.ts';
import { Rng } from '../rng.ts';
import { StratumSampler } from '../samplers/stratum.ts';
import {
  drive,
  requireBudget,
  singlePlayerResult,
  type SamplingLoop,
  type SamplingOptions,
} from './driver.ts';

export interface StratifiedOptions extends SamplingOptions {
  /** Draws per sampled size before Neyman allocation starts (default 2, minimum 2). */
  readonly pilot?: number;
  /** Project the estimate onto Σφ = U(N) − U(∅), weighting by variance (default true). */
  readonly efficient?: boolean;
}

/** Per-size statistics: U over coalitions of this size, split by membership of each player. */
interface SizeStratum {
  readonly size: number;
  readonly inside: RunningMoments; // i ∈ S
  readonly outside: RunningMoments; // i ∉ S
  readonly pooled: RunningMoments; // all coalitions of this size (index 0)
  readonly sampler: StratumSampler | null; // null: enumerated in the warm-up
}

export async function stratifiedShapley(
  game: Game,
  options: StratifiedOptions,
): Promise<ValuationResult> {
  const algorithm = 'stratified';
  const n = game.players.length;
  const evaluator = new Evaluator(game, options.stopping.evaluationLimit());
  if (n === 1) return singlePlayerResult(game, evaluator, algorithm);
  const pilot = options.pilot ?? 2;
  if (!Number.isInteger(pilot) || pilot < 2) {
    throw new InvalidInputError('pilot must be an integer >= 2', { details: `got ${pilot}` });
  }
  const all = Array.from({ length: n }, (_, i) => i);
  const warmSizes = [...new Set([0, 1, n - 1, n])].sort((a, b) => a - b);
  const sampledSizes = all.filter((s) => s >= 2 && s <= n - 2);
  const warmCost = warmSizes.reduce((acc, s) => acc + binomial(n, s), 0);
  requireBudget(algorithm, evaluator, warmCost + 2 * sampledSizes.length);

  const rng = new Rng(options.seed ?? 0);
  const strata: SizeStratum[] = Array.from({ length: n + 1 }, (_, s) => ({
    size: s,
    inside: new RunningMoments(n),
    outside: new RunningMoments(n),
    pooled: new RunningMoments(1),
    sampler: s >= 2 && s <= n - 2 ? new StratumSampler(all, s) : null,
  }));

  const everything = new RunningMoments(1); // all evaluations: the top-level variance prior
  const record = (coalition: readonly number[], u: number): void => {
    const st = strata[coalition.length]!;
    everything.push(0, u);
    st.pooled.push(0, u);
    const member = new Uint8Array(n);
    for (const i of coalition) member[i] = 1;
    for (let i = 0; i < n; i++) (member[i] ? st.inside : st.outside).push(i, u);
  };

  // Warm-up: sizes 0, 1, n−1, n exhaustively.
  for (const s of warmSizes) {
    if (s === 0) record([], await evaluator.value([]));
    else if (s === n) record(all, await evaluator.value(all));
    else if (s === 1) for (const i of all) record([i], await evaluator.value([i]));
    else
      for (const i of all) {
        const c = all.filter((j) => j !== i);
        record(c, await evaluator.value(c));
      }
  }

  /**
   * Variance of a player's stratum, shrunk towards the size's pooled variance, which is itself
   * shrunk towards the variance of all evaluations (hierarchical, one pseudo-observation each).
   */
  const stratumVariance = (m: RunningMoments, st: SizeStratum, i: number): number => {
    const top = everything.variance(0);
    const sizePrior = st.pooled.shrunkVariance(0, Number.isFinite(top) ? top : 0);
    return m.shrunkVariance(i, sizePrior);
  };

  /** Mean and FPC-corrected variance of μ⁺/μ⁻ for player i from size stratum st. */
  const stratumEstimate = (st: SizeStratum, i: number, inside: boolean): [number, number] => {
    const m = inside ? st.inside : st.outside;
    const population = binomial(n - 1, inside ? st.size - 1 : st.size);
    const count = m.count[i]!;
    if (count >= population) return [m.mean[i]!, 0];
    const sigma2 = stratumVariance(m, st, i);
    if (count === 0) return [st.pooled.mean[0]!, sigma2 * (1 - 1 / population)];
    return [m.mean[i]!, (sigma2 / count) * (1 - count / population)];
  };

  const deltaU = (): number => strata[n]!.pooled.mean[0]! - strata[0]!.pooled.mean[0]!;

  const snapshot = () => {
    const values = new Float64Array(n);
    const variances = new Float64Array(n);
    const counts = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let l = 0; l < n; l++) {
        const [mp, vp] = stratumEstimate(strata[l + 1]!, i, true);
        const [mm, vm] = stratumEstimate(strata[l]!, i, false);
        values[i]! += mp - mm;
        variances[i]! += vp + vm;
      }
      for (const st of strata) counts[i]! += st.inside.count[i]! + st.outside.count[i]!;
    }
    const phi = Array.from(values, (v) => v / n);
    const vars = Array.from(variances, (v) => v / (n * n));
    if (options.efficient ?? true) projectOntoEfficiency(phi, vars, deltaU());
    return { values: phi, stderr: vars.map(Math.sqrt), counts, evaluations: evaluator.evaluations };
  };

  /** A_s: variance weight of size s for Neyman allocation. */
  const allocationWeight = (st: SizeStratum): number => {
    let a = 0;
    for (let i = 0; i < n; i++) {
      a += (stratumVariance(st.inside, st, i) * n) / st.size;
      a += (stratumVariance(st.outside, st, i) * n) / (n - st.size);
    }
    return a;
  };

  const open = () => sampledSizes.map((s) => strata[s]!).filter((st) => !st.sampler!.exhausted);
  const chooseStratum = (): SizeStratum => {
    const candidates = open();
    const behind = candidates.find((st) => st.sampler!.drawn < pilot);
    if (behind) return behind; // round-robin pilot
    let best = candidates[0]!;
    let bestScore = -1;
    for (const st of candidates) {
      const m = st.sampler!.drawn;
      // Variance reduction of one more draw: A(1/m − 1/N) − A(1/(m+1) − 1/N) = A/(m(m+1)).
      const score = allocationWeight(st) / (m * (m + 1));
      if (score > bestScore) {
        bestScore = score;
        best = st;
      }
    }
    return best;
  };

  const loop: SamplingLoop = {
    nextCost: () => 1,
    exhausted: () => open().length === 0,
    step: async () => {
      const st = chooseStratum();
      const coalition = st.sampler!.next(rng);
      record(coalition, await evaluator.value(coalition));
    },
    snapshot,
  };
  const status = await drive(loop, options.stopping, evaluator, algorithm, options.onProgress);
  const snap = snapshot();
  return makeResult({
    algorithm,
    players: game.players,
    values: snap.values,
    stderr: snap.stderr,
    counts: snap.counts,
    evaluations: evaluator.evaluations,
    status,
  });
}

/**
 * Generalised-least-squares projection onto the efficiency hyperplane Σφ = ΔU: treating the
 * estimates as independent with variances v, the minimum-variance unbiased correction is
 * φ_i += v_i/Σv · (ΔU − Σφ), with variances v_i − v_i²/Σv. Exact players (v_i = 0) are
 * left unchanged; nothing changes when every variance is 0.
 */
export function projectOntoEfficiency(phi: number[], variances: number[], total: number): void {
  const sumV = variances.reduce((a, b) => a + b, 0);
  if (!(sumV > 0) || !Number.isFinite(sumV)) return;
  const gap = total - phi.reduce((a, b) => a + b, 0);
  for (let i = 0; i < phi.length; i++) {
    const w = variances[i]! / sumV;
    phi[i]! += w * gap;
    variances[i] = variances[i]! - variances[i]! * w;
  }
}
