/**
 * A solver-neutral LP/QP description, so the least core can run on HiGHS today and on the
 * GPU PDHG solver (kernels/) later without changing the valuation code:
 *   minimise  cᵀx + ½ Σ_j h_j x_j²   s.t.  rowLower ≤ A x ≤ rowUpper,  colLower ≤ x ≤ colUpper
 * with A in compressed sparse rows and an optional diagonal quadratic term h.
 */
export interface LinearProgram {
  readonly numCols: number;
  readonly colCost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  /** CSR: row r holds indices/values[starts[r] .. starts[r+1]). */
  readonly rows: {
    readonly starts: Int32Array;
    readonly indices: Int32Array;
    readonly values: Float64Array;
  };
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  /** Diagonal of the Hessian (QP); absent for an LP. */
  readonly hessianDiagonal?: Float64Array;
}

export interface LpSolution {
  /** "optimal" or the solver's own status text. */
  readonly status: string;
  readonly x: Float64Array;
  readonly objective: number;
}

/** Solves a LinearProgram. */
export type LpSolver = (program: LinearProgram) => Promise<LpSolution>;
