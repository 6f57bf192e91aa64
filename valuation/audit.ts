/**
 * Auditing a published valuation (issue 5 item 4: "so a valuation can be replayed and
 * audited"). Given what the service publishes — the normalised request, the result, the payout
 * plan, the signed head of the valuation log and every log entry — an auditor checks, without
 * trusting the service:
 *   1. request:      the id is SHA-256 of the request's RFC 8785 form;
 *   2. checkpoint:   the head is signed by the log key, for this valuation's origin;
 *   3. log:          the entries are the leaves of that head (root recomputed from all of
 *                    them), each bound to this valuation and its position;
 *   4. metadata:     every entry names the rebuilt game's utility (kind, model spec hash, seed)
 *                    and its members' data roots;
 *   5. replay:       the request's estimator, re-run on the *logged* utility values, asks for
 *                    exactly the logged coalitions in the logged order and reproduces the
 *                    published values, standard errors and evaluation count bit for bit;
 *   6. payout:       the payout plan recomputed from the replayed result equals the published one;
 *   7. re-evaluation: randomly chosen logged coalitions, re-evaluated from scratch (models
 *                    retrained through the prover for the training utilities), give the logged
 *                    value exactly.
 * 5 shows the numbers follow from the log; 7 samples whether the log tells the truth — a
 * service that fabricated a fraction f of the values is caught by k samples with probability
 * 1 − (1 − f)^k. Nothing here performs I/O: the CLI fetches, this module judges.
 */
import { canonicalText, jsonHash, toHex, verifyCheckpoint } from '../ledger/index.ts';
import type { Coalition } from './coalition.ts';
import type { Game } from './game.ts';
import {
  logEntryLeafHash,
  parseLogEntry,
  treeFromLeafHashes,
  type ValuationLogEntry,
} from './log.ts';
import { planRequestPayout, runRequest, type ValuationRequest } from './request.ts';
import { resultToJSON, type ValuationResult } from './result.ts';
import { Rng, type Seed } from './rng.ts';
import { buildGame, type GameDescriptor } from './utilities/game-catalog.ts';

/** What `GET /v1/valuations/:id` publishes (the fields an audit reads). */
export interface PublishedValuation {
  readonly id: string;
  readonly request: unknown;
  readonly players: readonly string[];
  readonly values: Readonly<Record<string, number | null>>;
  readonly stderr: Readonly<Record<string, number | null>>;
  readonly evaluations: number;
  readonly payout: unknown;
  readonly log: {
    readonly origin: string;
    readonly size: number;
    readonly rootHex: string;
    readonly checkpoint: string;
  };
}

export interface AuditOptions {
  /** Logged evaluations to re-evaluate from scratch (default 3; 0 skips step 7). */
  readonly samples?: number;
  /** Seed of the auditor's choice of samples (default: random). */
  readonly seed?: Seed;
}

export type AuditCheckName =
  'request' | 'checkpoint' | 'log' | 'metadata' | 'replay' | 'payout' | 're-evaluation';

