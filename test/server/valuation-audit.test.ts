/**
 * Auditing published valuations (issue 5 item 4): the service publishes the request, the
 * result, the payout, the signed log head and every logged evaluation; `auditValuation` and
 * `flagstone value audit` check them without trusting the service.
 */
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerValueCommands } from '../../cli/commands/value.ts';
import {
  fromHex,
  jsonHash,
  signCheckpoint,
  signerFromSeed,
  verifierKey,
} from '../../ledger/index.ts';
import {
  auditValuation,
  type AuditReport,
  type PublishedValuation,
} from '../../valuation/audit.ts';
import { withEvaluationLog } from '../../valuation/evaluation-log.ts';
import { ValuationLog } from '../../valuation/log.ts';
import { planRequestPayout, runRequest, type ValuationRequest } from '../../valuation/request.ts';
import { resultToJSON } from '../../valuation/result.ts';
import { buildGame } from '../../valuation/utilities/game-catalog.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await buildTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => t.close());

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

const request = {
  game: { kind: 'penguins-knn', k: 5 },
  method: 'gp',
  budget: 60,
  seed: 3,
  pool: { amount: '1000000' },
};

/** Publishes `request` through the service and fetches what an auditor sees. */
async function published(): Promise<{ v: PublishedValuation; entries: unknown[]; vkey: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/valuations', payload: request });
  expect([200, 201]).toContain(res.statusCode);
  const v = res.json() as PublishedValuation;
  const entries: unknown[] = [];
  while (entries.length < v.log.size) {
    const page = await get(`/v1/valuations/${v.id}/evaluations?from=${entries.length}&limit=25`);
    expect(page.size).toBe(v.log.size);
    entries.push(...page.entries);
  }
  return { v, entries, vkey: (await get('/v1/log/public-key')).vkey };
}

const failed = (r: AuditReport) => r.checks.filter((c) => !c.ok).map((c) => c.name);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('auditValuation', () => {
  it('passes an honest valuation: every check, and sampled coalitions recompute exactly', async () => {
    const { v, entries, vkey } = await published();
    expect(v.log.size).toBe(v.evaluations);
    const report = await auditValuation(v, entries, vkey, { samples: 5, seed: 1 });
    expect(failed(report)).toEqual([]);
    expect(report.checks.map((c) => c.name)).toEqual([
      'request',
      'checkpoint',
      'log',
      'metadata',
      'replay',
      'payout',
      're-evaluation',
    ]);
    expect(report.reEvaluations).toHaveLength(5);
    for (const r of report.reEvaluations) expect(Object.is(r.recomputed, r.logged)).toBe(true);
  });

  it('re-trains sampled coalitions of the training game bit for bit (penguins MLP)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/valuations',
      payload: { game: { kind: 'penguins-mlp', steps: 30 }, method: 'exact' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json() as PublishedValuation;
    const entries = (await get(`/v1/valuations/${v.id}/evaluations`)).entries as unknown[];
    const report = await auditValuation(v, entries, (await get('/v1/log/public-key')).vkey, {
      samples: 3,
      seed: 2,
    });
    expect(failed(report)).toEqual([]);
    expect(report.checks.find((c) => c.name === 'metadata')!.detail).toMatch(/heldout-accuracy/);
    expect(report.reEvaluations.filter((r) => r.coalition.length > 0).length).toBeGreaterThan(0);
  });

  it('names the check that a tampered publication fails', async () => {
    const { v, entries, vkey } = await published();
    const audit = (pv: PublishedValuation, es = entries, key = vkey) =>
      auditValuation(pv, es, key, { samples: 0 });
    const p0 = v.players[0]!;

    const value = clone(v);
    (value.values as Record<string, number>)[p0] = v.values[p0]! + 1e-9;
    expect(failed(await audit(value))).toEqual(['replay']);

    const budget = clone(v);
    (budget.request as { budget: number }).budget = 61;
    expect(failed(await audit(budget))).toEqual(['request']);

    const entry = clone(entries) as { value: number }[];
    entry[7]!.value += 0.01;
    expect(failed(await audit(v, entry))).toEqual(['log']);
    expect(failed(await audit(v, entries.slice(0, -1)))).toEqual(['log']);

    const other = signerFromSeed('other.example', new Uint8Array(32).fill(9));
    expect(failed(await audit(v, entries, verifierKey(other.keyName, other.publicKey)))).toEqual([
      'checkpoint',
    ]);

    const payout = clone(v) as PublishedValuation & {
      payout: { statements: { amount: string }[] };
    };
    payout.payout.statements[0]!.amount = String(BigInt(payout.payout.statements[0]!.amount) + 1n);
    expect(failed(await audit(payout))).toEqual(['payout']);
  });

  it('catches a consistent liar — a signed log of fabricated utilities — by re-evaluation', async () => {
    // A publisher that inflates every 6-owner coalition by 0.05 and otherwise does everything
    // right: its log, head, values and payout are mutually consistent.
    const req = {
      v: 1,
      ...request,
      budget: 60,
      tolerance: null,
      pool: { amount: '1000000', optOut: [], confidence: 0.95 },
    } as ValuationRequest;
    const id = jsonHash(req);
    const honest = buildGame(req.game);
    const lying = {
      ...honest,
      utility: async (c: readonly number[]) =>
        (await honest.utility(c)) + (c.length === 6 ? 0.05 : 0),
    };
    const log = new ValuationLog(id);
    const result = await runRequest(
      req,
      withEvaluationLog(lying, (r) => void log.append(r)),
    );
    const signer = signerFromSeed('liar.example', new Uint8Array(32).fill(3));
    const origin = `liar.example/valuations/${id}`;
    const json = resultToJSON(result);
    const v: PublishedValuation = {
      id,
      request: req,
      players: result.players,
      values: json.values,
      stderr: json.stderr,
      evaluations: result.evaluations,
      payout: planRequestPayout(result, req.pool!),
      log: {
        origin,
        size: log.size,
        rootHex: log.rootHex(),
        checkpoint: signCheckpoint(
          { origin, size: log.size, root: fromHex(log.rootHex()) },
          signer,
        ),
      },
    };
    const entries = log.entries.map((e) => clone(e));
    const vkey = verifierKey(signer.keyName, signer.publicKey);
    const lies = log.entries.filter((e) => e.coalition.length === 6).length;
    expect(lies).toBeGreaterThan(0);

    // Without re-evaluation every check passes: the log is consistent, only untrue.
    expect(failed(await auditValuation(v, entries, vkey, { samples: 0 }))).toEqual([]);
    const report = await auditValuation(v, entries, vkey, { samples: entries.length, seed: 1 });
    expect(failed(report)).toEqual(['re-evaluation']);
    const wrong = report.reEvaluations.filter((r) => !Object.is(r.logged, r.recomputed));
    expect(wrong).toHaveLength(lies);
    for (const w of wrong) expect(w.coalition).toHaveLength(6);
  });
});

