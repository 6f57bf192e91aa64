/** /v1/valuations (issue 5 item 6): run, read, and audit valuations through app.inject. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerValueCommands } from '../../cli/commands/value.ts';
import { verifyCheckpoint, toHex } from '../../ledger/index.ts';
import { logEntryLeafHash, verifyLogEntry, type ValuationLogEntry } from '../../valuation/log.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t.close());

// Glove game: a holds a left glove, b and c right ones; Shapley (2/3, 1/6, 1/6).
const glove = {
  kind: 'table',
  players: ['a', 'b', 'c'],
  utility: { '': 0, a: 0, b: 0, c: 0, 'a,b': 1, 'a,c': 1, 'b,c': 0, 'a,b,c': 1 },
};

const post = (payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/v1/valuations', payload: payload as object });
const get = (url: string) => t.app.inject({ method: 'GET', url });
const stored = async () => ({
  valuations: await t.app.flagstone.db.valuation.count(),
  evaluations: await t.app.flagstone.db.valuationEvaluation.count(),
});

async function vkey(): Promise<string> {
  return (await get('/v1/log/public-key')).json().vkey as string;
}

describe('POST /v1/valuations', () => {
  it('values a table game exactly, logs every evaluation, and signs the log head', async () => {
    const res = await post({ game: glove, method: 'exact' });
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    expect(v.id).toMatch(/^[0-9a-f]{64}$/);
    expect(v.values.a).toBeCloseTo(2 / 3, 12);
    expect(v.values.b).toBeCloseTo(1 / 6, 12);
    expect(v.stderr).toEqual({ a: 0, b: 0, c: 0 });
    expect(v.converged).toBe(true);
    expect(v.evaluations).toBe(8);
    expect(v.log.size).toBe(8);
    expect(v.payout).toBeNull();
    const cp = verifyCheckpoint(v.log.checkpoint, await vkey());
    expect(cp.origin).toBe(v.log.origin);
    expect(cp.size).toBe(8);
    expect(toHex(cp.root)).toBe(v.log.rootHex);

    const again = await get(`/v1/valuations/${v.id}`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(v);
  });

  it('serves every evaluation with an inclusion proof that verifies against the signed root', async () => {
    const v = (await post({ game: glove, method: 'exact' })).json();
    const seen = new Map<string, number>();
    for (let i = 0; i < v.log.size; i++) {
      const res = await get(`/v1/valuations/${v.id}/evaluations/${i}`);
      expect(res.statusCode, res.body).toBe(200);
      const { entry, leafHash, proof, log } = res.json() as {
        entry: ValuationLogEntry;
        leafHash: string;
        proof: { index: number; size: number; path: string[] };
        log: { rootHex: string };
      };
      expect(entry.index).toBe(i);
      expect(entry.valuationId).toBe(v.id);
      expect(logEntryLeafHash(entry)).toBe(leafHash);
      expect(log.rootHex).toBe(v.log.rootHex);
      verifyLogEntry(entry, proof, v.log.rootHex);
      expect(() =>
        verifyLogEntry({ ...entry, value: entry.value + 1 }, proof, v.log.rootHex),
      ).toThrow();
      seen.set(entry.coalition.join(','), entry.value);
    }
    // The log replays the table: each coalition once with its utility.
    expect(Object.fromEntries(seen)).toEqual(glove.utility);
    expect((await get(`/v1/valuations/${v.id}/evaluations/8`)).statusCode).toBe(404);
  });

  it('returns the stored run (200, same id) for the same request, whatever its key order', async () => {
    const first = (await post({ game: glove, method: 'permutation', budget: 60, seed: 4 })).json();
    const reordered = {
      ...glove,
      utility: { 'a,b,c': 1, 'b,a': 1, 'c,a': 1, 'c,b': 0, c: 0, b: 0, a: 0, '': 0 },
    };
    const res = await post({ seed: 4, budget: 60, method: 'permutation', game: reordered });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(first.id);
    expect(first.evaluations).toBeLessThanOrEqual(60);
    expect(first.log.size).toBe(first.evaluations);
  });

  it('agrees with `flagstone value shapley --log`: same request, same valuation id and log root', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flagstone-valuation-cli-'));
    await writeFile(join(dir, 'glove.json'), JSON.stringify(glove));
    let out = '';
    const program = new Command('flagstone')
      .exitOverride()
      .configureOutput({ writeOut: (s) => (out += s) });
    registerValueCommands(program);
    await program.parseAsync(
      [
        'value',
        'shapley',
        '--table',
        join(dir, 'glove.json'),
        '--method',
        'antithetic',
        '--budget',
        '50',
        '--seed',
        '9',
        '--log',
        join(dir, 'log'),
        '--json',
      ],
      { from: 'user' },
    );
    const cli = JSON.parse(out);
    const v = (await post({ game: glove, method: 'antithetic', budget: 50, seed: 9 })).json();
    expect(v.id).toBe(cli.log.valuationId);
    expect(v.log.rootHex).toBe(cli.log.rootHex);
    expect(v.values).toEqual(cli.values);
  });

  it('runs the training game (penguins MLP via the prover) and plans a payout', async () => {
    const addresses = {
      Biscoe: '0x' + '11'.repeat(20),
      Dream: '0x' + '22'.repeat(20),
      Torgersen: '0x' + '33'.repeat(20),
    };
    const res = await post({
      game: { kind: 'penguins-mlp', steps: 60 },
      method: 'exact',
      pool: { amount: '1000000', addresses },
    });
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    expect(v.players).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    expect(v.log.size).toBe(8);
    const u = (await get(`/v1/valuations/${v.id}/evaluations/0`)).json().entry as ValuationLogEntry;
    expect(u.coalition).toEqual([]);
    expect(u.value).toBeCloseTo(1 / 3, 12); // U(∅): the chance model
    expect(u.kind).toBe('heldout-accuracy');
    const sum = v.players.reduce((s: number, p: string) => s + v.values[p], 0);
    const full = (await get(`/v1/valuations/${v.id}/evaluations/7`)).json()
      .entry as ValuationLogEntry;
    expect(full.coalition).toEqual(['Biscoe', 'Dream', 'Torgersen']);
    expect(sum).toBeCloseTo(full.value - 1 / 3, 12);
    expect(v.payout.total).toBe('1000000');
    expect(v.payout.merkleRoot).toMatch(/^0x[0-9a-f]{64}$/);
    expect(
      v.payout.statements
        .map((s: { amount: string }) => BigInt(s.amount))
        .reduce((a: bigint, b: bigint) => a + b),
    ).toBe(1000000n);
  });

  it('runs the 12-owner penguins K-NN game with a sampled estimator', async () => {
    const res = await post({
      game: { kind: 'penguins-knn' },
      method: 'kernel',
      budget: 300,
      seed: 1,
    });
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    expect(v.players).toHaveLength(12);
    expect(v.evaluations).toBeLessThanOrEqual(300);
    expect(v.log.size).toBe(v.evaluations);
    expect(Object.values(v.stderr).every((s) => typeof s === 'number' || s === null)).toBe(true);
  });
});

describe('bad input is refused with a reason and stores nothing', () => {
  it.each([
    [
      'a missing coalition',
      { game: { ...glove, utility: { '': 0, a: 0 } }, method: 'exact' },
      /MISSING_COALITION/,
    ],
    [
      'an unknown player in a key',
      { game: { ...glove, utility: { ...glove.utility, 'a,z': 1 } }, method: 'exact' },
      /unknown player/,
    ],
    ['an unknown method', { game: glove, method: 'magic' }, /method/],
    [
      'a budget below the method minimum',
      { game: glove, method: 'kernel', budget: 1 },
      /BUDGET_TOO_SMALL/,
    ],
    [
      'a budget above the service limit',
      { game: glove, method: 'permutation', budget: 10 ** 6 },
      /budget/,
    ],
    ['an unknown field', { game: glove, method: 'exact', extra: true }, /extra|unrecognized/i],
    [
      'an opt-out of an unknown owner',
      { game: glove, method: 'exact', pool: { amount: '10', optOut: ['zed'] } },
      /INVALID_PAYOUT/,
    ],
    [
      'nothing positive to pay',
      { game: glove, method: 'exact', pool: { amount: '10', optOut: ['a', 'b', 'c'] } },
      /NO_POSITIVE_VALUES/,
    ],
    ['a negative pool', { game: glove, method: 'exact', pool: { amount: '-5' } }, /amount/],
    [
      'too many steps for the training game',
      { game: { kind: 'penguins-mlp', steps: 10_000 }, method: 'exact' },
      /steps/,
    ],
  ])('%s → 422', async (_name, body, reason) => {
    const before = await stored();
    const res = await post(body);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toBe('FLAGSTONE_ERR_VALIDATION');
    expect(res.json().message).toMatch(reason);
    expect(await stored()).toEqual(before);
  });

  it('unknown valuations and malformed ids', async () => {
    expect((await get(`/v1/valuations/${'0'.repeat(64)}`)).statusCode).toBe(404);
    expect((await get(`/v1/valuations/${'0'.repeat(64)}/evaluations/0`)).statusCode).toBe(404);
    const bad = await get('/v1/valuations/xyz');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('FLAGSTONE_ERR_BAD_REQUEST');
  });
});
