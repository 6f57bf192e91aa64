/**
 * Running mean and variance per index (Welford 1962), the sufficient statistics every
 * Monte Carlo estimator here keeps: stable in one pass, no stored samples.
 */
export class RunningMoments {
  readonly size: number;
  readonly count: Float64Array;
  readonly mean: Float64Array;
  readonly #m2: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.count = new Float64Array(size);
    this.mean = new Float64Array(size);
    this.#m2 = new Float64Array(size);
  }

  /** Adds observation x to index i. */
  push(i: number, x: number): void {
    const c = ++this.count[i]!;
    const delta = x - this.mean[i]!;
    this.mean[i]! += delta / c;
    this.#m2[i]! += delta * (x - this.mean[i]!);
  }

  /** Unbiased sample variance of index i (NaN with fewer than 2 observations). */
  variance(i: number): number {
    const c = this.count[i]!;
    return c < 2 ? NaN : Math.max(0, this.#m2[i]! / (c - 1));
  }

  /** Sum of squared deviations from the mean of index i (0 with fewer than 2 observations). */
  sumSquares(i: number): number {
    return this.count[i]! < 2 ? 0 : Math.max(0, this.#m2[i]!);
  }

  /**
   * Variance of index i shrunk towards `prior` with weight `kappa` pseudo-observations:
   * (SS_i + κ·prior)/(m_i − 1 + κ), or `prior` with no observation. Small strata of a discrete
   * utility often show zero sample variance by chance; shrinkage keeps such strata from being
   * starved by Neyman allocation and keeps their standard errors honest.
   */
  shrunkVariance(i: number, prior: number, kappa = 1): number {
    const c = this.count[i]!;
    if (c === 0) return prior;
    return (this.sumSquares(i) + kappa * prior) / (c - 1 + kappa);
  }

  /** Standard error of the mean of index i (Infinity with fewer than 2 observations). */
  stderr(i: number): number {
    const c = this.count[i]!;
    return c < 2 ? Infinity : Math.sqrt(this.variance(i) / c);
  }
}
