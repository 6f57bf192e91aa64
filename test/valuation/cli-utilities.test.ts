/** `flagstone value shapley --utility …` and `value copyright`: real games from the CLI. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runValue } from './helpers/run-value.ts';
import { hashLeaf, MemoryTree, toHex } from '../../ledger/index.ts';
import { parseLogEntry } from '../../valuation/log.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flagstone-value-utilities-'));
});

const run = runValue;

describe('value shapley --utility penguins-mlp', () => {
  it('trains one model per coalition and writes a log whose root anyone can recompute', async () => {
    const logFile = join(dir, 'mlp.log');
    const r = await run(
      'shapley',
      '--utility',
      'penguins-mlp',
      '--steps',
      '40',
      '--method',
      'exact',
      '--log',
      logFile,
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc.values)).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    expect(doc.log.size).toBe(8);
    const lines = (await readFile(logFile, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    const tree = new MemoryTree();
    for (const line of lines) tree.append(hashLeaf(new TextEncoder().encode(line)));
    expect(toHex(tree.root())).toBe(doc.log.rootHex);
    const entries = lines.map((l) => parseLogEntry(JSON.parse(l)));
    expect(entries.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(entries.every((e) => e.valuationId === doc.log.valuationId)).toBe(true);
    const full = entries.find((e) => e.coalition.length === 3)!.value;
    const sum = Object.values(doc.values as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(full - 1 / 3, 12); // efficiency against the chance model U(∅) = 1/3
  });

  it('needs exactly one of --table and --utility, and a known utility', async () => {
    expect((await run('shapley', '--method', 'exact')).err).toMatch(/exactly one of --table/);
    expect((await run('shapley', '--utility', 'tea-leaves', '--method', 'exact')).err).toMatch(
      /unknown --utility "tea-leaves"/,
    );
  });
});

describe('value copyright', () => {
  it('values given outputs over the largest distributors with shared coalition models', async () => {
    const r = await run(
      'copyright',
      '--owners',
      '2',
      '--titles-per-owner',
      '16',
      '--base-titles',
      '64',
      '--context',
      '16',
      '--d-model',
      '16',
      '--pretrain-steps',
      '30',
      '--epochs',
      '4',
      '--backend',
      'cpu',
      '--output',
      'Batman',
      'Zzyzx',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.owners).toEqual(['Warner Bros.', 'Sony Pictures']);
    expect(doc.titles).toEqual([16, 16]);
    expect(doc.modelsTrained).toBe(4); // θ(∅), two singletons, the pair — shared by both outputs
    expect(doc.outputs.map((o: { output: string }) => o.output)).toEqual(['Batman', 'Zzyzx']);
    for (const o of doc.outputs) {
      expect(o.algorithm).toBe('exact-shapley');
      expect(Object.values(o.values).every(Number.isFinite)).toBe(true);
    }
  });

  it('rejects an unknown backend or method with one line', async () => {
    expect((await run('copyright', '--backend', 'tpu')).err).toMatch(
      /--backend must be cpu or wasm/,
    );
    expect((await run('copyright', '--method', 'magic')).err).toMatch(/unknown valuation method/);
  });
});
