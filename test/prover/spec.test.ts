import { describe, expect, it } from 'vitest';
import { specHashOf } from '../../ledger/index.ts';
import { ProverError } from '../../prover/errors.ts';
import { entrySteps, hparamsHash, parseSpec, specHash } from '../../prover/spec.ts';
import { charSpec, mlpSpec } from './helpers.ts';

describe('job spec', () => {
  it('fills defaults, and hashes the normalised spec', () => {
    const a = parseSpec({
      model: { kind: 'mlp' },
      optimizer: { kind: 'adam', learningRate: 0.01 },
      batchSize: 8,
      steps: 10,
      checkpointInterval: 5,
      seed: 1,
      backend: 'cpu',
      data: { dataset: 'penguins' },
    });
    expect(a.model).toEqual({ kind: 'mlp', hidden: [32, 32] });
    expect(a.optimizer).toEqual({
      kind: 'adam',
      learningRate: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
    });
    expect(a.data.heldOutFraction).toBe(0.2);
    const b = parseSpec({ ...a, model: { kind: 'mlp', hidden: [32, 32] }, v: 1 });
    expect(specHash(b)).toBe(specHash(a));
    expect(specHash(a)).toBe(specHashOf(a));
  });

  it('rejects inconsistent specs with the field named', () => {
    const bad = (over: Record<string, unknown>) => () => parseSpec({ ...mlpSpec(), ...over });
    expect(bad({ backend: 'tpu' })).toThrow(/backend/);
    expect(bad({ data: { dataset: 'movies' } })).toThrow(/charlm trains on movies/);
    expect(bad({ batchSize: 0 })).toThrow(ProverError);
    expect(() =>
      parseSpec({ ...charSpec(), model: { kind: 'charlm', dModel: 10, heads: 4 } }),
    ).toThrow(/divisible/);
    expect(() => parseSpec({ ...charSpec(), augment: { featureNoise: 0.1 } })).toThrow(/mlp only/);
  });

  it('commits hyper-parameters separately from the architecture', () => {
    const a = mlpSpec();
    expect(hparamsHash(parseSpec({ ...a, model: { kind: 'mlp', hidden: [4] } }))).toBe(
      hparamsHash(a),
    );
    expect(
      hparamsHash(parseSpec({ ...a, optimizer: { ...a.optimizer, learningRate: 0.1 } })),
    ).not.toBe(hparamsHash(a));
  });

  it('places an entry every k steps and at the last step', () => {
    expect(entrySteps({ steps: 12, checkpointInterval: 4 })).toEqual([0, 4, 8, 12]);
    expect(entrySteps({ steps: 10, checkpointInterval: 4 })).toEqual([0, 4, 8, 10]);
    expect(entrySteps({ steps: 3, checkpointInterval: 10 })).toEqual([0, 3]);
  });
});
