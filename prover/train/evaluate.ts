/** Held-out quality of a trainer's current weights: accuracy and log-loss (mlp) or loss (charlm). */
import * as tf from '@tensorflow/tfjs';
import type { Examples } from '../data/examples.ts';
import { Rng } from '../rng.ts';
import { batchTensors, disposeBatch } from './batch.ts';
import type { Trainer } from './trainer.ts';

export interface Evaluation {
  /** Mean loss per example (mlp) or per predicted token (charlm), in nats. */
  readonly loss: number;
  /** Top-1 accuracy (mlp only). */
  readonly accuracy?: number;
  readonly count: number;
}

const EVAL_BATCH = 256;

export async function evaluate(trainer: Trainer, ex: Examples): Promise<Evaluation> {
  const params = trainer.paramMap();
  const noNoise = new Rng(Uint32Array.of(1, 2, 3, 4)); // unused: evaluation draws no noise
  let lossSum = 0;
  let weightSum = 0;
  let correct = 0;
  for (let start = 0; start < ex.count; start += EVAL_BATCH) {
    const idx = Uint32Array.from(
      { length: Math.min(EVAL_BATCH, ex.count - start) },
      (_, i) => start + i,
    );
    const batch = batchTensors(ex, idx, noNoise, 0);
    const [loss, hits] = tf.tidy(() => {
      const l = tf.mul(trainer.model.loss(params, batch), batch.weightSum);
      if (trainer.model.kind !== 'mlp') return [l, tf.scalar(0)];
      const logits = trainer.model.logits(params, batch.inputs);
      return [l, tf.sum(tf.cast(tf.equal(tf.argMax(logits, -1), batch.targets), 'float32'))];
    });
    lossSum += (await loss.data())[0]!;
    correct += (await hits.data())[0]!;
    weightSum += batch.weightSum;
    loss.dispose();
    hits.dispose();
    disposeBatch(batch);
  }
  return {
    loss: lossSum / weightSum,
    count: ex.count,
    ...(trainer.model.kind === 'mlp' ? { accuracy: correct / ex.count } : {}),
  };
}
