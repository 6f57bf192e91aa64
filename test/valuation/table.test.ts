import { describe, expect, it } from 'vitest';
import { gloveGame } from '../../valuation/games/index.ts';
import { exactShapley, tabulate } from '../../valuation/methods/exact.ts';
import { tableGameFromJSON, tableGameToJSON, tableGame } from '../../valuation/utilities/table.ts';
import {
  InvalidTableError,
  MissingCoalitionError,
  TooManyPlayersError,
} from '../../valuation/errors.ts';

describe('table games', () => {
  const doc = { players: ['a', 'b'], utility: { '': 0, a: 1, b: 2, 'a,b': 4 } };

  it('parses a table and evaluates coalitions by lookup', async () => {
    const g = tableGameFromJSON(doc);
    expect(await g.utility([0, 1])).toBe(4);
    expect((await exactShapley(g)).values).toEqual([1.5, 2.5]);
    expect(g.metadata?.kind).toBe('table');
  });

  it('accepts members in any order but not twice', () => {
    expect(() =>
      tableGameFromJSON({ ...doc, utility: { '': 0, a: 1, b: 2, 'b,a': 4 } }),
    ).not.toThrow();
    expect(() => tableGameFromJSON({ ...doc, utility: { ...doc.utility, 'b,a': 4 } })).toThrow(
      /given twice/,
    );
    expect(() => tableGameFromJSON({ ...doc, utility: { ...doc.utility, 'a,a': 4 } })).toThrow(
      /twice/,
    );
  });

  it('names missing coalitions', () => {
    try {
      tableGameFromJSON({ players: ['a', 'b', 'c'], utility: { '': 0, a: 1 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MissingCoalitionError);
      expect((e as MissingCoalitionError).missing).toEqual([
        'b',
        'a,b',
        'c',
        'a,c',
        'b,c',
        'a,b,c',
      ]);
      expect((e as Error).message).toContain('got 2 of 8 coalitions');
    }
  });

  it('rejects malformed documents with a clear message', () => {
    expect(() => tableGameFromJSON({ players: 'a' })).toThrow(InvalidTableError);
    expect(() => tableGameFromJSON({ players: ['a'], utility: { '': 0, a: 'x' } })).toThrow(
      /utility.a/,
    );
    expect(() => tableGameFromJSON({ players: ['a', 'a'], utility: {} })).toThrow(/unique/);
    expect(() => tableGameFromJSON({ players: ['a,b'], utility: {} })).toThrow(/commas/);
    expect(() => tableGameFromJSON({ ...doc, utility: { ...doc.utility, z: 1 } })).toThrow(
      /unknown player/,
    );
    expect(() =>
      tableGameFromJSON({ players: Array.from({ length: 21 }, (_, i) => `p${i}`), utility: {} }),
    ).toThrow(TooManyPlayersError);
  });

  it('round-trips through JSON', async () => {
    const t = await tabulate(gloveGame(2, 2).game);
    const g = tableGame(t.players, t.values);
    const again = tableGameFromJSON(JSON.parse(JSON.stringify(tableGameToJSON(g))));
    expect(Array.from(again.table.values)).toEqual(Array.from(t.values));
  });
});
