/**
 * Feature standardisation with fixed statistics. Mean and standard deviation are computed in
 * float64 over *every* row of the dataset (all owners, both splits) in file order, so they do
 * not depend on the coalition being trained and every party recomputes the same float32 inputs.
 */
export interface FeatureStats {
  readonly mean: number[];
  readonly std: number[];
}

export function featureStats(rows: readonly number[][]): FeatureStats {
  const dim = rows[0]?.length ?? 0;
  const mean = new Array<number>(dim).fill(0);
  const std = new Array<number>(dim).fill(0);
  for (const r of rows) for (let j = 0; j < dim; j++) mean[j]! += r[j]!;
  for (let j = 0; j < dim; j++) mean[j] = mean[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < dim; j++) std[j]! += (r[j]! - mean[j]!) ** 2;
  for (let j = 0; j < dim; j++) std[j] = Math.sqrt(std[j]! / rows.length) || 1;
  return { mean, std };
}

/** Standardised rows as one row-major Float32Array. */
export function standardize(rows: readonly number[][], s: FeatureStats): Float32Array {
  const dim = s.mean.length;
  const out = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => {
    for (let j = 0; j < dim; j++) out[i * dim + j] = (r[j]! - s.mean[j]!) / s.std[j]!;
  });
  return out;
}