export interface AuditCheck {
  readonly name: AuditCheckName;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ReEvaluation {
  readonly index: number;
  readonly coalition: readonly string[];
  readonly logged: number;
  readonly recomputed: number;
}

export interface AuditReport {
  readonly ok: boolean;
  readonly checks: readonly AuditCheck[];
  readonly reEvaluations: readonly ReEvaluation[];
}

/** Thrown inside the replayed estimator when it asks for something the log does not hold. */
class ReplayDivergence extends Error {}

const sameNumber = (a: number | null | undefined, b: number | null | undefined) =>
  a === b || (typeof a === 'number' && typeof b === 'number' && Object.is(a, b));

/** Audits a published valuation against its log entries and the log's verifier key. */
export async function auditValuation(
  published: PublishedValuation,
  rawEntries: readonly unknown[],
  vkey: string,
  options: AuditOptions = {},
): Promise<AuditReport> {
  const checks: AuditCheck[] = [];
  const reEvaluations: ReEvaluation[] = [];
  const check = (name: AuditCheckName, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    return ok;
  };
  const done = (): AuditReport => ({
    ok: checks.every((c) => c.ok),
    checks,
    reEvaluations,
  });
  const { id, log } = published;

  // 1. The id commits to the request.
  let requestHash: string;
  try {
    requestHash = jsonHash(published.request);
  } catch (e) {
    check('request', false, `request is not canonical JSON: ${(e as Error).message}`);
    return done();
  }
  if (
    !check(
      'request',
      requestHash === id,
      requestHash === id
        ? `id = SHA-256(JCS(request))`
        : `SHA-256(JCS(request)) is ${requestHash}, not the id`,
    )
  )
    return done();
  const request = published.request as ValuationRequest;

  // 2. The head is signed for this valuation's log.
  try {
    const cp = verifyCheckpoint(log.checkpoint, vkey);
    const problems: string[] = [];
    if (!cp.origin.endsWith(`/valuations/${id}`) || cp.origin !== log.origin)
      problems.push(`origin ${cp.origin} is not this valuation's (${log.origin})`);
    if (cp.size !== log.size) problems.push(`signed size ${cp.size}, published ${log.size}`);
    if (toHex(cp.root) !== log.rootHex.toLowerCase())
      problems.push(`signed root ${toHex(cp.root)}, published ${log.rootHex}`);
    check(
      'checkpoint',
      problems.length === 0,
      problems.join('; ') || `signed: ${cp.origin} size ${cp.size}`,
    );
  } catch (e) {
    check('checkpoint', false, (e as Error).message);
  }

  // 3. The entries are exactly the leaves of the signed head.
  const entries: ValuationLogEntry[] = [];
  try {
    rawEntries.forEach((raw, i) => {
      const e = parseLogEntry(raw);
      if (e.valuationId !== id || e.index !== i)
        throw new Error(`entry ${i} is bound to ${e.valuationId}#${e.index}`);
      entries.push(e);
    });
    const root = toHex(treeFromLeafHashes(entries.map(logEntryLeafHash)).root(entries.length));
    const ok = entries.length === log.size && root === log.rootHex.toLowerCase();
    check(
      'log',
      ok,
      ok
        ? `${entries.length} entries hash to the signed root`
        : `${entries.length} entries hash to ${root}; head has size ${log.size}, root ${log.rootHex}`,
    );
  } catch (e) {
    check('log', false, (e as Error).message);
  }
  if (checks.some((c) => !c.ok)) return done();

  // 4. Every entry names the rebuilt game's utility and its members' data.
  let game: Game;
  try {
    game = buildGame(request.game as GameDescriptor);
  } catch (e) {
    check('metadata', false, `cannot rebuild the game: ${(e as Error).message}`);
    return done();
  }
  const md = game.metadata;
  const rootOf = new Map(game.players.map((p, i) => [p, md?.dataRoots[i]]));
  const bad = entries.find(
    (e) =>
      !md ||
      e.kind !== md.kind ||
      e.modelSpecHash !== md.modelSpecHash ||
      e.seed !== md.seed ||
      e.coalition.some((p, k) => !rootOf.has(p) || rootOf.get(p) !== e.dataRoots[k]),
  );
  check(
    'metadata',
    !bad,
    bad
      ? `entry ${bad.index} does not name this game's utility or data`
      : `all entries: kind ${md!.kind}, model spec ${md!.modelSpecHash.slice(0, 12)}…`,
  );

  // 5. Replaying the estimator on the logged values reproduces the result.
  let next = 0;
  const indexOf = new Map(game.players.map((p, i) => [p, i]));
  const replayGame: Game = {
    players: game.players,
    utility: async (coalition: Coalition) => {
      const ids = coalition.map((i) => game.players[i]!).sort();
      const e = entries[next];
      if (!e || e.coalition.join('\u0000') !== ids.join('\u0000'))
        throw new ReplayDivergence(
          `evaluation ${next}: the estimator asks for {${ids.join(',')}}, the log has ${e ? `{${e.coalition.join(',')}}` : 'no more entries'}`,
        );
      next++;
      return e.value;
    },
  };
  let replayed: ValuationResult | null = null;
  try {
    replayed = await runRequest(request, replayGame);
    const json = resultToJSON(replayed);
    const differs = published.players.filter(
      (p) =>
        !sameNumber(json.values[p], published.values[p]) ||
        !sameNumber(json.stderr[p], published.stderr[p]),
    );
    const problems: string[] = [];
    if (next !== entries.length)
      problems.push(`the estimator used ${next} of ${entries.length} logged evaluations`);
    if (json.evaluations !== published.evaluations)
      problems.push(
        `replay counts ${json.evaluations} evaluations, published ${published.evaluations}`,
      );
    if (replayed.players.join('\u0000') !== published.players.join('\u0000'))
      problems.push('players differ');
    if (differs.length > 0)
      problems.push(`values or standard errors differ for ${differs.join(', ')}`);
    check(
      'replay',
      problems.length === 0,
      problems.join('; ') ||
        `${request.method}: ${next} logged evaluations reproduce the published values`,
    );
  } catch (e) {
    check('replay', false, (e as Error).message);
  }

  // 6. The payout plan follows from the result.
  if (replayed) {
    const expected = request.pool ? planRequestPayout(replayed, request.pool) : null;
    const same = canonicalText(expected) === canonicalText(published.payout ?? null);
    check(
      'payout',
      same,
      same
        ? expected
          ? 'recomputed plan matches (amounts, Merkle root)'
          : 'no pool'
        : 'published payout plan differs from the recomputed one',
    );
  }

  // 7. Re-evaluate sampled coalitions from scratch.
  const samples = Math.min(options.samples ?? 3, entries.length);
  if (samples > 0) {
    const rng = new Rng(options.seed ?? toHex(crypto.getRandomValues(new Uint8Array(16))));
    const picked = rng
      .permutation(entries.length)
      .slice(0, samples)
      .sort((a, b) => a - b);
    for (const index of picked) {
      const e = entries[index]!;
      const coalition = e.coalition.map((p) => indexOf.get(p)!).sort((a, b) => a - b);
      const recomputed = await game.utility(coalition);
      reEvaluations.push({ index, coalition: e.coalition, logged: e.value, recomputed });
    }
    const wrong = reEvaluations.filter((r) => !Object.is(r.logged, r.recomputed));
    check(
      're-evaluation',
      wrong.length === 0,
      wrong.length === 0
        ? `${samples} sampled evaluations recomputed exactly (indices ${picked.join(', ')})`
        : `entries ${wrong.map((w) => w.index).join(', ')} do not recompute to the logged value`,
    );
  }
  return done();
}
