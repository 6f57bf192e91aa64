import { describe, expect, it } from 'vitest';
import { coalitionOfMask } from '../../valuation/coalition.ts';
import type { Game } from '../../valuation/game.ts';
import { gameFromFunction } from '../../valuation/game.ts';
import { airportGame, gloveGame, majorityGame } from '../../valuation/games/index.ts';
import { leastCore } from '../../valuation/methods/least-core.ts';
import { Rng } from '../../valuation/rng.ts';
import { TooManyPlayersError } from '../../valuation/errors.ts';

/** max_S (v(S) − x(S)) over proper non-empty coalitions: the smallest feasible subsidy for x. */
async function maxExcess(game: Game, x: readonly number[]): Promise<number> {
  const n = game.players.length;
  const u0 = await game.utility([]);
  let worst = -Infinity;
  for (let mask = 1; mask < 2 ** n - 1; mask++) {
    const c = coalitionOfMask(mask, n);
    worst = Math.max(worst, (await game.utility(c)) - u0 - c.reduce((a, i) => a + x[i]!, 0));
  }
  return worst;
}

describe('least core', () => {
  it('majority(3): core empty, subsidy 1/3, equal split', async () => {
    const r = await leastCore(majorityGame(3).game);
    expect(r.extras?.['subsidy']).toBeCloseTo(1 / 3, 7);
    r.values.forEach((v) => expect(v).toBeCloseTo(1 / 3, 7));
    expect(r.converged).toBe(true);
  });

  it('majority(5, q=3): subsidy 2/5', async () => {
    const r = await leastCore(majorityGame(5).game);
    expect(r.extras?.['subsidy']).toBeCloseTo(2 / 5, 7);
  });

  it('glove(1,2): the core is the single point (1, 0, 0)', async () => {
    const r = await leastCore(gloveGame(1, 2).game);
    expect(r.extras?.['subsidy']).toBeCloseTo(0, 7);
    expect(r.values[0]).toBeCloseTo(1, 6);
    expect(r.values[1]).toBeCloseTo(0, 6);
  });

  it.each([
    ['glove(3,4)', gloveGame(3, 4).game],
    ['airport', airportGame([1, 3, 4, 8, 9, 10]).game],
    [
      'random',
      ((rng) => {
        const w = Array.from({ length: 7 }, () => rng.float());
        return gameFromFunction(
          Array.from({ length: 7 }, (_, i) => `p${i}`),
          (c) => Math.sqrt(c.reduce((a, i) => a + w[i]!, 0)) * (c.length >= 4 ? 1.5 : 1),
        );
      })(new Rng(3)),
    ],
  ] as const)('%s: satisfies every LP constraint with the optimal subsidy', async (_, game) => {
    const r = await leastCore(game);
    const n = game.players.length;
    const total =
      (await game.utility(Array.from({ length: n }, (_, i) => i))) - (await game.utility([]));
    expect(r.values.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 7);
    const e = r.extras!['subsidy'] as number;
    // Feasible: every coalition gets at least v(S) − e ...
    expect(await maxExcess(game, r.values)).toBeLessThanOrEqual(e + 1e-7);
    // ... and the reported subsidy is attained by the returned point (its max excess).
    expect(await maxExcess(game, r.values)).toBeCloseTo(e, 6);
  });

  it('sampled least core satisfies its sampled constraints and reports bootstrap errors', async () => {
    const game = gloveGame(5, 6).game;
    const r = await leastCore(game, { budget: 400, seed: 1, bootstrap: 10 });
    expect(r.algorithm).toBe('monte-carlo-least-core');
    expect(r.evaluations).toBeLessThanOrEqual(400);
    expect(r.converged).toBe(false);
    expect(r.values.reduce((a, b) => a + b, 0)).toBeCloseTo(5, 6);
    r.stderr.forEach((s) => expect(Number.isFinite(s)).toBe(true));
    const exact = await leastCore(game);
    // With more constraints sampled, the sampled subsidy approaches the exact one from below.
    expect(r.extras!['subsidy'] as number).toBeLessThanOrEqual(
      (exact.extras!['subsidy'] as number) + 1e-7,
    );
  });

  it('refuses exact least core beyond 16 players', async () => {
    const g = gameFromFunction(
      Array.from({ length: 17 }, (_, i) => `p${i}`),
      (c) => c.length,
    );
    await expect(leastCore(g)).rejects.toBeInstanceOf(TooManyPlayersError);
  });
});
