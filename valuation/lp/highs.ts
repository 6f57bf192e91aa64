/**
 * HiGHS (Huangfu & Hall 2018; WebAssembly build, npm `highs`) as an LpSolver. The WASM module
 * is loaded once per process. Dual simplex for LPs; the active-set QP solver when a Hessian
 * is present.
 */
import highsModule, { type Highs, type ModelData } from 'highs';
import type { LinearProgram, LpSolution, LpSolver } from './program.ts';

// `highs` is a CommonJS package whose typings describe `module.exports`; loaded as ESM
// (highs.mjs) its default export is the loader itself. Accept both shapes.
type Loader = typeof highsModule.default;
const loadHighs: Loader =
  typeof highsModule === 'function' ? (highsModule as unknown as Loader) : highsModule.default;

let instance: Promise<Highs> | undefined;

function highs(): Promise<Highs> {
  instance ??= loadHighs();
  return instance;
}

function toModel(h: Highs, lp: LinearProgram): ModelData {
  const inf = h.infinity;
  const clamp = (a: Float64Array) =>
    Float64Array.from(a, (v) => (v === Infinity ? inf : v === -Infinity ? -inf : v));
  const numRows = lp.rowLower.length;
  const model: ModelData = {
    numCols: lp.numCols,
    numRows,
    colCost: lp.colCost,
    colLower: clamp(lp.colLower),
    colUpper: clamp(lp.colUpper),
    rowLower: clamp(lp.rowLower),
    rowUpper: clamp(lp.rowUpper),
    matrix: {
      format: 'csr',
      numRows,
      numCols: lp.numCols,
      starts: lp.rows.starts,
      indices: lp.rows.indices,
      values: lp.rows.values,
    },
  };
  const d = lp.hessianDiagonal;
  if (!d) return model;
  const starts = new Int32Array(lp.numCols + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let j = 0; j < lp.numCols; j++) {
    if (d[j] !== 0) {
      indices.push(j);
      values.push(d[j]!);
    }
    starts[j + 1] = indices.length;
  }
  return {
    ...model,
    hessian: {
      format: 'triangular',
      dimension: lp.numCols,
      starts,
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
  };
}

/** Solves with HiGHS; status "optimal" on success. */
export const highsSolver: LpSolver = async (lp) => {
  const h = await highs();
  return h.withModel(toModel(h, lp), (model): LpSolution => {
    model.options.set({ output_flag: false });
    model.run();
    const code = model.getModelStatus();
    const optimal = code === h.constants.modelStatus.optimal;
    const name =
      Object.entries(h.constants.modelStatus).find(([, v]) => v === code)?.[0] ?? String(code);
    return {
      status: optimal ? 'optimal' : name,
      x: Float64Array.from(model.getSolution().colValue),
      objective: optimal ? model.getObjectiveValue() : NaN,
    };
  });
};
