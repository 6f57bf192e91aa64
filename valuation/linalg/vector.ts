/** Dense vector kernels shared by the gp-shapley surrogate (fit and gate selection). */

/** xᵀy over the first `m` entries (default: all of x). */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>, m = x.length): number {
  let s = 0;
  for (let i = 0; i < m; i++) s += x[i]! * y[i]!;
  return s;
}

/** y += α x */
export function axpy(alpha: number, x: Float64Array, y: Float64Array, m = x.length): void {
  for (let i = 0; i < m; i++) y[i]! += alpha * x[i]!;
}

/** x *= α */
export function scale(alpha: number, x: Float64Array, m = x.length): void {
  for (let i = 0; i < m; i++) x[i]! *= alpha;
}
