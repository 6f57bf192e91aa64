import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineGame, gameFromFunction, type Game } from '../../valuation/game.ts';
import { exactShapley } from '../../valuation/methods/exact.ts';
import { faithfulGroupShapley } from '../../valuation/methods/faithful-group-shapley.ts';
import { ownerGame } from '../../valuation/methods/owner-game.ts';
import { Rng } from '../../valuation/rng.ts';
import { maxEvaluations } from '../../valuation/stopping.ts';

/**
 * Data units (shards): Alice holds a1; Bob holds b1 and b2 and needs both for his data to be
 * useful; the model is worth 1 only with Alice's and all of Bob's data.
 */
const shards = ['a1', 'b1', 'b2'];
const unitGame = gameFromFunction(shards, (c) => (c.length === 3 ? 1 : 0));

/** Total value of `owner`'s identities under naive per-identity ("group as individual") Shapley. */
async function naiveTotal(identityOf: Record<string, string>, owner: string): Promise<number> {
  const { game } = ownerGame(unitGame, (u) => identityOf[u]!);
  const r = await exactShapley(game);
  return r.players.reduce((acc, id, i) => acc + (id.startsWith(owner) ? r.values[i]! : 0), 0);
}

describe('shell-company attack', () => {
  const honest = { a1: 'alice', b1: 'bob', b2: 'bob' };
  const split = { a1: 'alice', b1: 'bob#1', b2: 'bob#2' };

  it('naive per-identity Shapley rewards Bob for splitting into two identities', async () => {
    expect(await naiveTotal(honest, 'bob')).toBeCloseTo(1 / 2, 12);
    expect(await naiveTotal(split, 'bob')).toBeCloseTo(2 / 3, 12); // gains 1/6 by splitting
  });

  it('faithful group Shapley gives Bob the same total either way', async () => {
    const asOne = await faithfulGroupShapley(unitGame, {
      groupOf: (u) => honest[u as keyof typeof honest],
    });
    const asTwo = await faithfulGroupShapley(unitGame, {
      groupOf: (u) => split[u as keyof typeof split],
    });
    const bobAsOne = asOne.values[asOne.players.indexOf('bob')]!;
    const bobAsTwo = asTwo.players.reduce(
      (a, p, i) => a + (p.startsWith('bob') ? asTwo.values[i]! : 0),
      0,
    );
    expect(bobAsTwo).toBeCloseTo(bobAsOne, 12);
    expect(bobAsOne).toBeCloseTo(2 / 3, 12); // each unit of the 3-way complementarity gets 1/3
  });

  it('owner resolution: identities linked to one owner are one player', async () => {
    // The registry links bob#1 and bob#2 to bob, so the owner game has two players again.
    const { game, members } = ownerGame(unitGame, (u) => (u === 'a1' ? 'alice' : 'bob'));
    expect(game.players).toEqual(['alice', 'bob']);
    expect(members).toEqual([[0], [1, 2]]);
    expect((await exactShapley(game)).values).toEqual([0.5, 0.5]);
  });
});

describe('faithfulness (property)', () => {
  /** A random game over 7 units with interactions. */
  const randomUnitGame = (seed: number): Game => {
    const rng = new Rng(seed);
    const w = Array.from({ length: 7 }, () => rng.float());
    const pair = Array.from({ length: 49 }, () => rng.float() - 0.5);
    return gameFromFunction(
      Array.from({ length: 7 }, (_, i) => `u${i}`),
      (c) => {
        let s = 0;
        for (const i of c) s += w[i]!;
        for (const i of c) for (const j of c) if (i < j) s += pair[i * 7 + j]!;
        return Math.max(0, s) ** 1.5;
      },
    );
  };

  it('splitting any owner into any identities never changes its total', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 7, maxLength: 7 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 7, maxLength: 7 }),
        async (seed, owner, identity) => {
          const game = randomUnitGame(seed);
          const base = await faithfulGroupShapley(game, {
            groupOf: (u) => `o${owner[Number(u.slice(1))]}`,
          });
          const shells = await faithfulGroupShapley(game, {
            groupOf: (u) => `o${owner[Number(u.slice(1))]}#${identity[Number(u.slice(1))]}`,
          });
          for (const [o, v] of base.players.map((p, i) => [p, base.values[i]!] as const)) {
            const total = shells.players.reduce(
              (a, p, i) => a + (p.startsWith(`${o}#`) ? shells.values[i]! : 0),
              0,
            );
            expect(total).toBeCloseTo(v, 10);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('sampled faithful group Shapley estimates group sums with their own standard errors', async () => {
    const game = randomUnitGame(4);
    const groupOf = (u: string) => (Number(u.slice(1)) < 3 ? 'x' : 'y');
    const exact = await faithfulGroupShapley(game, { groupOf });
    const sampled = await faithfulGroupShapley(game, {
      groupOf,
      sampling: { stopping: maxEvaluations(3000), seed: 1 },
    });
    expect(sampled.players).toEqual(['x', 'y']);
    sampled.values.forEach((v, g) =>
      expect(Math.abs(v - exact.values[g]!)).toBeLessThanOrEqual(4.5 * sampled.stderr[g]! + 1e-9),
    );
    // Permutation marginals sum to U(N) − U(∅), so group sums are efficient too.
    expect(sampled.values[0]! + sampled.values[1]!).toBeCloseTo(
      exact.values[0]! + exact.values[1]!,
      9,
    );
  });

  it('owner games keep metadata consistent', () => {
    const g = defineGame(['u0', 'u1'], async () => 1, {
      kind: 'k',
      modelSpecHash: 'h',
      dataRoots: ['r0', 'r1'],
      seed: 's',
    });
    const { game } = ownerGame(g, () => 'only');
    expect(game.metadata?.dataRoots).toHaveLength(1);
  });
});
