/**
 * Dense labelled data for the nearest-neighbour utilities: row-major features and integer
 * class labels (CSV parsing maps label strings to ids).
 */
import { InvalidDataError } from '../errors.ts';

export interface LabeledMatrix {
  readonly rows: number;
  readonly dim: number;
  /** Row-major, rows × dim. */
  readonly features: Float64Array;
  /** Class id per row. */
  readonly labels: Int32Array;
}

/** Checks shapes and finiteness; returns the matrix for chaining. */
export function checkMatrix(name: string, m: LabeledMatrix): LabeledMatrix {
  if (m.features.length !== m.rows * m.dim) {
    throw new InvalidDataError(`${name}: feature array has the wrong size`, {
      details: `got ${m.features.length}, want ${m.rows} × ${m.dim} = ${m.rows * m.dim}`,
    });
  }
  if (m.labels.length !== m.rows) {
    throw new InvalidDataError(`${name}: label array has the wrong size`, {
      details: `got ${m.labels.length}, want ${m.rows}`,
    });
  }
  for (let k = 0; k < m.features.length; k++) {
    if (!Number.isFinite(m.features[k]!)) {
      throw new InvalidDataError(`${name}: features must be finite`, {
        details: `row ${Math.floor(k / m.dim)}, column ${k % m.dim} is ${m.features[k]}`,
      });
    }
  }
  return m;
}

/** Squared Euclidean distances from test row `q` of `test` to every row of `train`. */
export function squaredDistances(
  train: LabeledMatrix,
  test: LabeledMatrix,
  q: number,
  out: Float64Array = new Float64Array(train.rows),
): Float64Array {
  const dim = train.dim;
  const x = train.features;
  const base = q * dim;
  for (let j = 0, off = 0; j < train.rows; j++, off += dim) {
    let d = 0;
    for (let k = 0; k < dim; k++) {
      const diff = x[off + k]! - test.features[base + k]!;
      d += diff * diff;
    }
    out[j] = d;
  }
  return out;
}

/**
 * Z-scores both matrices with the training set's per-column mean and standard deviation
 * (columns with zero spread are left centred), so no feature dominates by its unit.
 */
export function standardize(
  train: LabeledMatrix,
  test: LabeledMatrix,
): [LabeledMatrix, LabeledMatrix] {
  const { dim } = train;
  const mean = new Float64Array(dim);
  const sd = new Float64Array(dim);
  for (let j = 0; j < train.rows; j++)
    for (let k = 0; k < dim; k++) mean[k]! += train.features[j * dim + k]!;
  for (let k = 0; k < dim; k++) mean[k]! /= Math.max(1, train.rows);
  for (let j = 0; j < train.rows; j++) {
    for (let k = 0; k < dim; k++) sd[k]! += (train.features[j * dim + k]! - mean[k]!) ** 2;
  }
  for (let k = 0; k < dim; k++) sd[k] = Math.sqrt(sd[k]! / Math.max(1, train.rows)) || 1;
  const apply = (m: LabeledMatrix): LabeledMatrix => ({
    ...m,
    features: Float64Array.from(m.features, (v, idx) => (v - mean[idx % dim]!) / sd[idx % dim]!),
  });
  return [apply(train), apply(test)];
}
