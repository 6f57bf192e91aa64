/** Multi-layer perceptron classifier: ReLU hidden layers, softmax cross-entropy. */
import * as tf from '@tensorflow/tfjs';
import { matmulFlops } from './flops.ts';
import type { BatchTensors, Model, Params, ParamSpec } from './types.ts';

export interface MlpShape {
  readonly inputDim: number;
  readonly hidden: readonly number[];
  readonly classes: number;
}

const pad = (i: number) => String(i).padStart(2, '0');

export function mlpModel(shape: MlpShape): Model {
  const dims = [shape.inputDim, ...shape.hidden, shape.classes];
  const params: ParamSpec[] = [];
  for (let l = 0; l + 1 < dims.length; l++) {
    const [fanIn, fanOut] = [dims[l]!, dims[l + 1]!];
    params.push({ name: `mlp/dense${pad(l)}/bias`, shape: [fanOut], init: { kind: 'zeros' } });
    params.push({
      name: `mlp/dense${pad(l)}/kernel`,
      shape: [fanIn, fanOut],
      init: { kind: 'glorot', fanIn, fanOut },
    });
  }
  params.sort((a, b) => (a.name < b.name ? -1 : 1));

  const logits = (p: Params, x: tf.Tensor): tf.Tensor2D => {
    let h = x as tf.Tensor2D;
    for (let l = 0; l + 1 < dims.length; l++) {
      h = tf.add(
        tf.matMul(h, p.get(`mlp/dense${pad(l)}/kernel`)! as tf.Tensor2D),
        p.get(`mlp/dense${pad(l)}/bias`)!,
      );
      if (l + 2 < dims.length) h = tf.relu(h);
    }
    return h;
  };

  return {
    kind: 'mlp',
    params,
    logits,
    loss(p: Params, batch: BatchTensors): tf.Scalar {
      const z = logits(p, batch.inputs as tf.Tensor2D);
      const nll = tf.neg(
        tf.sum(
          tf.mul(tf.oneHot(batch.targets as tf.Tensor1D, shape.classes), tf.logSoftmax(z)),
          -1,
        ),
      );
      return tf.mul(tf.sum(nll), 1 / batch.weightSum) as tf.Scalar;
    },
    forwardFlops(batchSize: number): bigint {
      let f = 0n;
      for (let l = 0; l + 1 < dims.length; l++) f += matmulFlops(batchSize, dims[l]!, dims[l + 1]!);
      return f;
    },
    dispose() {},
  };
}
