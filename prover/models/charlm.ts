/**
 * A small decoder-only character transformer (GPT-style, pre-LayerNorm): token + learned
 * position embeddings, `layers` blocks of causal multi-head self-attention and a ReLU MLP with
 * residual connections, a final LayerNorm and an untied output projection. The token embedding
 * is a one-hot matmul rather than a gather so that its gradient is a matmul too: scatter-add
 * gradients can sum in a scheduling-dependent order on parallel backends, matmuls do not.
 */
import * as tf from '@tensorflow/tfjs';
import { matmulFlops } from './flops.ts';
import type { BatchTensors, Model, Params, ParamSpec } from './types.ts';

export interface CharLmShape {
  readonly vocabSize: number;
  readonly context: number;
  readonly dModel: number;
  readonly heads: number;
  readonly layers: number;
  readonly ffHidden: number;
}

const LN_EPS = 1e-5;
const MASKED = -1e9;
const blk = (l: number) => `charlm/block${String(l).padStart(2, '0')}`;

function paramSpecs(s: CharLmShape): ParamSpec[] {
  const { vocabSize: V, context: T, dModel: d, ffHidden: f } = s;
  const dense = (name: string, fanIn: number, fanOut: number): ParamSpec => ({
    name,
    shape: [fanIn, fanOut],
    init: { kind: 'glorot', fanIn, fanOut },
  });
  const zeros = (name: string, n: number): ParamSpec => ({
    name,
    shape: [n],
    init: { kind: 'zeros' },
  });
  const ones = (name: string, n: number): ParamSpec => ({
    name,
    shape: [n],
    init: { kind: 'ones' },
  });
  const out: ParamSpec[] = [
    { name: 'charlm/tok_emb', shape: [V, d], init: { kind: 'uniform', limit: 0.05 } },
    { name: 'charlm/pos_emb', shape: [T, d], init: { kind: 'uniform', limit: 0.05 } },
    ones('charlm/ln_f/gamma', d),
    zeros('charlm/ln_f/beta', d),
    dense('charlm/head/kernel', d, V),
    zeros('charlm/head/bias', V),
  ];
  for (let l = 0; l < s.layers; l++) {
    const b = blk(l);
    out.push(
      ones(`${b}/ln1/gamma`, d),
      zeros(`${b}/ln1/beta`, d),
      ones(`${b}/ln2/gamma`, d),
      zeros(`${b}/ln2/beta`, d),
      dense(`${b}/attn/wq`, d, d),
      dense(`${b}/attn/wk`, d, d),
      dense(`${b}/attn/wv`, d, d),
      dense(`${b}/attn/wo`, d, d),
      zeros(`${b}/attn/bo`, d),
      dense(`${b}/mlp/w1`, d, f),
      zeros(`${b}/mlp/b1`, f),
      dense(`${b}/mlp/w2`, f, d),
      zeros(`${b}/mlp/b2`, d),
    );
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor2D {
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, LN_EPS))), gamma), beta);
}

export function charLmModel(s: CharLmShape): Model {
  const { vocabSize: V, context: T, dModel: d, heads: H, layers: L, ffHidden: f } = s;
  const dh = d / H;
  // Additive causal mask: position t attends to positions ≤ t.
  const maskValues = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) maskValues[i * T + j] = MASKED;
  const causal = tf.tensor2d(maskValues, [T, T]);
  const g = (p: Params, name: string) => p.get(name)!;

  /** [B·H, T, dh] from [B·T, d]. */
  const splitHeads = (x: tf.Tensor2D, B: number) =>
    tf.reshape(tf.transpose(tf.reshape(x, [B, T, H, dh]), [0, 2, 1, 3]), [
      B * H,
      T,
      dh,
    ]) as tf.Tensor3D;

  const attention = (p: Params, b: string, x: tf.Tensor2D, B: number): tf.Tensor2D => {
    const q = splitHeads(tf.matMul(x, g(p, `${b}/attn/wq`) as tf.Tensor2D), B);
    const k = splitHeads(tf.matMul(x, g(p, `${b}/attn/wk`) as tf.Tensor2D), B);
    const v = splitHeads(tf.matMul(x, g(p, `${b}/attn/wv`) as tf.Tensor2D), B);
    const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), causal);
    const ctx = tf.matMul(tf.softmax(scores), v); // [B·H, T, dh]
    const merged = tf.reshape(tf.transpose(tf.reshape(ctx, [B, H, T, dh]), [0, 2, 1, 3]), [
      B * T,
      d,
    ]) as tf.Tensor2D;
    return tf.add(tf.matMul(merged, g(p, `${b}/attn/wo`) as tf.Tensor2D), g(p, `${b}/attn/bo`));
  };

  const logits = (p: Params, tokens: tf.Tensor): tf.Tensor2D => {
    const B = tokens.shape[0]!;
    const flat = tf.reshape(tokens, [B * T]) as tf.Tensor1D;
    const tok = tf.matMul(tf.oneHot(flat, V), g(p, 'charlm/tok_emb') as tf.Tensor2D);
    let x = tf.reshape(tf.add(tf.reshape(tok, [B, T, d]), g(p, 'charlm/pos_emb')), [
      B * T,
      d,
    ]) as tf.Tensor2D;
    for (let l = 0; l < L; l++) {
      const b = blk(l);
      x = tf.add(
        x,
        attention(p, b, layerNorm(x, g(p, `${b}/ln1/gamma`), g(p, `${b}/ln1/beta`)), B),
      );
      const h = layerNorm(x, g(p, `${b}/ln2/gamma`), g(p, `${b}/ln2/beta`));
      const hidden = tf.relu(
        tf.add(tf.matMul(h, g(p, `${b}/mlp/w1`) as tf.Tensor2D), g(p, `${b}/mlp/b1`)),
      );
      x = tf.add(
        x,
        tf.add(tf.matMul(hidden, g(p, `${b}/mlp/w2`) as tf.Tensor2D), g(p, `${b}/mlp/b2`)),
      );
    }
    const y = layerNorm(x, g(p, 'charlm/ln_f/gamma'), g(p, 'charlm/ln_f/beta'));
    return tf.add(
      tf.matMul(y, g(p, 'charlm/head/kernel') as tf.Tensor2D),
      g(p, 'charlm/head/bias'),
    );
  };

  return {
    kind: 'charlm',
    params: paramSpecs(s),
    logits,
    /** inputs: int32 [B, T]; targets: int32 [B·T]; weights: float32 [B·T] (0 on PAD). */
    loss(p: Params, batch: BatchTensors): tf.Scalar {
      const z = logits(p, batch.inputs as tf.Tensor2D);
      const nll = tf.neg(
        tf.sum(tf.mul(tf.oneHot(batch.targets as tf.Tensor1D, V), tf.logSoftmax(z)), -1),
      );
      return tf.mul(tf.sum(tf.mul(nll, batch.weights!)), 1 / batch.weightSum) as tf.Scalar;
    },
    forwardFlops(B: number): bigint {
      const perLayer =
        4n * matmulFlops(T, d, d) + // q, k, v, o projections
        2n * matmulFlops(T, dh, T) * BigInt(H) + // scores and context, per head
        matmulFlops(T, d, f) +
        matmulFlops(T, f, d);
      const perSeq = matmulFlops(T, V, d) + BigInt(L) * perLayer + matmulFlops(T, d, V);
      return BigInt(B) * perSeq;
    },
    dispose: () => causal.dispose(),
  };
}
