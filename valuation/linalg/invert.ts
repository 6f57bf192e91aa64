/**
 * Dense matrix inverse by Gauss–Jordan elimination with partial pivoting. Used for the small
 * (players + 1)² KKT systems of constrained KernelSHAP; O(n³) is negligible next to utility
 * evaluations that train models.
 */
import { SolverError } from '../errors.ts';

/** Inverse of the row-major n×n matrix `a` (not modified). Throws SolverError if singular. */
export function invert(a: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (let k = 0; k < n * n; k++) scale = Math.max(scale, Math.abs(m[k]!));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[p * n + c]!)) p = r;
    const pivot = m[p * n + c]!;
    if (!(Math.abs(pivot) > 1e-13 * Math.max(scale, 1e-300))) {
      throw new SolverError('matrix is singular', {
        details: `pivot ${pivot} in column ${c} of ${n}`,
      });
    }
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        [m[c * n + k], m[p * n + k]] = [m[p * n + k]!, m[c * n + k]!];
        [inv[c * n + k], inv[p * n + k]] = [inv[p * n + k]!, inv[c * n + k]!];
      }
    }
    for (let k = 0; k < n; k++) {
      m[c * n + k]! /= pivot;
      inv[c * n + k]! /= pivot;
    }
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * n + c]!;
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        m[r * n + k]! -= f * m[c * n + k]!;
        inv[r * n + k]! -= f * inv[c * n + k]!;
      }
    }
  }
  return inv;
}
