/**
 * Owner-level utility: held-out accuracy of a K-nearest-neighbour classifier trained on the
 * coalition's rows. A genuine model-quality utility that is cheap enough to tabulate all 2^n
 * coalitions of a 12-owner game (the benchmark's real game), and the stand-in until the
 * prover's trained-model utilities land. Neighbour orders are computed once per test point;
 * U(S) then scans each order for the first K rows owned by members of S.
 * Conventions: on a vote tie the class that reached the winning count first (walking from the
 * nearest neighbour) wins; no training rows in S → chance accuracy 1/numClasses (the utility
 * of a model that has seen no data).
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { InvalidDataError, InvalidInputError } from '../errors.ts';
import { defineGame, type Game } from '../game.ts';
import { argsortNonNegative } from '../knn/argsort.ts';
import { checkMatrix, squaredDistances, type LabeledMatrix } from '../knn/dataset.ts';

export interface KnnAccuracyParameters {
  readonly players: readonly string[];
  readonly train: LabeledMatrix;
  /** Player (owner) index of each training row. */
  readonly ownerOf: Int32Array;
  readonly test: LabeledMatrix;
  readonly k: number;
  readonly numClasses: number;
  /** Recorded in the cache key (no randomness is used). */
  readonly seed?: string;
}

function hashOf(...parts: ArrayBufferView[]): string {
  const h = sha256.create();
  for (const p of parts) h.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return bytesToHex(h.digest());
}

export function knnAccuracyGame(p: KnnAccuracyParameters): Game {
  const train = checkMatrix('train', p.train);
  const test = checkMatrix('test', p.test);
  if (p.ownerOf.length !== train.rows) {
    throw new InvalidDataError('ownerOf needs one owner per training row', {
      details: `got ${p.ownerOf.length}, want ${train.rows}`,
    });
  }
  if (!Number.isInteger(p.k) || p.k < 1 || !Number.isInteger(p.numClasses) || p.numClasses < 2) {
    throw new InvalidInputError('need integer k >= 1 and numClasses >= 2', {
      details: `got k=${p.k}, numClasses=${p.numClasses}`,
    });
  }
  const orders = Array.from({ length: test.rows }, (_, q) =>
    argsortNonNegative(squaredDistances(train, test, q)),
  );
  const n = p.players.length;
  const rowsOf = Array.from({ length: n }, () => [] as number[]);
  p.ownerOf.forEach((o, j) => rowsOf[o]?.push(j));
  const dataRoots = rowsOf.map((rows) => {
    const idx = Int32Array.from(rows);
    const feats = Float64Array.from(
      rows.flatMap((j) => Array.from(train.features.subarray(j * train.dim, (j + 1) * train.dim))),
    );
    const labels = Int32Array.from(rows, (j) => train.labels[j]!);
    return hashOf(idx, feats, labels);
  });
  const modelSpecHash = hashOf(
    Int32Array.of(p.k, p.numClasses, test.dim),
    test.features,
    test.labels,
  );
  const votes = new Int32Array(p.numClasses);
  const member = new Uint8Array(n);

  const utility = async (coalition: readonly number[]): Promise<number> => {
    member.fill(0);
    let rows = 0;
    for (const i of coalition) {
      member[i] = 1;
      rows += rowsOf[i]!.length;
    }
    if (rows === 0) return 1 / p.numClasses;
    const k = Math.min(p.k, rows);
    let correct = 0;
    for (let q = 0; q < test.rows; q++) {
      votes.fill(0);
      let found = 0;
      let best = -1;
      for (const j of orders[q]!) {
        if (!member[p.ownerOf[j]!]) continue;
        const c = train.labels[j]!;
        votes[c]!++;
        if (best < 0 || votes[c]! > votes[best]!) best = c;
        if (++found === k) break;
      }
      if (best === test.labels[q]) correct++;
    }
    return correct / test.rows;
  };
  return defineGame(p.players, utility, {
    kind: 'knn-accuracy',
    modelSpecHash,
    dataRoots,
    seed: p.seed ?? '',
  });
}
