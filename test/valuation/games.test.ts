import { describe, expect, it } from 'vitest';
import {
  additiveGame,
  airportGame,
  gloveGame,
  majorityGame,
  symmetricGame,
  withDummies,
} from '../../valuation/games/index.ts';
import { exactAll } from '../../valuation/methods/exact.ts';
import { leaveOneOut } from '../../valuation/methods/leave-one-out.ts';

// Closed forms and full enumeration are independent derivations; each checks the other.
const games = [
  gloveGame(1, 2),
  gloveGame(3, 5),
  gloveGame(4, 4),
  majorityGame(7),
  majorityGame(6, 2),
  symmetricGame(6, (s) => s * s - s),
  additiveGame([1, -2, 3.5, 0, 0.25]),
  airportGame([1, 2, 2, 5, 9, 14, 20]),
  withDummies(gloveGame(2, 3), 2),
];

describe('closed-form games', () => {
  it.each(games.map((g) => [g.name, g] as const))(
    '%s: enumeration matches the closed form',
    async (_, g) => {
      const { shapley, banzhaf } = await exactAll(g.game);
      shapley.values.forEach((v, i) => expect(v).toBeCloseTo(g.shapley[i]!, 12));
      if (g.banzhaf) banzhaf.values.forEach((v, i) => expect(v).toBeCloseTo(g.banzhaf![i]!, 12));
      const n = g.game.players.length;
      const all = Array.from({ length: n }, (_, i) => i);
      const total = (await g.game.utility(all)) - (await g.game.utility([]));
      expect(shapley.values.reduce((a, b) => a + b, 0)).toBeCloseTo(total, 12);
      expect(shapley.evaluations).toBe(2 ** n);
    },
  );

  it('glove(1,2) is (2/3, 1/6, 1/6)', () => {
    const g = gloveGame(1, 2);
    expect(g.shapley[0]).toBeCloseTo(2 / 3, 15);
    expect(g.shapley[1]).toBeCloseTo(1 / 6, 15);
  });

  it('airport game splits each runway segment among its users', () => {
    expect(airportGame([6, 12]).shapley).toEqual([-3, -9]);
  });

  it('leave-one-out equals the table version and is n + 1 evaluations', async () => {
    const g = gloveGame(2, 3);
    const loo = await leaveOneOut(g.game);
    const { leaveOneOut: fromTable } = await exactAll(g.game);
    expect(loo.values).toEqual(fromTable.values);
    expect(loo.evaluations).toBe(6);
    expect(loo.values).toEqual([1, 1, 0, 0, 0]);
  });
});
