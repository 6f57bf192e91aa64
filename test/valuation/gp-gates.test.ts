import { describe, expect, it } from 'vitest';
import { gameFromFunction } from '../../valuation/game.ts';
import { exactAll } from '../../valuation/methods/exact.ts';
import { gpShapley } from '../../valuation/methods/gp-shapley.ts';
import { selectKernel } from '../../valuation/methods/gp/fit.ts';
import {
  gateShapley,
  gateValue,
  selectGates,
  type Gate,
} from '../../valuation/methods/gp/gates.ts';
import type { Point } from '../../valuation/methods/gp/product-kernel.ts';
import { relativeL2Error } from '../../valuation/result.ts';
import { Rng } from '../../valuation/rng.ts';
import { maxEvaluations } from '../../valuation/stopping.ts';

/**
 * A game of substitutes, like the penguin owners: groups whose data are interchangeable (any
 * member supplies the group's worth: an OR gate), one pair of complements (an AND gate), and a
 * small additive part so that no two players are exactly alike.
 */
function groupGame(n: number, groups: number[][], worths: number[], complements: number[]) {
  const rng = new Rng(99);
  const w = Array.from({ length: n }, () => 0.01 * rng.float());
  const utility = (members: Uint8Array) => {
    let u = 0;
    groups.forEach((g, k) => {
      if (g.some((i) => members[i])) u += worths[k]!;
    });
    if (complements.every((i) => members[i])) u += 0.2;
    members.forEach((z, i) => (u += z * w[i]!));
    return u;
  };
  const game = gameFromFunction(
    Array.from({ length: n }, (_, i) => `p${i}`),
    (c) => {
      const members = new Uint8Array(n);
      for (const i of c) members[i] = 1;
      return utility(members);
    },
  );
  return { game, utility };
}

/** Uniformly random coalitions of a pure function, as evaluated points. */
function samplePoints(n: number, m: number, u: (z: Uint8Array) => number, seed: number): Point[] {
  const rng = new Rng(seed);
  return Array.from({ length: m }, () => {
    const members = Uint8Array.from({ length: n }, () => (rng.float() < 0.5 ? 1 : 0));
    return { members, size: members.reduce((a, b) => a + b, 0), u: u(members) };
  });
}

const key = (g: Gate) => `${g.kind}:${g.players.join(',')}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

describe('gp-shapley gates', () => {
  it('gives each gate its exact Shapley value (brute force)', async () => {
    const n = 6;
    for (const gate of [
      { kind: 'and', players: [0, 2, 5] },
      { kind: 'absent', players: [1, 3, 4, 5] },
    ] as const) {
      const g = gameFromFunction(
        Array.from({ length: n }, (_, i) => `p${i}`),
        (c) => {
          const z = new Uint8Array(n);
          for (const i of c) z[i] = 1;
          return gateValue(gate, z);
        },
      );
      const exact = await exactAll(g);
      Array.from(gateShapley(gate, n)).forEach((v, i) =>
        expect(v).toBeCloseTo(exact.shapley.values[i]!, 12),
      );
    }
  });

  it('finds planted substitute groups and complements, exhaustively and by beam search', () => {
    const groups = [
      [0, 1, 2, 3, 4],
      [5, 6],
      [7, 8, 9],
    ];
    const { utility } = groupGame(12, groups, [0.4, 0.25, 0.3], [10, 11]);
    const pts = samplePoints(12, 150, utility, 1);
    const fit = selectKernel(pts);
    for (const exhaustiveUpTo of [12, 0]) {
      const found = selectGates(fit, { exhaustiveUpTo }).map(key);
      expect(found).toContain('absent:0,1,2,3,4');
      expect(found).toContain('absent:7,8,9');
      expect(found).toContain('and:10,11');
    }
  });

  it('adds no gate to an exchangeable game (majority(11))', () => {
    const n = 11;
    const pts = samplePoints(n, 200, (z) => (z.reduce((a, b) => a + b, 0) >= 6 ? 1 : 0), 3);
    expect(selectGates(selectKernel(pts))).toEqual([]);
  });

  it('lowers the error on a game of substitutes at 100 evaluations (median of 9 seeds)', async () => {
    const g = groupGame(
      12,
      [
        [0, 1, 2, 3, 4, 5],
        [6, 7],
        [8, 9, 10, 11],
      ],
      [0.3, 0.3, 0.3],
      [0, 6],
    );
    const exact = (await exactAll(g.game)).shapley.values;
    const withGates: number[] = [];
    const plain: number[] = [];
    for (let seed = 0; seed < 9; seed++) {
      const stopping = maxEvaluations(100);
      withGates.push(relativeL2Error((await gpShapley(g.game, { stopping, seed })).values, exact));
      const p = await gpShapley(g.game, { stopping, seed, gates: false });
      plain.push(relativeL2Error(p.values, exact));
    }
    expect(median(withGates)).toBeLessThan(0.5 * median(plain));
  });

  it('uses the beam search beyond 12 players (16 players, 150 evaluations)', async () => {
    const groups = [
      [0, 1, 2, 3, 4, 5, 6],
      [7, 8, 9],
      [10, 11, 12, 13, 14, 15],
    ];
    const g = groupGame(16, groups, [0.3, 0.2, 0.4], [0, 7]);
    // Exact values by linearity: OR gate worth w over G → w/|G| each; AND pair 0.1 each.
    const exact = (await exactAll(g.game)).shapley.values;
    const r = await gpShapley(g.game, { stopping: maxEvaluations(150), seed: 1 });
    expect(r.evaluations).toBeLessThanOrEqual(150);
    const plain = await gpShapley(g.game, { stopping: maxEvaluations(150), seed: 1, gates: false });
    expect(relativeL2Error(r.values, exact)).toBeLessThan(
      0.5 * relativeL2Error(plain.values, exact),
    );
    expect(r.values.reduce((a, b) => a + b, 0)).toBeCloseTo(
      (await g.game.utility(Array.from({ length: 16 }, (_, i) => i))) - (await g.game.utility([])),
      9,
    );
  });
});
