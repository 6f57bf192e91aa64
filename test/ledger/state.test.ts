import { describe, expect, it } from 'vitest';
import {
  encodeTensor,
  flagCommitment,
  sealedRoot,
  stateRoot,
  stateTree,
  tensorLeafHash,
  toHex,
  verifyInclusion,
  jobIdOf,
  specHashOf,
  type NamedTensor,
} from '../../ledger/index.ts';

const f32 = (name: string, values: number[], shape = [values.length]): NamedTensor => ({
  name,
  dtype: 'float32',
  shape,
  data: new Uint8Array(new Float32Array(values).buffer),
});

describe('full-state roots', () => {
  const state = [
    f32('w/dense1', [1, 2, 3, 4], [2, 2]),
    f32('opt/m/dense1', [0, 0, 0, 0], [2, 2]),
    f32('rng', [7]),
  ];

  it('is independent of input order and proves single tensors', () => {
    const root = stateRoot(state);
    expect(toHex(stateRoot([...state].reverse()))).toBe(toHex(root));
    const { tree, names } = stateTree(state);
    const i = names.indexOf('rng');
    verifyInclusion(i, tree.size, tensorLeafHash(state[2]!), tree.inclusionProof(i), root);
  });

  it('changes with any bit of any tensor, its shape, dtype or name', () => {
    const root = toHex(stateRoot(state));
    const flipped = new Uint8Array(state[1]!.data);
    flipped[0]! ^= 1;
    expect(toHex(stateRoot([state[0]!, { ...state[1]!, data: flipped }, state[2]!]))).not.toBe(
      root,
    );
    expect(toHex(stateRoot([{ ...state[0]!, shape: [4, 1] }, state[1]!, state[2]!]))).not.toBe(
      root,
    );
    expect(toHex(stateRoot([state[0]!, state[1]!, { ...state[2]!, name: 'rng2' }]))).not.toBe(root);
    expect(toHex(stateRoot([state[0]!, state[1]!, { ...state[2]!, dtype: 'int32' }]))).not.toBe(
      root,
    );
  });

  it('rejects inconsistent tensors and duplicate names', () => {
    expect(() => encodeTensor({ ...f32('a', [1, 2]), shape: [3] })).toThrow(/want 12/);
    expect(() => stateRoot([f32('a', [1]), f32('a', [2])])).toThrow(/duplicate/);
  });
});

describe('flag commitments', () => {
  const salt = '5a'.repeat(32);
  it('commits to the sorted set of indices', () => {
    expect(flagCommitment(salt, [9, 2, 5])).toBe(flagCommitment(salt, [2, 5, 9]));
    expect(flagCommitment(salt, [2, 5])).not.toBe(flagCommitment(salt, [2, 5, 9]));
    expect(() => flagCommitment(salt, [1, 1])).toThrow(/duplicate/);
  });
  it('seals the true state per index', () => {
    const r = 'ab'.repeat(32);
    expect(sealedRoot(salt, 3, r)).not.toBe(sealedRoot(salt, 4, r));
    expect(sealedRoot(salt, 3, r)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('job identity', () => {
  it('binds client, trainer, spec and nonce', () => {
    const base = {
      v: 1 as const,
      client: '0x' + '1'.repeat(40),
      trainer: '0x' + '2'.repeat(40),
      specHash: specHashOf({ a: 1 }),
      nonce: '0'.repeat(64),
    };
    expect(jobIdOf(base)).not.toBe(jobIdOf({ ...base, trainer: '0x' + '3'.repeat(40) }));
    expect(specHashOf({ a: 1, b: 2 })).toBe(specHashOf({ b: 2, a: 1 }));
  });
});
