/**
 * Turns committed example indices into model inputs. Augmentation noise for the mlp is drawn
 * from the committed RNG right after the batch indices, element by element in row-major order,
 * and added in float32, so it is reproduced exactly from the state.
 */
import * as tf from '@tensorflow/tfjs';
import { PAD } from '../data/movies.ts';
import type { Examples } from '../data/examples.ts';
import type { BatchTensors } from '../models/types.ts';
import type { Rng } from '../rng.ts';

export function batchTensors(
  ex: Examples,
  indices: Uint32Array,
  rng: Rng,
  featureNoise: number,
): BatchTensors {
  const B = indices.length;
  if (ex.kind === 'tabular') {
    const x = new Float32Array(B * ex.dim);
    const y = new Int32Array(B);
    indices.forEach((i, r) => {
      x.set(ex.features.subarray(i * ex.dim, (i + 1) * ex.dim), r * ex.dim);
      y[r] = ex.labels[i]!;
    });
    if (featureNoise > 0)
      for (let j = 0; j < x.length; j++) x[j] = x[j]! + (2 * rng.uniform() - 1) * featureNoise;
    return { inputs: tf.tensor2d(x, [B, ex.dim]), targets: tf.tensor1d(y, 'int32'), weightSum: B };
  }
  const T = ex.seqLen - 1;
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  const weights = new Float32Array(B * T);
  let weightSum = 0;
  indices.forEach((i, r) => {
    const row = ex.tokens.subarray(i * ex.seqLen, (i + 1) * ex.seqLen);
    inputs.set(row.subarray(0, T), r * T);
    targets.set(row.subarray(1), r * T);
    for (let t = 0; t < T; t++) {
      const w = row[t + 1] === PAD ? 0 : 1;
      weights[r * T + t] = w;
      weightSum += w;
    }
  });
  return {
    inputs: tf.tensor2d(inputs, [B, T], 'int32'),
    targets: tf.tensor1d(targets, 'int32'),
    weights: tf.tensor1d(weights),
    weightSum: Math.max(weightSum, 1),
  };
}

export function disposeBatch(b: BatchTensors): void {
  b.inputs.dispose();
  b.targets.dispose();
  b.weights?.dispose();
}
