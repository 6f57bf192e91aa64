/**
 * Cholesky factorisation and triangular solves for the dense symmetric positive-definite Gram
 * matrices of the Gaussian-process surrogate (gp-shapley). Row-major; the factor L overwrites
 * the lower triangle in place, so an m×m fit needs one m² buffer.
 */

/** In-place Cholesky of a row-major SPD matrix (lower triangle ← L); false if not PD. */
export function cholesky(k: Float64Array, m: number): boolean {
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

/** Solves L x = y (forward substitution) for the factor in the lower triangle of `l`. */
export function lowerSolve(l: Float64Array, m: number, y: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(y);
  for (let i = 0; i < m; i++) {
    let s = x[i]!;
    const row = i * m;
    for (let p = 0; p < i; p++) s -= l[row + p]! * x[p]!;
    x[i] = s / l[row + i]!;
  }
  return x;
}

/** Solves L Lᵀ x = y for the factor in the lower triangle of `l`. */
export function cholSolve(l: Float64Array, m: number, y: ArrayLike<number>): Float64Array {
  const x = lowerSolve(l, m, y);
  for (let i = m - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let p = i + 1; p < m; p++) s -= l[p * m + i]! * x[p]!;
    x[i] = s / l[i * m + i]!;
  }
  return x;
}

/** log det(L Lᵀ) / 2 = Σ log L_ii. */
export function halfLogDet(l: Float64Array, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += Math.log(l[i * m + i]!);
  return s;
}
