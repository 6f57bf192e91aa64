import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { penguinGame, type PenguinGame } from '../../valuation/datasets/penguins.ts';
import { shapleyFromTable, tabulate, type UtilityTable } from '../../valuation/methods/exact.ts';
import { runMethod } from '../../valuation/methods/index.ts';
import { relativeL2Error } from '../../valuation/result.ts';
import { tableGame } from '../../valuation/utilities/table.ts';

// A real 12-owner game (Palmer penguins, KNN accuracy): estimators must agree with exact values.
let pg: PenguinGame;
let table: UtilityTable;
let exact: number[];

beforeAll(async () => {
  const rows = JSON.parse(await readFile('node_modules/vega-datasets/data/penguins.json', 'utf8'));
  pg = penguinGame(rows);
  table = await tabulate(pg.game);
  exact = shapleyFromTable(table);
});

describe('penguins game', () => {
  it('has 12 owners, a held-out split and a model-quality utility', () => {
    expect(pg.owners).toHaveLength(12);
    expect(pg.trainRows + pg.testRows).toBe(342);
    expect(table.values[0]).toBeCloseTo(1 / 3, 12); // chance accuracy without data
    expect(table.values[4095]).toBeGreaterThan(0.95); // all data: near-perfect species accuracy
    expect(exact.reduce((a, b) => a + b, 0)).toBeCloseTo(
      table.values[4095]! - table.values[0]!,
      12,
    );
  });

  it('values scarce species above abundant ones', () => {
    const value = (owner: string) => exact[pg.owners.indexOf(owner)]!;
    // Two teams hold all Chinstrap records, three all Gentoo, seven share Adelie.
    expect(value('Chinstrap/Dream/female')).toBeGreaterThan(value('Adelie/Dream/female'));
    expect(value('Gentoo/Biscoe/male')).toBeGreaterThan(value('Adelie/Biscoe/male'));
  });

  // Over seeds, because a single run's standard error can miss a rare large marginal (an
  // owner that is seldom the first of its species): the CLT needs more samples for such tails.
  it.each([
    ['permutation', 0.25],
    ['antithetic', 0.25],
    ['stratified', 0.1],
    ['kernel', 0.08],
  ] as const)('%s agrees with exact values at 1000 evaluations', async (method, bound) => {
    const game = tableGame(pg.owners, table.values);
    const errors: number[] = [];
    let outside = 0;
    for (let seed = 0; seed < 8; seed++) {
      const r = await runMethod(method, game, { budget: 1000, seed });
      errors.push(relativeL2Error(r.values, exact));
      r.values.forEach((v, i) => {
        if (Math.abs(v - exact[i]!) > 3 * r.stderr[i]!) outside++;
      });
    }
    expect(errors.sort((a, b) => a - b)[4]).toBeLessThan(bound);
    expect(outside / (8 * 12)).toBeLessThan(0.05);
  });

  it('is deterministic given the split seed', () => {
    expect(pg.game.metadata?.dataRoots).toHaveLength(12);
    expect(new Set(pg.game.metadata?.dataRoots).size).toBe(12);
  });
});
