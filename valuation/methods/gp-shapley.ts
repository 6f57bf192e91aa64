/**
 * Gaussian-process regression-adjusted Shapley estimation ("gp-shapley") for small budgets.
 *
 * Idea (regression-adjusted Monte Carlo, Witter, Liu & Musco 2025, with a surrogate whose
 * Shapley values are known in closed form): fit a surrogate f to the evaluated coalitions, take
 * f's *exact* Shapley values, and correct with paired KernelSHAP on what f misses:
 *     φ̂ = φ(f) + φ̂_KS(U) − φ̂_KS(f)      (φ̂_KS: constrained kernel regression on the sample).
 * φ̂_KS is linear in the utility values, so this is KernelSHAP with the control variate f; it is
 * exactly efficient (Σφ̂ = U(N) − U(∅)) whatever f is, and exact once every coalition is drawn.
 * Why a GP and not a richer regression: under paired sampling the pairwise terms of a quadratic
 * surrogate cancel out of KernelSHAP (paired KernelSHAP is already exact on order-2 games), so
 * polynomial surrogates only help from order 3 on, with O(n³) coefficients. A Gaussian process
 * with a *product kernel* on membership vectors spans every interaction order with a handful
 * of hyper-parameters:
 *     k(S, T) = Π_i κ(z_i(S), z_i(T)),  κ(0,0) = 1, κ(1,1) = a, κ(0,1) = κ(1,0) = ρ√a,
 * plus a constant (the mean) and a nugget η (a = 1 is the Hamming kernel ρ^{|S△T|}; a < 1 puts
 * prior mass on "OR-like" saturation, a > 1 on "AND-like" complementarity). The posterior mean
 * is f = μ + Σ_j α_j k(·, T_j), and the Shapley value of a kernel section k(·, T) depends only
 * on |T| and on whether i ∈ T — a double sum over sizes, O(n³) once per fit (sectionShapley).
 * Hyper-parameters (a, ρ, η) maximise the marginal likelihood on a small grid, scale profiled
 * out: no tuning on the game's exact values.
 * Sampling, as in the `shap` KernelExplainer: U(∅), U(N), then sizes 1 and n−1 enumerated
 * (when the budget is at least 2 + 4n), then complement pairs of the middle sizes, without
 * replacement inside each size, the size uniform over the pair strata (leverage-score sampling,
 * Musco & Witter 2024: the constrained regression's leverage is equal across sizes). φ̂_KS
 * weights each stratum by its Shapley-kernel mass over its draw count.
 * Cost: the GP is fitted on at most `maxFit` coalitions (the first ones drawn; O(maxFit³)),
 * hyper-parameters chosen on at most `selectFit`; the control-variate correction uses all.
 * Standard errors are the GP posterior standard deviations of φ_i (model-based); during a run
 * the estimate is refreshed each time the sample doubles (for standard-error stopping rules).
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

export interface GpShapleyOptions extends SamplingOptions {
  /** Most coalitions the GP is fitted on (default 1000). */
  readonly maxFit?: number;
  /** Most coalitions the hyper-parameters are selected on (default 300). */
  readonly selectFit?: number;
}

/** Hyper-parameter grid: κ(1,1) = a, correlation ρ, relative nugget η. */
const GRID_A = [0.5, 1];
const GRID_RHO = [0.5, 0.7, 0.8, 0.9, 0.95];
const GRID_ETA = [1e-3, 1e-2, 1e-1];

interface Sample {
  readonly members: Uint8Array;
  readonly size: number;
  readonly u: number;
}

/** log C(n, k) table via log-factorials. */
function logFactorials(n: number): Float64Array {
  const lf = new Float64Array(n + 1);
  for (let k = 1; k <= n; k++) lf[k] = lf[k - 1]! + Math.log(k);
  return lf;
}

/**
 * Shapley values of the kernel section g_T(S) = Π_i κ(z_i(S), z_i(T)) with κ(1,1) = a,
 * κ(0,0) = 1, κ(0,1) = κ(1,0) = c: `inside[t]` for a player in T, `outside[t]` for one not in T,
 * t = |T|. For i ∈ T, g_T(S ∪ i) − g_T(S) = (a − c)·g' where g' counts k1 members of T∖i in S
 * (factor a each, c for the t−1−k1 absent) and k0 non-members in S (c each, 1 for the rest);
 * the Shapley weight of |S| = k is k!(n−k−1)!/n!.
 */
