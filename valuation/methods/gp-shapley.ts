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
 * Gates (gp/gates.ts): the exchangeable kernel shrinks owners toward equal values, which is
 * wrong when a few groups of substitutes (or complements) dominate the game — the common case
 * in data valuation. OR/AND gates over such groups, picked by matching pursuit on what the GP
 * leaves unexplained, enter the surrogate as explicit mean terms with closed-form Shapley
 * values; the kernel is then re-selected with them. Symmetric games get no gates.
 * Sampling, as in the `shap` KernelExplainer: U(∅), U(N), then sizes 1 and n−1 enumerated
 * (when the budget is at least 2 + 4n), then complement pairs of the middle sizes, without
 * replacement inside each size, the size uniform over the pair strata (leverage-score sampling,
 * Musco & Witter 2024: the constrained regression's leverage is equal across sizes). φ̂_KS
 * weights each stratum by its Shapley-kernel mass over its draw count.
 * Cost: the GP is fitted on at most `maxFit` coalitions (the first ones drawn; O(maxFit³)),
 * hyper-parameters and gates chosen on at most `selectFit` (then frozen); the control-variate
 * correction uses all.
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
import { fitGp, predict, selectKernel, surrogateShapley, type GpFit } from './gp/fit.ts';
import { selectGates, type GateSelectionOptions } from './gp/gates.ts';
import type { Point } from './gp/product-kernel.ts';

export { sectionShapley } from './gp/product-kernel.ts';

export interface GpShapleyOptions extends SamplingOptions {
  /** Most coalitions the GP is fitted on (default 1000). */
  readonly maxFit?: number;
  /** Most coalitions the hyper-parameters and gates are selected on (default 300). */
  readonly selectFit?: number;
  /** Gate selection (default on); `false` gives the plain product-kernel GP. */
  readonly gates?: boolean | GateSelectionOptions;
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
  const samples: Point[] = [];
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

  /**
   * The model (the fit that chose kernel and gates) on the first `selectFit` coalitions, kept
   * once that many are drawn. Samples only grow, so both the selection set and the fit set are
   * prefixes: a fit of the same length is the same fit and is reused.
   */
  let frozen: GpFit | null = null;
  const gateOptions = options.gates ?? true;
  const chooseModel = (sel: readonly Point[]): GpFit => {
    const plain = selectKernel(sel);
    if (gateOptions === false) return plain;
    const gates = selectGates(plain, gateOptions === true ? {} : gateOptions);
    return gates.length > 0 ? selectKernel(sel, gates) : plain;
  };
  const estimate = (): { values: number[]; stderr: number[] } => {
    if (samples.length <= 2) {
      return { values: new Array<number>(n).fill(deltaU / n), stderr: new Array(n).fill(Infinity) };
    }
    const model = frozen ?? chooseModel(samples.slice(0, selectFit));
    if (samples.length >= selectFit) frozen = model;
    const fitSize = Math.min(samples.length, maxFit);
    const fit =
      model.points.length === fitSize
        ? model
        : fitGp(samples.slice(0, fitSize), model.params, model.gates);
    if (!fit) throw new InvalidInputError('gp-shapley: Gram matrix not positive definite');
    const phiF = surrogateShapley(fit, n);
    const fv = samples.map((s) => predict(fit, s.members));
    const ksU = kernelShapOn(
      samples.map((s) => s.u),
      deltaU,
    );
    const ksF = kernelShapOn(fv, fv[1]! - fv[0]!);
    const values = Array.from(phiF.values, (v, i) => v + ksU[i]! - ksF[i]!);
    return { values, stderr: phiF.stderr };
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
