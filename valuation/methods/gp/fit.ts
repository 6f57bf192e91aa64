/**
 * Gaussian-process surrogate of a coalition game for gp-shapley: product kernel (+ constant,
 * + nugget) with an optional linear mean in selected gate features (flat prior on their
 * weights, estimated by generalised least squares — Rasmussen & Williams 2006, §2.7), and the
 * surrogate's exact Shapley values and posterior standard deviations.
 */
import { cholesky, cholSolve, halfLogDet } from '../../linalg/cholesky.ts';
import { invert } from '../../linalg/invert.ts';
import { dot } from '../../linalg/vector.ts';
import { InvalidInputError } from '../../errors.ts';
import { gateShapley, gateValue, type Gate } from './gates.ts';
import {
  gram,
  kernelValue,
  sectionShapley,
  type KernelParams,
  type Point,
} from './product-kernel.ts';

/** Hyper-parameter grid: κ(1,1) = a, correlation ρ (c = ρ√a), relative nugget η. */
const GRID_A = [0.5, 1];
const GRID_RHO = [0.5, 0.7, 0.8, 0.9, 0.95];
const GRID_ETA = [1e-3, 1e-2, 1e-1];

export interface GpFit {
  readonly params: KernelParams;
  readonly points: readonly Point[];
  readonly gates: readonly Gate[];
  readonly mean: number;
  /** Gate weights (GLS). */
  readonly beta: Float64Array;
  /** K⁻¹(y − mean − Hβ). */
  readonly alpha: Float64Array;
  /** Profiled signal variance s² and the Cholesky factor of K (unit scale). */
  readonly scale: number;
  readonly chol: Float64Array;
  /** (Hᵀ K⁻¹ H)⁻¹ and the columns K⁻¹h_g, for the posterior variance of the gate weights. */
  readonly gateCov: Float64Array;
  readonly kinvH: readonly Float64Array[];
}

/** Fits the GP with kernel `params` and mean gates `gates`; null if K is not positive definite. */
export function fitGp(
  pts: readonly Point[],
  params: KernelParams,
  gates: readonly Gate[] = [],
): GpFit | null {
  const m = pts.length;
  const mean = pts.reduce((s, p) => s + p.u, 0) / m;
  const y = pts.map((p) => p.u - mean);
  const l = gram(pts, params);
  if (!cholesky(l, m)) return null;
  const g = gates.length;
  const beta = new Float64Array(g);
  const h = gates.map((gate) => pts.map((p) => gateValue(gate, p.members)));
  const kinvH = h.map((col) => cholSolve(l, m, col));
  let gateCov: Float64Array = new Float64Array(0);
  if (g > 0) {
    const a = new Float64Array(g * g);
    const rhs = new Float64Array(g);
    for (let i = 0; i < g; i++) {
      for (let j = 0; j < g; j++) a[i * g + j] = dot(h[i]!, kinvH[j]!);
      rhs[i] = dot(kinvH[i]!, y);
    }
    // Tiny ridge: gates chosen by OMP are linearly independent on the sample, but barely so
    // once the sample is large and two gates nearly coincide.
    for (let i = 0; i < g; i++) a[i * g + i]! += 1e-10 * Math.max(a[i * g + i]!, 1e-12);
    gateCov = invert(a, g);
    for (let i = 0; i < g; i++)
      for (let j = 0; j < g; j++) beta[i]! += gateCov[i * g + j]! * rhs[j]!;
    for (let k = 0; k < m; k++) for (let i = 0; i < g; i++) y[k]! -= beta[i]! * h[i]![k]!;
  }
  const alpha = cholSolve(l, m, y);
  const scale = dot(y, alpha) / m;
  return { params, points: pts, gates, mean, beta, alpha, scale, chol: l, gateCov, kinvH };
}

/** Profile log-likelihood (scale maximised out): −(m/2)·log s² − ½·log|K|. */
function profileLogLikelihood(fit: GpFit): number {
  const m = fit.points.length;
  return -(m / 2) * Math.log(Math.max(fit.scale, 1e-300)) - halfLogDet(fit.chol, m);
}

/** The fit at the grid point of largest profile likelihood, for the GP with mean gates `gates`. */
export function selectKernel(pts: readonly Point[], gates: readonly Gate[] = []): GpFit {
  let best: { ll: number; fit: GpFit } | null = null;
  for (const a of GRID_A)
    for (const rho of GRID_RHO)
      for (const eta of GRID_ETA) {
        const params = { a, c: rho * Math.sqrt(a), eta };
        const fit = fitGp(pts, params, gates);
        if (!fit) continue;
        const ll = profileLogLikelihood(fit);
        if (!best || ll > best.ll) best = { ll, fit };
      }
  if (!best) throw new InvalidInputError('gp-shapley: no hyper-parameters gave a valid fit');
  return best.fit;
}

/** Posterior mean f(S). */
export function predict(fit: GpFit, members: Uint8Array): number {
  const la = Math.log(fit.params.a);
  const lc = Math.log(fit.params.c);
  let v = fit.mean;
  fit.gates.forEach((g, j) => (v += fit.beta[j]! * gateValue(g, members)));
  fit.points.forEach((p, j) => (v += fit.alpha[j]! * kernelValue(members, p.members, la, lc)));
  return v;
}

/**
 * Exact Shapley values of the posterior mean, and their posterior standard deviations
 * s·√(prior − ℓᵢᵀK⁻¹ℓᵢ + Rᵢᵀ(HᵀK⁻¹H)⁻¹Rᵢ), ℓᵢ[j] = φᵢ(k(·, T_j)), Rᵢ = φᵢ(h) − HᵀK⁻¹ℓᵢ
 * (R&W eq. 2.42; the mean and the constant kernel term have no Shapley value).
 */
export function surrogateShapley(
  fit: GpFit,
  n: number,
): { values: Float64Array; stderr: number[] } {
  const { inside, outside } = sectionShapley(n, fit.params.a, fit.params.c);
  const sec = (p: Point, i: number) => (p.members[i] ? inside[p.size]! : outside[p.size]!);
  const values = new Float64Array(n);
  fit.points.forEach((p, j) => {
    for (let i = 0; i < n; i++) values[i]! += fit.alpha[j]! * sec(p, i);
  });
  const gatePhi = fit.gates.map((g) => gateShapley(g, n));
  gatePhi.forEach((phi, j) => {
    for (let i = 0; i < n; i++) values[i]! += fit.beta[j]! * phi[i]!;
  });
  let prior = 0;
  for (let t = 0; t < n; t++) prior += (inside[t + 1]! - outside[t]!) / n;
  const m = fit.points.length;
  const g = fit.gates.length;
  const stderr = Array.from({ length: n }, (_, i) => {
    const ell = fit.points.map((p) => sec(p, i));
    const x = cholSolve(fit.chol, m, ell);
    let v = prior - dot(ell, x);
    if (g > 0) {
      const r = gatePhi.map((phi, k) => phi[i]! - dot(fit.kinvH[k]!, ell));
      for (let a = 0; a < g; a++)
        for (let b = 0; b < g; b++) v += r[a]! * fit.gateCov[a * g + b]! * r[b]!;
    }
    return Math.sqrt(Math.max(0, fit.scale * v));
  });
  return { values, stderr };
}
