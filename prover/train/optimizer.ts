/**
 * SGD with momentum and Adam, written out so that every slot is a named tensor of the training
 * state (DESIGN §3: "optimizer slots"). The update formulas are those of tfjs' own
 * MomentumOptimizer (useNesterov = false) and AdamOptimizer:
 *   momentum: a ← μ·a + g;                      w ← w − η·a
 *   adam:     m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²
 *             w ← w − η · (m / (1−β₁ᵗ)) / (√(v / (1−β₂ᵗ)) + ε)
 * β₁ᵗ and β₂ᵗ are kept as float64 state scalars and advanced by one IEEE multiplication per
 * step, so they are exact and identical on every machine (no Math.pow).
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '../spec.ts';

export interface SlotSpec {
  readonly name: string;
  readonly param: string;
  readonly shape: readonly number[];
}

export interface OptimizerScalars {
  beta1Power: number;
  beta2Power: number;
}

export const BETA1_POWER = 'opt/beta1_power';
export const BETA2_POWER = 'opt/beta2_power';

/** Slot tensors for the given parameters, sorted by name. */
export function slotSpecs(
  spec: OptimizerSpec,
  params: readonly { name: string; shape: readonly number[] }[],
): SlotSpec[] {
  const kinds = spec.kind === 'adam' ? ['m', 'v'] : ['momentum'];
  const out = params.flatMap((p) =>
    kinds.map((k) => ({ name: `opt/${p.name}/${k}`, param: p.name, shape: p.shape })),
  );
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function initialScalars(): OptimizerScalars {
  return { beta1Power: 1, beta2Power: 1 };
}

/**
 * Applies one update in place (variables are reassigned). Call inside tf.tidy.
 * `grads` are in the same order as `params`.
 */
export function applyUpdate(
  spec: OptimizerSpec,
  params: readonly { name: string; variable: tf.Variable }[],
  grads: readonly tf.Tensor[],
  slots: ReadonlyMap<string, tf.Variable>,
  scalars: OptimizerScalars,
): void {
  if (spec.kind === 'sgd-momentum') {
    params.forEach(({ name, variable }, i) => {
      const acc = slots.get(`opt/${name}/momentum`)!;
      const next = tf.add(tf.mul(acc, spec.momentum), grads[i]!);
      acc.assign(next);
      variable.assign(tf.sub(variable, tf.mul(next, spec.learningRate)));
    });
    return;
  }
  scalars.beta1Power *= spec.beta1;
  scalars.beta2Power *= spec.beta2;
  const c1 = 1 - scalars.beta1Power;
  const c2 = 1 - scalars.beta2Power;
  params.forEach(({ name, variable }, i) => {
    const g = grads[i]!;
    const m = slots.get(`opt/${name}/m`)!;
    const v = slots.get(`opt/${name}/v`)!;
    const m1 = tf.add(tf.mul(m, spec.beta1), tf.mul(g, 1 - spec.beta1));
    const v1 = tf.add(tf.mul(v, spec.beta2), tf.mul(tf.square(g), 1 - spec.beta2));
    m.assign(m1);
    v.assign(v1);
    const denom = tf.add(tf.sqrt(tf.div(v1, c2)), spec.epsilon);
    variable.assign(tf.add(variable, tf.mul(tf.div(tf.div(m1, c1), denom), -spec.learningRate)));
  });
}
