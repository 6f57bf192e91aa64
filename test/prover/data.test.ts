import { describe, expect, it } from 'vitest';
import { hashLeaf, MemoryTree, toHex } from '../../ledger/index.ts';
import { ProverError } from '../../prover/errors.ts';
import {
  BOS,
  EOS,
  PAD,
  dataRoot,
  exampleBytes,
  loadData,
  movieVocab,
  ownerRoots,
} from '../../prover/data/index.ts';
import { charSpec, mlpSpec } from './helpers.ts';

describe('datasets from vega-datasets', () => {
  it('loads penguins with standardised features, species labels and island owners', () => {
    const d = loadData(mlpSpec().data, mlpSpec().model);
    expect(d.allOwners).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    expect(d.train.count + d.heldOut.count).toBe(342);
    expect(d.heldOut.count).toBeGreaterThan(40);
    expect(d.train.kind === 'tabular' && d.train.dim).toBe(5);
    if (d.train.kind !== 'tabular') throw new Error('tabular');
    expect(new Set(d.train.labels)).toEqual(new Set([0, 1, 2]));
    const mean =
      d.train.features.filter((_, i) => i % 5 === 0).reduce((a, b) => a + b, 0) / d.train.count;
    expect(Math.abs(mean)).toBeLessThan(0.3);
  });

  it('commits the ordered examples; the root is a plain RFC 9162 tree over example bytes', () => {
    const d = loadData(mlpSpec().data, mlpSpec().model);
    const tree = new MemoryTree();
    for (let i = 0; i < d.train.count; i++) tree.append(hashLeaf(exampleBytes(d.train, i)));
    expect(d.dataRoot).toBe(toHex(tree.root()));
    expect(exampleBytes(d.train, 0)).toHaveLength(5 * 4 + 4);
    expect(loadData(mlpSpec().data, mlpSpec().model).dataRoot).toBe(d.dataRoot);
  });

  it('selects owners without changing the held-out set, and checks a committed root', () => {
    const spec = mlpSpec();
    const all = loadData(spec.data, spec.model);
    const dream = loadData({ ...spec.data, owners: ['Dream'] }, spec.model);
    expect(dream.train.owners.every((o) => o === 'Dream')).toBe(true);
    expect(dream.heldOut.count).toBe(all.heldOut.count);
    expect(dream.dataRoot).not.toBe(all.dataRoot);
    expect(ownerRoots(all.train).get('Dream')).toBe(dream.dataRoot);
    expect(() => loadData({ ...spec.data, dataRoot: dream.dataRoot }, spec.model)).toThrow(
      ProverError,
    );
    expect(() => loadData({ ...spec.data, owners: ['Atlantis'] }, spec.model)).toThrow(
      /unknown owner/,
    );
  });

  it('loads flights with origin owners and a binary delay label', () => {
    const spec = mlpSpec('cpu', { data: { dataset: 'flights-2k' } });
    const d = loadData(spec.data, spec.model);
    expect(d.train.count + d.heldOut.count).toBe(2000);
    if (d.train.kind !== 'tabular') throw new Error('tabular');
    expect(d.train.classes).toBe(2);
    expect(d.allOwners.length).toBeGreaterThan(50);
  });

  it('encodes movie titles as BOS, characters, EOS, PAD with a fixed vocabulary', () => {
    const spec = charSpec();
    const d = loadData(spec.data, spec.model);
    if (d.train.kind !== 'text') throw new Error('text');
    const v = movieVocab();
    expect(d.train.vocabSize).toBe(v.chars.length + 4);
    expect(d.train.seqLen).toBe(13);
    const row = Array.from(d.train.tokens.subarray(0, 13));
    expect(row[0]).toBe(BOS);
    const text = row
      .slice(1)
      .filter((t) => t > 3)
      .map(v.decode)
      .join('');
    expect(text.length).toBeGreaterThan(0);
    expect(row.includes(EOS) || row.every((t) => t !== PAD)).toBe(true);
    expect(d.allOwners).toContain('Warner Bros.');
    expect(dataRoot(d.train)).toBe(d.dataRoot);
  });
});
