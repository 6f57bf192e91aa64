/**
 * KernelSHAP for data valuation: Shapley values as the solution of the Shapley-kernel
 * weighted least-squares problem with the efficiency constraint (Lundberg & Lee 2017;
 * Charnes et al. 1988), estimated as Covert & Lee (AISTATS 2021, "Improving KernelSHAP")
 * recommend — paired sampling, constrained solution, variance from the CLT — plus the hybrid
 * exact/sampled scheme of the `shap` KernelExplainer and Mayer's `kernelshap`.
 *
 * Problem: with z ∈ {0,1}^n drawn from p(z) ∝ (n−1)/(C(n,|z|)·|z|·(n−|z|)),
 *   minimise E[(U(z) − U(∅) − zᵀφ)²]  s.t.  1ᵀφ = ΔU = U(N) − U(∅),
 * i.e. [A 1; 1ᵀ 0][φ; λ] = [b; ΔU] with A = E[zzᵀ], b = E[z(U(z) − U(∅))]. Solved over all
 * coalitions this gives exactly the Shapley value. A and b are estimated from the *same*
 * samples (the original KernelSHAP regression): unlike the "unbiased" variant with exact A,
 * the fit is self-normalising — exact for additive games, null players get ≈ 0 — and in our
 * benchmark its error is about half.
 * Sampling: stratified by coalition size s, b and A being Σ_s p(s)·(per-size means); a
 * coalition and its complement are always drawn together (paired sampling), so stratum s < n/2
 * also covers size n−s and the middle size n/2 is drawn as complement pairs anchored at
 * player 0. Inside a stratum coalitions are distinct (without replacement). If the budget is
 * known, whole strata are enumerated from the extreme sizes inwards while each one's
 * kernel-weighted share of the remaining budget covers it; the remaining strata get a pilot
 * then Neyman allocation on their estimated variance contribution.
 * Standard errors (delta method, Covert & Lee §4): φ̂ − φ ≈ M·(b̂ − Âφ̂) with M the top-left
 * block of the inverse KKT matrix, so Var(φ̂_i) ≈ Σ_t W_t²·(1 − m_t/N_t)/m_t · Var_t(h_i), where
 * h = M·g and g = ½Σ_{S∈pair} z_S(U(S) − U(∅) − z_Sᵀφ̂) per sampled pair. They are recomputed when
 * the sample has grown by 10 % (and at the end), which keeps a run O(m·n²·log m).
 */
import { complementOf } from '../coalition.ts';
import { InvalidInputError } from '../errors.ts';
import { Evaluator } from '../evaluator.ts';
import type { Game } from '../game.ts';
import { invert } from '../linalg/invert.ts';
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

export interface KernelShapOptions extends SamplingOptions {
  /** Pairs per sampled stratum before Neyman allocation (default 2, minimum 2). */
  readonly pilot?: number;
  /** Enumerate the heaviest strata when the budget allows (default true). */
  readonly hybrid?: boolean;
}

interface Pair {
  /** Membership of S (1) versus its complement (0). */
  readonly inS: Uint8Array;
  readonly uS: number; // U(S) − U(∅)
  readonly uC: number; // U(S^c) − U(∅)
}

interface PairStratum {
  readonly size: number;
  /** Weight of this stratum in A and b (2·p(s), or p(n/2) for the middle size). */
  readonly weight: number;
  readonly sampler: StratumSampler;
  readonly pairs: Pair[];
  /** Σ over pairs of ½(z_S z_Sᵀ + z_Sc z_Scᵀ): ½ where i, j are on the same side. */
  readonly aSum: Float64Array;
  /** Σ over pairs of ½(z_S u_S + z_Sc u_Sc). */
  readonly bSum: Float64Array;
  /** Per-player variance of h = M·g over this stratum's pairs (from the last refresh). */
  variance: Float64Array | null;
  enumerate: boolean;
}

/** Normalised Shapley-kernel size distribution p(s), s = 1..n−1 (index s). */
export function shapleyKernelSizeWeights(n: number): Float64Array {
  const p = new Float64Array(n);
  let z = 0;
  for (let s = 1; s < n; s++) z += 1 / (s * (n - s));
  for (let s = 1; s < n; s++) p[s] = 1 / (s * (n - s)) / z;
  return p;
}

/** α = A_ii − A_ij of the population A (A_ii = 1/2, A_ij = Σ_s p(s)·s(s−1)/(n(n−1))). */
export function shapleyKernelAlpha(n: number): number {
  const p = shapleyKernelSizeWeights(n);
  let c = 0;
  for (let s = 2; s < n; s++) c += (p[s]! * s * (s - 1)) / (n * (n - 1));
  return 0.5 - c;
}

