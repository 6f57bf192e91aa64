/**
 * FLOP counting rule (DESIGN §6, issue 4 item 5). Only matrix products are counted: a product
 * of an m×n by an n×p matrix is 2·m·n·p FLOPs (one multiply and one add per term); element-wise
 * ops, softmax, LayerNorm and the optimizer update are O(parameters) or O(activations) and are
 * ignored. The backward pass computes two products per forward product (input gradient and
 * weight gradient), so one training step costs 3 × the forward matmul FLOPs. The one-hot
 * embedding lookup is implemented as a matmul and is counted as one.
 */
export function matmulFlops(m: number, n: number, p: number): bigint {
  return 2n * BigInt(m) * BigInt(n) * BigInt(p);
}

export const BACKWARD_FACTOR = 2n;

/** FLOPs of one training step given the model's forward FLOPs for that batch. */
export function stepFlops(forward: bigint): bigint {
  return forward * (1n + BACKWARD_FACTOR);
}
