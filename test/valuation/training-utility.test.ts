/**
 * Held-out training utility (issue 5 item 3a) on the real penguins game: three island owners,
 * a small MLP trained by the prover on the cpu backend for each coalition.
 */
import { describe, expect, it } from 'vitest';
import { loadData } from '../../prover/data/index.ts';
import { MemoryUtilityCache, withCache } from '../../valuation/cache.ts';
import { InvalidGameError, InvalidInputError } from '../../valuation/errors.ts';
import { withEvaluationLog } from '../../valuation/evaluation-log.ts';
import { ValuationLog } from '../../valuation/log.ts';
import { maskOf } from '../../valuation/coalition.ts';
import { shapleyFromTable, tabulate } from '../../valuation/methods/exact.ts';
import { runMethod } from '../../valuation/methods/index.ts';
import { trainingGame } from '../../valuation/utilities/heldout-training.ts';
import { penguinsMlpGame, penguinsMlpSpec } from '../../valuation/utilities/penguins-mlp.ts';
import { charSpecForTest } from './helpers/specs.ts';

const BISCOE = 0;
const DREAM = 1;
const TORGERSEN = 2;

describe('held-out training utility (penguins, mlp)', () => {
  const game = penguinsMlpGame({ steps: 80 });

  it('has the three islands as players, with the prover’s per-owner data roots', () => {
    expect(game.players).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    expect(game.metadata!.kind).toBe('heldout-accuracy');
    expect(game.metadata!.dataRoots).toHaveLength(3);
    expect(new Set(game.metadata!.dataRoots).size).toBe(3);
    expect(game.trainCount + game.heldOutCount).toBe(342);
  });

  it('is deterministic for a fixed seed, and the seed matters', async () => {
    const a = await game.utility([BISCOE, TORGERSEN]);
    const b = await game.utility([BISCOE, TORGERSEN]);
    const fresh = await penguinsMlpGame({ steps: 80 }).utility([BISCOE, TORGERSEN]);
    expect(b).toBe(a);
    expect(fresh).toBe(a);
    const ll = penguinsMlpGame({ steps: 80, metric: 'log-likelihood' });
    const other = penguinsMlpGame({ steps: 80, metric: 'log-likelihood', seed: 2 });
    expect(await ll.utility([DREAM])).toBe(await ll.utility([DREAM]));
    expect(await other.utility([DREAM])).not.toBe(await ll.utility([DREAM]));
    expect(other.metadata!.modelSpecHash).not.toBe(ll.metadata!.modelSpecHash);
  });

  it('U(∅) is the chance model', async () => {
    expect(await game.utility([])).toBe(1 / 3);
    const ll = penguinsMlpGame({ steps: 80, metric: 'log-likelihood' });
    expect(await ll.utility([])).toBe(-Math.log(3));
  });

  it('more relevant data does better: all three species beat Adelie-only Torgersen', async () => {
    const table = await tabulate(game);
    const u = (c: number[]) => table.values[maskOf(c)]!;
    expect(u([TORGERSEN])).toBeLessThan(0.6); // Adelie only: the other two species are missed
    expect(u([BISCOE, DREAM])).toBeGreaterThan(0.95); // every species present
    expect(u([BISCOE, DREAM, TORGERSEN])).toBeGreaterThan(u([TORGERSEN]) + 0.35);
    const phi = shapleyFromTable(table);
    expect(phi[TORGERSEN]).toBeLessThan(phi[BISCOE]!);
    expect(phi[TORGERSEN]).toBeLessThan(phi[DREAM]!);
    expect(phi.reduce((s, x) => s + x, 0)).toBeCloseTo(u([0, 1, 2]) - 1 / 3, 12);
  });

  it('trains each coalition on exactly the prover’s loadData for that owner set', () => {
    const spec = game.coalitionSpec(['Torgersen', 'Biscoe']);
    expect(spec.data.owners).toEqual(['Biscoe', 'Torgersen']);
    // The logged coalition spec is a plain prover job: loadData agrees on the data root.
    expect(loadData(spec.data, spec.model).dataRoot).toBe(spec.data.dataRoot);
  });

  it('logs every evaluation and trains each coalition once under the cache', async () => {
    const log = new ValuationLog('00'.repeat(32));
    const cached = withCache(game, new MemoryUtilityCache());
    const logged = withEvaluationLog(cached, log.sink());
    const result = await runMethod('permutation', logged, { budget: 40, seed: 1 });
    expect(log.size).toBe(result.evaluations);
    expect(cached.stats.misses).toBeLessThanOrEqual(8);
    const entry = log.entries.find((e) => e.coalition.length === 3)!;
    expect(entry.dataRoots).toEqual(game.metadata!.dataRoots);
    expect(entry.seed).toBe('1');
    expect(entry.value).toBe(await game.utility([0, 1, 2]));
  });

  it('rejects a spec that is not a classifier and unknown owners', () => {
    expect(() => trainingGame({ spec: charSpecForTest() })).toThrow(InvalidInputError);
    expect(() => trainingGame({ spec: penguinsMlpSpec(), players: ['Atlantis'] })).toThrow(
      InvalidGameError,
    );
  });
});
