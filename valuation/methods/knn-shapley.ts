/**
 * Exact Shapley values of training points for a K-nearest-neighbour classifier (Jia, Dao,
 * Wang, Hubis, Gurel, Li, Zhang, Spanos & Song, PVLDB 12(11) 2019, "Efficient Task-Specific
 * Data Valuation for Nearest Neighbor Algorithms", Theorem 1).
 * Utility for one test point (x, y), with α_k(S) the k-th nearest point of S to x:
 *     U(S) = (1/K) Σ_{k=1}^{min(K,|S|)} 1[y_{α_k(S)} = y].
 * With α_1..α_N the whole training set sorted by distance (ties by row order) the Shapley
 * values follow from one backward recursion, O(N log N) per test point for the sort:
 *     s_{α_N} = 1[y_{α_N} = y] / N
 *     s_{α_i} = s_{α_{i+1}} + (1[y_{α_i} = y] − 1[y_{α_{i+1}} = y]) / K · min(K, i) / i.
 * Values are averaged over the test points (the utility is the mean over the test set).
 * The values are exact for the given test set; `stderr` reports how much they would move with
 * a different test sample (standard deviation over test points / √nTest), which is what a
 * payout confidence interval should carry.
 */
import { InvalidDataError, InvalidInputError } from '../errors.ts';
import { argsortNonNegative } from '../knn/argsort.ts';
import { checkMatrix, squaredDistances, type LabeledMatrix } from '../knn/dataset.ts';
import { makeResult, type ValuationResult } from '../result.ts';

export interface KnnShapleyParameters {
  readonly train: LabeledMatrix;
  readonly test: LabeledMatrix;
  readonly k: number;
  /** Optional grouping of training rows (owner per row) to also return exact group sums. */
  readonly groups?: { readonly names: readonly string[]; readonly groupOf: ArrayLike<number> };
  /** Called after each test point (progress bars). */
  readonly onTestPoint?: (done: number, total: number) => void;
}

export interface KnnShapleyReturnType {
  /** Per training row, in row order. */
  readonly points: ValuationResult;
  /** Per group (sum of its rows' values), when `groups` was given. */
  readonly groups?: ValuationResult;
}

/** Adds one test point's KNN-Shapley values (Jia et al. 2019, Thm 1) into `out` by row. */
export function knnShapleyForTestPoint(
  order: Uint32Array,
  trainLabels: Int32Array,
  label: number,
  k: number,
  out: Float64Array,
): void {
  const n = order.length;
  if (n === 0) return;
  let next = order[n - 1]!;
  let s = (trainLabels[next] === label ? 1 : 0) / n;
  out[next] = s;
  for (let i = n - 1; i >= 1; i--) {
    const cur = order[i - 1]!; // α_i (1-indexed i)
    const diff = (trainLabels[cur] === label ? 1 : 0) - (trainLabels[next] === label ? 1 : 0);
    s += (diff / k) * (Math.min(k, i) / i);
    out[cur] = s;
    next = cur;
  }
}

/** Exact KNN-Shapley values of all training rows, averaged over test rows. */
export function knnShapley(p: KnnShapleyParameters): KnnShapleyReturnType {
  const train = checkMatrix('train', p.train);
  const test = checkMatrix('test', p.test);
  if (!Number.isInteger(p.k) || p.k < 1) {
    throw new InvalidInputError('k must be a positive integer', { details: `got ${p.k}` });
  }
  if (train.dim !== test.dim) {
    throw new InvalidDataError('train and test have different feature counts', {
      details: `got ${test.dim}, want ${train.dim}`,
    });
  }
  if (train.rows === 0 || test.rows === 0) {
    throw new InvalidDataError('train and test need at least one row', {
      details: `got ${train.rows} train, ${test.rows} test rows`,
    });
  }
  const n = train.rows;
  const groupOf = p.groups?.groupOf;
  const groupCount = p.groups?.names.length ?? 0;
  if (groupOf && groupOf.length !== n) {
    throw new InvalidInputError('groupOf needs one group per training row', {
      details: `got ${groupOf.length}, want ${n}`,
    });
  }
  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  const gSum = new Float64Array(groupCount);
  const gSumSq = new Float64Array(groupCount);
  const g = new Float64Array(groupCount);
  const dist = new Float64Array(n);
  const s = new Float64Array(n);
  for (let q = 0; q < test.rows; q++) {
    squaredDistances(train, test, q, dist);
    knnShapleyForTestPoint(argsortNonNegative(dist), train.labels, test.labels[q]!, p.k, s);
    for (let j = 0; j < n; j++) {
      sum[j]! += s[j]!;
      sumSq[j]! += s[j]! * s[j]!;
    }
    if (groupOf) {
      g.fill(0);
      for (let j = 0; j < n; j++) g[groupOf[j]!]! += s[j]!;
      for (let c = 0; c < groupCount; c++) {
        gSum[c]! += g[c]!;
        gSumSq[c]! += g[c]! * g[c]!;
      }
    }
    p.onTestPoint?.(q + 1, test.rows);
  }
  const t = test.rows;
  const stderrOf = (s1: number, s2: number) =>
    t < 2 ? 0 : Math.sqrt(Math.max(0, (s2 - (s1 * s1) / t) / (t - 1)) / t);
  const points = makeResult({
    algorithm: 'knn-shapley',
    players: Array.from({ length: n }, (_, j) => String(j)),
    values: Array.from(sum, (v) => v / t),
    stderr: Array.from(sum, (v, j) => stderrOf(v, sumSq[j]!)),
    counts: new Array<number>(n).fill(t),
    evaluations: 0,
    status: 'converged',
    extras: { k: p.k, testPoints: t },
  });
  if (!p.groups) return { points };
  return {
    points,
    groups: makeResult({
      algorithm: 'knn-shapley-grouped',
      players: p.groups.names,
      values: Array.from(gSum, (v) => v / t),
      stderr: Array.from(gSum, (v, c) => stderrOf(v, gSumSq[c]!)),
      counts: new Array<number>(groupCount).fill(t),
      evaluations: 0,
      status: 'converged',
      extras: { k: p.k, testPoints: t },
    }),
  };
}