describe('GET /v1/valuations/:id/evaluations', () => {
  it('pages the log in order and refuses bad ranges with a reason', async () => {
    const { v, entries } = await published();
    const page = await get(`/v1/valuations/${v.id}/evaluations?from=10&limit=5`);
    expect(page.from).toBe(10);
    expect(page.entries).toEqual(entries.slice(10, 15));
    const end = await get(`/v1/valuations/${v.id}/evaluations?from=${v.log.size}`);
    expect(end.entries).toEqual([]);
    const cases: [string, number][] = [
      [`from=${v.log.size + 1}`, 422],
      ['limit=0', 400],
      ['limit=1001', 400],
      ['from=-1', 400],
      ['from=x', 400],
    ];
    for (const [q, status] of cases) {
      const url = `/v1/valuations/${v.id}/evaluations?${q}`;
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, q).toBe(status);
      expect(res.json().message, q).toMatch(/from|limit/);
    }
    const missing = await t.app.inject({
      method: 'GET',
      url: `/v1/valuations/${'0'.repeat(64)}/evaluations`,
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('flagstone value audit', () => {
  async function cli(args: string[]): Promise<{ out: string; code: number }> {
    let out = '';
    const program = new Command('flagstone')
      .exitOverride()
      .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
    registerValueCommands(program);
    const before = process.exitCode;
    try {
      await program.parseAsync(['value', 'audit', ...args], { from: 'user' });
      return { out, code: Number(process.exitCode ?? 0) };
    } catch (e) {
      if (e instanceof CommanderError) return { out, code: e.exitCode };
      throw e;
    } finally {
      process.exitCode = before;
    }
  }

  it('audits a valuation over HTTP and prints the report; exit 2 when the service cannot serve it', async () => {
    const { v } = await published();
    const ok = await cli([
      '--service',
      base,
      '--id',
      v.id,
      '--samples',
      '2',
      '--seed',
      '7',
      '--json',
    ]);
    expect(ok.code, ok.out).toBe(0);
    const report = JSON.parse(ok.out) as AuditReport;
    expect(report.ok).toBe(true);
    expect(report.reEvaluations).toHaveLength(2);

    const text = await cli(['--service', base, '--id', v.id, '--samples', '1']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^ok +replay +gp: \d+ logged evaluations reproduce/m);
    expect(text.out).toMatch(/audit passed/);

    const other = signerFromSeed('other.example', new Uint8Array(32).fill(9));
    const pinned = await cli([
      '--service',
      base,
      '--id',
      v.id,
      '--samples',
      '0',
      '--key',
      verifierKey(other.keyName, other.publicKey),
    ]);
    expect(pinned.code).toBe(1);
    expect(pinned.out).toMatch(/FAIL +checkpoint/);

    const unknown = await cli(['--service', base, '--id', 'f'.repeat(64)]);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toMatch(/HTTP 404/);
  });
});
