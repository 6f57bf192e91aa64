/** What the training loop needs from an architecture. */
import type * as tf from '@tensorflow/tfjs';

export type ParamInit =
  | { readonly kind: 'glorot'; readonly fanIn: number; readonly fanOut: number }
  | { readonly kind: 'uniform'; readonly limit: number }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' };

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: ParamInit;
}

/** One step's inputs, already as tensors (built from committed examples and RNG draws). */
export interface BatchTensors {
  readonly inputs: tf.Tensor;
  readonly targets: tf.Tensor;
  /** Per-target weights (text: 0 on PAD targets); their sum is `weightSum`. */
  readonly weights?: tf.Tensor;
  readonly weightSum: number;
}

export type Params = ReadonlyMap<string, tf.Tensor>;

export interface Model {
  readonly kind: 'mlp' | 'charlm';
  /** Sorted by name: the order gradients and updates are computed in. */
  readonly params: readonly ParamSpec[];
  /** Unnormalised scores: [B, classes] (mlp) or [B·T, vocab] (charlm). */
  logits(p: Params, inputs: tf.Tensor): tf.Tensor2D;
  /** Mean loss over the batch; pure tf ops, differentiable w.r.t. params. */
  loss(p: Params, batch: BatchTensors): tf.Scalar;
  /** Forward-pass matmul FLOPs for `batchSize` examples (see flops.ts for the rule). */
  forwardFlops(batchSize: number): bigint;
  /** Frees constants the model holds (masks). */
  dispose(): void;
}