export function sectionShapley(
  n: number,
  a: number,
  c: number,
): { inside: Float64Array; outside: Float64Array } {
  const lf = logFactorials(n);
  const lc = (m: number, k: number) => lf[m]! - lf[k]! - lf[m - k]!;
  const lw = (k: number) => lf[k]! + lf[n - k - 1]! - lf[n]!;
  const la = Math.log(a);
  const lcc = Math.log(c);
  const inside = new Float64Array(n + 1);
  const outside = new Float64Array(n + 1);
  for (let t = 0; t <= n; t++) {
    if (t >= 1) {
      let s = 0;
      for (let k1 = 0; k1 <= t - 1; k1++)
        for (let k0 = 0; k0 <= n - t; k0++)
          s += Math.exp(
            lc(t - 1, k1) + lc(n - t, k0) + lw(k1 + k0) + k1 * la + (t - 1 - k1 + k0) * lcc,
          );
      inside[t] = (a - c) * s;
    }
    if (t <= n - 1) {
      let s = 0;
      for (let k1 = 0; k1 <= t; k1++)
        for (let k0 = 0; k0 <= n - t - 1; k0++)
          s += Math.exp(
            lc(t, k1) + lc(n - t - 1, k0) + lw(k1 + k0) + k1 * la + (t - k1 + k0) * lcc,
          );
      outside[t] = (c - 1) * s;
    }
  }
  return { inside, outside };
}

/** In-place Cholesky of a row-major SPD matrix; false when not positive definite. */
function cholesky(k: Float64Array, m: number): boolean {
  for (let j = 0; j < m; j++) {
    let d = k[j * m + j]!;
    for (let p = 0; p < j; p++) d -= k[j * m + p]! ** 2;
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    k[j * m + j] = d;
    for (let i = j + 1; i < m; i++) {
      let v = k[i * m + j]!;
      for (let p = 0; p < j; p++) v -= k[i * m + p]! * k[j * m + p]!;
      k[i * m + j] = v / d;
    }
  }
  return true;
}

/** Solves L Lᵀ x = y for the Cholesky factor in the lower triangle of `l`. */
function cholSolve(l: Float64Array, m: number, y: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(y);
  for (let i = 0; i < m; i++) {
    let s = x[i]!;
    for (let p = 0; p < i; p++) s -= l[i * m + p]! * x[p]!;
    x[i] = s / l[i * m + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let p = i + 1; p < m; p++) s -= l[p * m + i]! * x[p]!;
    x[i] = s / l[i * m + i]!;
  }
  return x;
}

interface GpFit {
  readonly a: number;
  readonly c: number;
  readonly mean: number;
  readonly alpha: Float64Array;
  readonly points: readonly Sample[];
  /** Profiled signal scale s² and the Cholesky factor of K/s² (for posterior variances). */
  readonly scale: number;
  readonly chol: Float64Array;
}

/** Gram matrix (without scale) of the product kernel + constant + nugget on `pts`. */
function gram(pts: readonly Sample[], n: number, a: number, c: number, eta: number): Float64Array {
  const m = pts.length;
  const k = new Float64Array(m * m);
  const la = Math.log(a);
  const lcc = Math.log(c);
  for (let i = 0; i < m; i++) {
    const zi = pts[i]!.members;
    for (let j = 0; j <= i; j++) {
      const zj = pts[j]!.members;
      let both = 0;
      let diff = 0;
      for (let p = 0; p < n; p++) {
        both += zi[p]! & zj[p]!;
        diff += zi[p]! ^ zj[p]!;
      }
      const v = Math.exp(both * la + diff * lcc) + 1 + (i === j ? eta : 0);
      k[i * m + j] = v;
      k[j * m + i] = v;
    }
  }
  return k;
}

interface Hyper {
  readonly a: number;
  readonly c: number;
  readonly eta: number;
}

/** Grid point of largest profile marginal likelihood on `sel`. */
function selectHyper(sel: readonly Sample[], n: number): Hyper {
  let best: { ll: number; a: number; c: number; eta: number } | null = null;
  for (const a of GRID_A)
    for (const rho of GRID_RHO)
      for (const eta of GRID_ETA) {
        const c = rho * Math.sqrt(a);
        const m = sel.length;
        const mean = sel.reduce((s, p) => s + p.u, 0) / m;
        const y = sel.map((p) => p.u - mean);
        const l = gram(sel, n, a, c, eta);
        if (!cholesky(l, m)) continue;
        const alpha = cholSolve(l, m, y);
        let q = 0;
        let logDet = 0;
        for (let i = 0; i < m; i++) {
          q += y[i]! * alpha[i]!;
          logDet += Math.log(l[i * m + i]!);
        }
        // Profile likelihood with the scale maximised out: −(m/2)·log(q/m) − ½·log|K|.
        const ll = -(m / 2) * Math.log(Math.max(q, 1e-300) / m) - logDet;
        if (!best || ll > best.ll) best = { ll, a, c, eta };
      }
  if (!best) throw new InvalidInputError('gp-shapley: no hyper-parameters gave a valid fit');
  return best;
}