export async function kernelShap(game: Game, options: KernelShapOptions): Promise<ValuationResult> {
  const algorithm = 'kernel-shap';
  const n = game.players.length;
  const evaluator = new Evaluator(game, options.stopping.evaluationLimit());
  if (n === 1) return singlePlayerResult(game, evaluator, algorithm);
  const pilot = options.pilot ?? 2;
  if (!Number.isInteger(pilot) || pilot < 2) {
    throw new InvalidInputError('pilot must be an integer >= 2', { details: `got ${pilot}` });
  }
  const all = Array.from({ length: n }, (_, i) => i);
  const p = shapleyKernelSizeWeights(n);
  const strata: PairStratum[] = [];
  for (let s = 1; 2 * s <= n; s++) {
    const middle = 2 * s === n;
    strata.push({
      size: s,
      weight: middle ? p[s]! : 2 * p[s]!,
      sampler: middle ? new StratumSampler(all.slice(1), s - 1, [0]) : new StratumSampler(all, s),
      pairs: [],
      aSum: new Float64Array(n * n),
      bSum: new Float64Array(n),
      variance: null,
      enumerate: false,
    });
  }
  requireBudget(
    algorithm,
    evaluator,
    2 + 2 * strata.reduce((a, t) => a + Math.min(pilot, t.sampler.population), 0),
  );
  if (options.hybrid ?? true) planEnumeration(strata, evaluator.limit - 2);

  const rng = new Rng(options.seed ?? 0);
  const u0 = await evaluator.value([]);
  const deltaU = (await evaluator.value(all)) - u0;

  const drawPair = async (t: PairStratum): Promise<void> => {
    const s1 = t.sampler.next(rng);
    const uS = (await evaluator.value(s1)) - u0;
    const uC = (await evaluator.value(complementOf(s1, n))) - u0;
    const inS = new Uint8Array(n);
    for (const i of s1) inS[i] = 1;
    t.pairs.push({ inS, uS, uC });
    for (let i = 0; i < n; i++) {
      t.bSum[i]! += (inS[i] ? uS : uC) / 2;
      for (let j = 0; j < n; j++) if (inS[i] === inS[j]) t.aSum[i * n + j]! += 0.5;
    }
  };

  /** Solves the constrained normal equations; returns φ̂ and M (top-left of the KKT inverse). */
  const solve = (): { phi: Float64Array; m: Float64Array } => {
    const k = n + 1;
    if (strata.every((t) => t.pairs.length === 0)) {
      // Nothing sampled yet: the constrained fit of an empty design is the equal split.
      return { phi: new Float64Array(n).fill(deltaU / n), m: new Float64Array(n * n) };
    }
    const kkt = new Float64Array(k * k);
    const rhs = new Float64Array(k);
    for (const t of strata) {
      const cnt = t.pairs.length;
      if (cnt === 0) continue;
      const w = t.weight / cnt;
      for (let i = 0; i < n; i++) {
        rhs[i]! += w * t.bSum[i]!;
        for (let j = 0; j < n; j++) kkt[i * k + j]! += w * t.aSum[i * n + j]!;
      }
    }
    // A tiny ridge keeps early, rank-deficient designs (two players always on the same side)
    // solvable; A is positive semi-definite, so A + εI is definite. Bias ~1e-10 relative.
    for (let i = 0; i < n; i++) kkt[i * k + i]! *= 1 + 1e-10;
    for (let i = 0; i < n; i++) {
      kkt[i * k + n] = 1;
      kkt[n * k + i] = 1;
    }
    rhs[n] = deltaU;
    const inv = invert(kkt, k);
    const phi = new Float64Array(n);
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) phi[i]! += inv[i * k + j]! * rhs[j]!;
      for (let j = 0; j < n; j++) m[i * n + j] = inv[i * k + j]!;
    }
    return { phi, m };
  };

  /** Recomputes each sampled stratum's per-player variance of h = M·g. */
  const refreshVariances = (phi: Float64Array, m: Float64Array): void => {
    const g = new Float64Array(n);
    for (const t of strata) {
      if (t.sampler.exhausted || t.pairs.length < 2) {
        t.variance = null;
        continue;
      }
      const sum = new Float64Array(n);
      const sumSq = new Float64Array(n);
      for (const pr of t.pairs) {
        let fitS = 0;
        let fitC = 0;
        for (let i = 0; i < n; i++) {
          if (pr.inS[i]) fitS += phi[i]!;
          else fitC += phi[i]!;
        }
        for (let i = 0; i < n; i++) g[i] = (pr.inS[i] ? pr.uS - fitS : pr.uC - fitC) / 2;
        for (let i = 0; i < n; i++) {
          let h = 0;
          for (let j = 0; j < n; j++) h += m[i * n + j]! * g[j]!;
          sum[i]! += h;
          sumSq[i]! += h * h;
        }
      }
      const c = t.pairs.length;
      t.variance = Float64Array.from(sum, (s, i) =>
        Math.max(0, (sumSq[i]! - (s * s) / c) / (c - 1)),
      );
    }
  };

  /** Variance of stratum t for player i, shrunk towards the mean over strata (1 pseudo-obs). */
  const stratumVariance = (t: PairStratum, i: number): number => {
    let prior = 0;
    let k = 0;
    for (const u of strata) {
      if (u.variance) {
        prior += u.variance[i]!;
        k++;
      }
    }
    const pv = k > 0 ? prior / k : Infinity;
    const c = t.pairs.length;
    if (!t.variance || c < 2) return pv;
    return (
      ((c - 1) * t.variance[i]! + (Number.isFinite(pv) ? pv : 0)) /
      (c - 1 + (Number.isFinite(pv) ? 1 : 0))
    );
  };

  let lastRefresh = 0;
  let cached: { values: number[]; stderr: number[] } | null = null;
  const estimate = (fresh: boolean): { values: number[]; stderr: number[] } => {
    const drawn = strata.reduce((a, t) => a + t.pairs.length, 0);
    const { phi, m } = solve();
    if (fresh || !cached || drawn >= 1.1 * lastRefresh + 1) {
      refreshVariances(phi, m);
      lastRefresh = drawn;
    }
    const stderr = all.map((i) => {
      let v = 0;
      for (const t of strata) {
        if (t.sampler.exhausted) continue;
        const c = Math.max(t.pairs.length, 1);
        v += ((t.weight * t.weight * stratumVariance(t, i)) / c) * (1 - c / t.sampler.population);
      }
      return Math.sqrt(v);
    });
    cached = { values: Array.from(phi), stderr };
    return cached;
  };

  const snapshot = () => {
    const { values, stderr } = estimate(false);
    return {
      values,
      stderr,
      counts: new Array<number>(n).fill(strata.reduce((a, t) => a + t.pairs.length, 0)),
      evaluations: evaluator.evaluations,
    };
  };

  const chooseStratum = (): PairStratum => {
    const open = strata.filter((t) => !t.sampler.exhausted);
    const planned = open.find((t) => t.enumerate);
    if (planned) return planned;
    const behind = open.find((t) => t.pairs.length < pilot);
    if (behind) return behind;
    let best = open[0]!;
    let bestScore = -1;
    for (const t of open) {
      let sigma2 = 0;
      for (let i = 0; i < n; i++) sigma2 += stratumVariance(t, i);
      const c = t.pairs.length;
      const score = (t.weight * t.weight * sigma2) / (c * (c + 1));
      if (score > bestScore || !Number.isFinite(bestScore)) {
        bestScore = score;
        best = t;
      }
    }
    return best;
  };

  const loop: SamplingLoop = {
    nextCost: () => 2,
    exhausted: () => strata.every((t) => t.sampler.exhausted),
    step: () => drawPair(chooseStratum()),
    snapshot,
  };
  const status = await drive(loop, options.stopping, evaluator, algorithm, options.onProgress);
  const final = estimate(true);
  return makeResult({
    algorithm,
    players: game.players,
    values: final.values,
    stderr: final.stderr,
    counts: new Array<number>(n).fill(strata.reduce((a, t) => a + t.pairs.length, 0)),
    evaluations: evaluator.evaluations,
    status,
  });
}

/**
 * Marks strata for complete enumeration, extreme sizes first, while the stratum's share of
 * the remaining budget (proportional to its kernel weight among unplanned strata) covers it.
 */
function planEnumeration(strata: PairStratum[], budget: number): void {
  if (!Number.isFinite(budget)) return;
  let remaining = budget;
  for (let k = 0; k < strata.length; k++) {
    const t = strata[k]!;
    const weightLeft = strata.slice(k).reduce((a, u) => a + u.weight, 0);
    const cost = 2 * t.sampler.population;
    if ((remaining * t.weight) / weightLeft < cost) return;
    t.enumerate = true;
    remaining -= cost;
  }
}
