import { describe, expect, it } from 'vitest';
import { MemoryUtilityCache, utilityCacheKey, withCache } from '../../valuation/cache.ts';
import { defineGame, type UtilityMetadata } from '../../valuation/game.ts';
import { withEvaluationLog } from '../../valuation/evaluation-log.ts';
import { permutationShapley } from '../../valuation/methods/permutation.ts';
import { maxEvaluations } from '../../valuation/stopping.ts';
import { InvalidGameError } from '../../valuation/errors.ts';

const meta: UtilityMetadata = {
  kind: 'heldout-accuracy',
  modelSpecHash: 'spec1',
  dataRoots: ['ra', 'rb', 'rc'],
  seed: '7',
};

describe('utility cache keys', () => {
  it('depend on members (id and data root), model spec, kind and seed — not on player order', () => {
    const k = utilityCacheKey(['a', 'b', 'c'], meta, [0, 2]);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    // Same coalition {a, c} in a game with another player order and an extra owner.
    expect(
      utilityCacheKey(['c', 'x', 'a'], { ...meta, dataRoots: ['rc', 'rx', 'ra'] }, [0, 2]),
    ).toBe(k);
    expect(utilityCacheKey(['a', 'b', 'c'], meta, [0, 1])).not.toBe(k);
    expect(utilityCacheKey(['a', 'b', 'c'], { ...meta, seed: '8' }, [0, 2])).not.toBe(k);
    expect(utilityCacheKey(['a', 'b', 'c'], { ...meta, modelSpecHash: 'spec2' }, [0, 2])).not.toBe(
      k,
    );
    expect(
      utilityCacheKey(['a', 'b', 'c'], { ...meta, dataRoots: ['ra', 'rb', 'rc2'] }, [0, 2]),
    ).not.toBe(k);
    expect(utilityCacheKey(['a', 'b', 'c'], { ...meta, kind: 'copyright-llr' }, [0, 2])).not.toBe(
      k,
    );
  });
});

describe('withCache', () => {
  it('evaluates each coalition once across runs and shares in-flight calls', async () => {
    let calls = 0;
    const game = defineGame(
      ['a', 'b', 'c'],
      async (c) => {
        calls++;
        await new Promise((r) => setTimeout(r, 1));
        return c.length ** 2;
      },
      meta,
    );
    const cache = new MemoryUtilityCache();
    const cached = withCache(game, cache);
    await Promise.all([cached.utility([0, 1]), cached.utility([0, 1])]);
    expect(calls).toBe(1);
    const r1 = await permutationShapley(cached, { stopping: maxEvaluations(200), seed: 1 });
    const r2 = await permutationShapley(cached, { stopping: maxEvaluations(200), seed: 2 });
    expect(calls).toBe(8); // 2^3 distinct coalitions, whatever the number of runs
    expect(cache.size).toBe(8);
    expect(cached.stats.hits).toBeGreaterThan(300);
    expect(r1.evaluations).toBeGreaterThan(100); // estimators still count what they asked for
    // Cached values are the real ones: both runs are efficient (Σφ = U(N) − U(∅) = 9).
    for (const r of [r1, r2]) expect(r.values.reduce((a, b) => a + b, 0)).toBeCloseTo(9, 12);
  });

  it('needs metadata for the key', () => {
    expect(() =>
      withCache(
        defineGame(['a'], async () => 0),
        new MemoryUtilityCache(),
      ),
    ).toThrow(InvalidGameError);
  });
});

describe('withEvaluationLog', () => {
  it('reports every evaluation with what is needed to replay it', async () => {
    const records: unknown[] = [];
    const game = defineGame(['b', 'a', 'c'], async (c) => c.length / 10, {
      ...meta,
      dataRoots: ['rb', 'ra', 'rc'],
    });
    const logged = withEvaluationLog(game, (r) => void records.push(r));
    expect(await logged.utility([0, 1])).toBe(0.2);
    expect(records).toEqual([
      {
        v: 1,
        kind: 'heldout-accuracy',
        coalition: ['a', 'b'],
        dataRoots: ['ra', 'rb'],
        modelSpecHash: 'spec1',
        seed: '7',
        value: 0.2,
      },
    ]);
    const r = await permutationShapley(logged, { stopping: maxEvaluations(20), seed: 1 });
    expect(records).toHaveLength(1 + r.evaluations);
  });
});