function fitGp(pts: readonly Sample[], n: number, best: Hyper): GpFit {
  const m = pts.length;
  const mean = pts.reduce((s, p) => s + p.u, 0) / m;
  const y = pts.map((p) => p.u - mean);
  const l = gram(pts, n, best.a, best.c, best.eta);
  if (!cholesky(l, m)) throw new InvalidInputError('gp-shapley: Gram matrix not positive definite');
  const alpha = cholSolve(l, m, y);
  let q = 0;
  for (let i = 0; i < m; i++) q += y[i]! * alpha[i]!;
  return { a: best.a, c: best.c, mean, alpha, points: pts, scale: q / m, chol: l };
}

/** Posterior mean f(S) of a fit. */
function predict(fit: GpFit, members: Uint8Array, n: number): number {
  const la = Math.log(fit.a);
  const lcc = Math.log(fit.c);
  let v = fit.mean;
  fit.points.forEach((p, j) => {
    let both = 0;
    let diff = 0;
    for (let q = 0; q < n; q++) {
      both += members[q]! & p.members[q]!;
      diff += members[q]! ^ p.members[q]!;
    }
    v += fit.alpha[j]! * (Math.exp(both * la + diff * lcc) + 1);
  });
  return v;
}

export async function gpShapley(game: Game, options: GpShapleyOptions): Promise<ValuationResult> {
  const algorithm = 'gp-shapley';
  const n = game.players.length;
  const evaluator = new Evaluator(game, options.stopping.evaluationLimit());
  if (n === 1) return singlePlayerResult(game, evaluator, algorithm);
  const maxFit = options.maxFit ?? 1000;
  const selectFit = options.selectFit ?? 300;
  for (const [name, v] of [
    ['maxFit', maxFit],
    ['selectFit', selectFit],
  ] as const) {
    if (!Number.isInteger(v) || v < 2 * n + 2) {
      throw new InvalidInputError(`${name} must be an integer >= 2n + 2`, { details: `got ${v}` });
    }
  }
  requireBudget(algorithm, evaluator, 4);
  const all = Array.from({ length: n }, (_, i) => i);
  const enumerateEdges = evaluator.limit >= 2 + 4 * n && n >= 3;

  // Pair strata: size s with its complement size n − s; s = n/2 anchored at player 0.
  interface Stratum {
    readonly size: number;
    readonly sampler: StratumSampler;
    readonly weight: number; // Shapley-kernel mass of sizes s and n − s
    pairs: number;
  }
  const kernelMass = new Float64Array(n);
  {
    let z = 0;
    for (let s = 1; s < n; s++) z += 1 / (s * (n - s));
    for (let s = 1; s < n; s++) kernelMass[s] = 1 / (s * (n - s)) / z;
  }
  const strata: Stratum[] = [];
  for (let s = enumerateEdges ? 2 : 1; 2 * s <= n; s++) {
    const middle = 2 * s === n;
    strata.push({
      size: s,
      sampler: middle ? new StratumSampler(all.slice(1), s - 1, [0]) : new StratumSampler(all, s),
      weight: middle ? kernelMass[s]! : 2 * kernelMass[s]!,
      pairs: 0,
    });
  }

  const rng = new Rng(options.seed ?? 0);
  const samples: Sample[] = [];
  const stratumOf: (Stratum | null)[] = []; // null: enumerated (sizes 1, n − 1) or ∅, N
  const add = async (coalition: readonly number[], st: Stratum | null): Promise<void> => {
    const members = new Uint8Array(n);
    for (const i of coalition) members[i] = 1;
    samples.push({ members, size: coalition.length, u: await evaluator.value(coalition) });
    stratumOf.push(st);
  };
  await add([], null);
  await add(all, null);
  const u0 = samples[0]!.u;
  const deltaU = samples[1]!.u - u0;
  if (enumerateEdges) {
    for (const i of all) await add([i], null);
    for (const i of all) await add(complementOf([i], n), null);
  }

  /** Constrained kernel regression on the sample for utility values `v` (index-aligned). */
  const kernelShapOn = (v: ArrayLike<number>, total: number): Float64Array => {
    const k = n + 1;
    const kkt = new Float64Array(k * k);
    const rhs = new Float64Array(k);
    const edge = kernelMass[1]! / n; // each size-1 / size-(n−1) coalition, when enumerated
    samples.forEach((smp, j) => {
      if (smp.size === 0 || smp.size === n) return;
      const st = stratumOf[j];
      const w = st ? st.weight / (2 * st.pairs) : edge;
      const y = v[j]! - v[0]!;
      for (let i = 0; i < n; i++) {
        if (!smp.members[i]) continue;
        rhs[i]! += w * y;
        for (let q = 0; q < n; q++) if (smp.members[q]) kkt[i * k + q]! += w;
      }
    });
    for (let i = 0; i < n; i++) {
      kkt[i * k + i]! += 1e-10 * Math.max(kkt[i * k + i]!, 1e-12);
      kkt[i * k + n] = 1;
      kkt[n * k + i] = 1;
    }
    rhs[n] = total;
    const inv = invert(kkt, k);
    const phi = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let q = 0; q < k; q++) phi[i]! += inv[i * k + q]! * rhs[q]!;
    return phi;
  };

  let frozenHyper: Hyper | null = null;
  const estimate = (): { values: number[]; stderr: number[] } => {
    if (samples.length <= 2) {
      return { values: new Array<number>(n).fill(deltaU / n), stderr: new Array(n).fill(Infinity) };
    }
    // Hyper-parameters are chosen on the first `selectFit` coalitions, then kept.
    const hyper = frozenHyper ?? selectHyper(samples.slice(0, selectFit), n);
    if (samples.length >= selectFit) frozenHyper = hyper;
    const fit = fitGp(samples.slice(0, maxFit), n, hyper);
    const { inside, outside } = sectionShapley(n, fit.a, fit.c);
    // φ(f): the mean and the constant kernel term have no Shapley value.
    const phiF = new Float64Array(n);
    const sec = (p: Sample, i: number) => (p.members[i] ? inside[p.size]! : outside[p.size]!);
    fit.points.forEach((p, j) => {
      for (let i = 0; i < n; i++) phiF[i]! += fit.alpha[j]! * sec(p, i);
    });
    const fv = samples.map((s) => predict(fit, s.members, n));
    const ksU = kernelShapOn(
      samples.map((s) => s.u),
      deltaU,
    );
    const ksF = kernelShapOn(fv, fv[1]! - fv[0]!);
    const values = Array.from(phiF, (v, i) => v + ksU[i]! - ksF[i]!);
    // Posterior variance of φ_i: s²·(prior − ℓ_iᵀ K⁻¹ ℓ_i), ℓ_i[j] = φ_i(k(·, T_j)).
    let prior = 0;
    for (let t = 0; t < n; t++) prior += (inside[t + 1]! - outside[t]!) / n;
    const m = fit.points.length;
    const stderr = all.map((i) => {
      const ell = fit.points.map((p) => sec(p, i));
      const x = cholSolve(fit.chol, m, ell);
      let q = 0;
      for (let j = 0; j < m; j++) q += ell[j]! * x[j]!;
      return Math.sqrt(Math.max(0, fit.scale * (prior - q)));
    });
    return { values, stderr };
  };
  let cached: { values: number[]; stderr: number[] } | null = null;
  let cachedAt = 0;
  const current = (fresh: boolean) => {
    if (fresh || !cached || samples.length >= 2 * cachedAt) {
      cached = estimate();
      cachedAt = samples.length;
    }
    return cached;
  };
  const countsNow = () => new Array<number>(n).fill(samples.length);

  const open = () => strata.filter((t) => !t.sampler.exhausted);
  const loop: SamplingLoop = {
    nextCost: () => 2,
    exhausted: () => open().length === 0,
    step: async () => {
      const candidates = open();
      // Uniform over coalition sizes: a pair stratum s < n/2 covers two sizes.
      const weights = candidates.map((t) => (2 * t.size === n ? 1 : 2));
      let r = rng.float() * weights.reduce((x, y) => x + y, 0);
      let k = 0;
      while (k < candidates.length - 1 && r >= weights[k]!) r -= weights[k++]!;
      const st = candidates[k]!;
      const s1 = st.sampler.next(rng);
      st.pairs++;
      await add(s1, st);
      await add(complementOf(s1, n), st);
    },
    snapshot: () => ({
      ...current(false),
      counts: countsNow(),
      evaluations: evaluator.evaluations,
    }),
  };
  const status = await drive(loop, options.stopping, evaluator, algorithm, options.onProgress);
  const final = current(true);
  return makeResult({
    algorithm,
    players: game.players,
    values: final.values,
    stderr: final.stderr,
    counts: countsNow(),
    evaluations: evaluator.evaluations,
    status,
  });
}
