/**
 * The KNN utility of Jia et al. 2019 over individual training points (players = rows):
 *   U(S) = mean over test points of (1/K) Σ_{k=1}^{min(K,|S|)} 1[y_{α_k(S)} = y_test],
 * α_k(S) the k-th nearest member of S, ties by row order. Brute-force Shapley over this game
 * is the oracle that methods/knn-shapley.ts must match exactly.
 */
import { defineGame, type Game } from '../game.ts';
import { argsortNonNegative } from '../knn/argsort.ts';
import { checkMatrix, squaredDistances, type LabeledMatrix } from '../knn/dataset.ts';

export function knnLabelMatchGame(train: LabeledMatrix, test: LabeledMatrix, k: number): Game {
  checkMatrix('train', train);
  checkMatrix('test', test);
  const orders = Array.from({ length: test.rows }, (_, q) =>
    argsortNonNegative(squaredDistances(train, test, q)),
  );
  const players = Array.from({ length: train.rows }, (_, j) => String(j));
  return defineGame(players, async (coalition) => {
    const member = new Uint8Array(train.rows);
    for (const j of coalition) member[j] = 1;
    let total = 0;
    for (let q = 0; q < test.rows; q++) {
      let found = 0;
      let matches = 0;
      for (const j of orders[q]!) {
        if (!member[j]) continue;
        if (train.labels[j] === test.labels[q]) matches++;
        if (++found === k) break;
      }
      total += matches / k;
    }
    return total / test.rows;
  });
}
