import { describe, expect, it } from 'vitest';
import { stateRoot, toHex, type NamedTensor } from '../../ledger/index.ts';
import { decodeStateBlob, encodeStateBlob } from '../../prover/train/blob.ts';
import { f64Scalar, u32Scalar, u32Tensor } from '../../prover/train/state.ts';

const tensors: NamedTensor[] = [
  {
    name: 'params/w',
    dtype: 'float32',
    shape: [2, 2],
    data: new Uint8Array(Float32Array.of(1, -2, 3.5, 0).buffer),
  },
  u32Scalar('train/step', 7),
  u32Tensor('rng/state', [1, 2, 3, 4]),
  f64Scalar('opt/beta1_power', 0.9 ** 7),
];

describe('state blob', () => {
  it('round-trips and commits to the same root as ledger stateRoot', () => {
    const blob = encodeStateBlob(tensors);
    expect(blob.root).toBe(toHex(stateRoot(tensors)));
    const back = decodeStateBlob(blob.bytes);
    expect(back.root).toBe(blob.root);
    expect(back.names).toEqual(['opt/beta1_power', 'params/w', 'rng/state', 'train/step']);
    expect(back.tensors.find((t) => t.name === 'params/w')!.data).toEqual(tensors[0]!.data);
  });

  it('starts with the magic and version, and rejects damaged blobs', () => {
    const { bytes } = encodeStateBlob(tensors);
    expect(Buffer.from(bytes.subarray(0, 4)).toString()).toBe('FLST');
    expect(() => decodeStateBlob(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    const extra = new Uint8Array(bytes.length + 1);
    extra.set(bytes);
    expect(() => decodeStateBlob(extra)).toThrow(/1 trailing bytes/);
    const magic = bytes.slice();
    magic[0] = 0;
    expect(() => decodeStateBlob(magic)).toThrow(/magic/);
    const version = bytes.slice();
    version[4] = 9;
    expect(() => decodeStateBlob(version)).toThrow(/version 9/);
  });
});

describe('worker state hasher', () => {
  it('produces the same blob, leaves and root as encodeStateBlob', async () => {
    const { workerHasher, inlineHasher } = await import('../../prover/train/state-hasher.ts');
    const { tensorPrefix } = await import('../../prover/train/blob.ts');
    const { encodeTensor } = await import('../../ledger/index.ts');
    for (const t of tensors) expect([...tensorPrefix(t), ...t.data]).toEqual([...encodeTensor(t)]);
    const big = {
      name: 'params/big',
      dtype: 'float32' as const,
      shape: [1000],
      data: new Uint8Array(new Float32Array(1000).fill(0.25).buffer),
    };
    const want = await inlineHasher.hash([...tensors, big]);
    const got = await workerHasher().hash([...tensors, big]);
    expect(got.root).toBe(want.root);
    expect(got.bytes).toEqual(want.bytes);
    expect(got.names).toEqual(want.names);
  });
});
