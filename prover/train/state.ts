/**
 * The full training state as named tensors (DESIGN §3): weights, optimizer slots and scalars,
 * step counter, RNG state and data cursor. Names are stable and sort into one leaf order:
 *   params/<param>            float32   model weights
 *   opt/<param>/<slot>        float32   momentum | m | v
 *   opt/beta1_power, …        float64   Adam's β₁ᵗ, β₂ᵗ (Adam only)
 *   train/step                uint32    steps completed
 *   rng/state                 uint32[4] xoshiro128** state
 *   data/order                uint32[N] current epoch's permutation
 *   data/cursor, data/epoch   uint32
 */
import { endianness } from 'node:os';
import type { DType, NamedTensor } from '../../ledger/index.ts';
import { ProverError } from '../errors.ts';

if (endianness() !== 'LE') throw new Error('Flagstone state encoding assumes a little-endian host');

export const STEP = 'train/step';
export const RNG_STATE = 'rng/state';
export const DATA_ORDER = 'data/order';
export const DATA_CURSOR = 'data/cursor';
export const DATA_EPOCH = 'data/epoch';
export const paramName = (p: string) => `params/${p}`;

export interface TensorLayout {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

export function bytesOf(a: Float32Array | Float64Array | Uint32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export function u32Tensor(
  name: string,
  values: Uint32Array | number[],
  shape?: number[],
): NamedTensor {
  const a = Uint32Array.from(values);
  return { name, dtype: 'uint32', shape: shape ?? [a.length], data: bytesOf(a) };
}

export function u32Scalar(name: string, v: number): NamedTensor {
  return { name, dtype: 'uint32', shape: [], data: bytesOf(Uint32Array.of(v)) };
}

export function f64Scalar(name: string, v: number): NamedTensor {
  return { name, dtype: 'float64', shape: [], data: bytesOf(Float64Array.of(v)) };
}

/** Typed view of a tensor's bytes (copied so the view is aligned). */
export function f32Of(t: NamedTensor): Float32Array {
  return new Float32Array(t.data.slice().buffer);
}
export function u32Of(t: NamedTensor): Uint32Array {
  return new Uint32Array(t.data.slice().buffer);
}
export function f64Of(t: NamedTensor): Float64Array {
  return new Float64Array(t.data.slice().buffer);
}

/**
 * Checks that `tensors` has exactly the expected names, dtypes and shapes (a state from another
 * architecture or optimizer is rejected here, naming the first offending tensor).
 */
export function checkLayout(
  tensors: readonly NamedTensor[],
  layout: readonly TensorLayout[],
): Map<string, NamedTensor> {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const fail = (why: string): never => {
    throw new ProverError('FLAGSTONE_ERR_STATE_INVALID', `state does not fit the spec: ${why}`);
  };
  for (const want of layout) {
    const got = byName.get(want.name);
    if (!got) fail(`missing tensor ${want.name}`);
    if (got!.dtype !== want.dtype)
      fail(`tensor ${want.name}: dtype ${got!.dtype}, want ${want.dtype}`);
    if (got!.shape.join('x') !== want.shape.join('x')) {
      fail(`tensor ${want.name}: shape [${got!.shape}], want [${want.shape}]`);
    }
  }
  const expected = new Set(layout.map((l) => l.name));
  const extra = tensors.find((t) => !expected.has(t.name));
  if (extra) fail(`unexpected tensor ${extra.name}`);
  return byName;
}
