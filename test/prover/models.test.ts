/** Architectures: parameter layout, W0 from the seed, and the FLOP counting rule in closed form. */
import { describe, expect, it } from 'vitest';
import { charLmModel, initialValues, mlpModel, stepFlops } from '../../prover/models/index.ts';

describe('models', () => {
  it('mlp: sorted parameters and forward FLOPs Σ 2·B·dᵢ·dᵢ₊₁', () => {
    const m = mlpModel({ inputDim: 5, hidden: [8, 4], classes: 3 });
    expect(m.params.map((p) => p.name)).toEqual([
      'mlp/dense00/bias',
      'mlp/dense00/kernel',
      'mlp/dense01/bias',
      'mlp/dense01/kernel',
      'mlp/dense02/bias',
      'mlp/dense02/kernel',
    ]);
    expect(m.forwardFlops(16)).toBe(BigInt(2 * 16 * (5 * 8 + 8 * 4 + 4 * 3)));
    expect(stepFlops(10n)).toBe(30n);
  });

  it('charlm: FLOPs per sequence from the architecture', () => {
    const s = { vocabSize: 96, context: 32, dModel: 64, heads: 4, layers: 2, ffHidden: 256 };
    const m = charLmModel(s);
    const { vocabSize: V, context: T, dModel: d, layers: L, ffHidden: f } = s;
    const perLayer = 4 * 2 * T * d * d + 2 * 2 * T * T * d + 2 * 2 * T * d * f;
    expect(m.forwardFlops(1)).toBe(BigInt(2 * T * V * d + L * perLayer + 2 * T * d * V));
    expect(m.params.filter((p) => p.name.startsWith('charlm/block01/'))).toHaveLength(13);
    m.dispose();
  });

  it('W0 depends only on seed and parameter name, within the initialiser bounds', () => {
    const p = {
      name: 'mlp/dense00/kernel',
      shape: [5, 8],
      init: { kind: 'glorot' as const, fanIn: 5, fanOut: 8 },
    };
    const a = initialValues(p, 1);
    expect(initialValues(p, 1)).toEqual(a);
    expect(initialValues(p, 2)).not.toEqual(a);
    expect(initialValues({ ...p, name: 'other' }, 1)).not.toEqual(a);
    const limit = Math.sqrt(6 / 13);
    expect(a.every((x) => Math.abs(x) <= limit)).toBe(true);
    expect(initialValues({ name: 'b', shape: [3], init: { kind: 'ones' } }, 1)).toEqual(
      Float32Array.of(1, 1, 1),
    );
  });
});
