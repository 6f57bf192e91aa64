/**
 * Valuations (issue 5 items 4 and 6): runs a valuation synchronously — the games offered are
 * small (a request-sized table, the penguins games) — with every utility evaluation appended
 * to the valuation's own RFC 9162 log (`valuation/log.ts`), then stores the request, the
 * result, the optional payout plan, the signed log head and every leaf in one transaction.
 * A request that fails (bad table, budget too small, nothing to pay) stores nothing.
 *
 * The id is SHA-256 of the canonical normalised request: valuations are deterministic (seeded
 * estimators, seeded cpu training), so asking again returns the stored run instead of a copy.
 */
import {
  canonicalText,
  fromHex,
  jsonHash,
  signCheckpoint,
  toHex,
  type NoteSigner,
} from '../../ledger/index.ts';
import { ProverError } from '../../prover/errors.ts';
import { MemoryUtilityCache, withCache } from '../../valuation/cache.ts';
import { InvalidInputError, ValuationError } from '../../valuation/errors.ts';
import { withEvaluationLog, type EvaluationSink } from '../../valuation/evaluation-log.ts';
import {
  ValuationLog,
  encodeLogEntry,
  parseLogEntry,
  treeFromLeafHashes,
} from '../../valuation/log.ts';
import { planRequestPayout, runRequest, type ValuationRequest } from '../../valuation/request.ts';
import { resultToJSON, type ValuationResult } from '../../valuation/result.ts';
import { buildGame, normaliseGame } from '../../valuation/utilities/game-catalog.ts';
import type { Db } from '../persistence/database.ts';
import { invalid, notFound } from '../errors.ts';
import type { z } from 'zod';
import {
  MAX_VALUATION_BUDGET,
  type CreateValuationBody,
  type evaluationView,
  type payoutView,
  type valuationView,
} from '../schemas/valuations.ts';

/** Methods that evaluate every coalition (2^n evaluations) whatever the budget. */
const ENUMERATING = new Set(['exact', 'banzhaf']);
/** Restored trees kept for proof requests (a finished valuation's log never changes). */
const TREE_CACHE_SIZE = 16;

export type ValuationView = z.infer<typeof valuationView>;
export type EvaluationView = z.infer<typeof evaluationView>;
type PayoutView = z.infer<typeof payoutView>;

/** A finished run, before it is stored. */
interface ValuationRun {
  readonly result: ValuationResult;
  readonly payout: PayoutView | null;
  readonly log: ValuationLog;
  readonly rootHex: string;
  readonly checkpoint: string;
}

/**
 * Maps the math's and the prover's typed input errors to 422 with their code in the reason. A
 * failed solver or an estimator overrunning its own cap is a server fault (500), not the input's.
 */
function asHttpError(e: unknown): unknown {
  if (e instanceof ValuationError) {
    if (
      e.code === 'FLAGSTONE_ERR_VALUATION_SOLVER_FAILED' ||
      e.code === 'FLAGSTONE_ERR_VALUATION_BUDGET_EXHAUSTED'
    )
      return e;
    return invalid(`${e.code}: ${e.message}`);
  }
  if (e instanceof ProverError && e.code === 'FLAGSTONE_ERR_SPEC_INVALID')
    return invalid(`${e.code}: ${e.message}`);
  return e;
}

export class ValuationService {
  readonly #trees = new Map<string, ReturnType<typeof treeFromLeafHashes>>();

  constructor(
    private readonly db: Db,
    private readonly signer: NoteSigner,
    private readonly logName: string,
  ) {}

  /** `<logName>/valuations/<id>`: the checkpoint origin of a valuation's log. */
  origin(id: string): string {
    return `${this.logName}/valuations/${id}`;
  }

  /** Runs and stores a valuation, or returns the stored one for the same request. */
  async create(body: CreateValuationBody): Promise<{ view: ValuationView; created: boolean }> {
    let request: ValuationRequest;
    try {
      request = {
        v: 1,
        game: normaliseGame(body.game),
        method: body.method,
        budget: body.budget ?? null,
        seed: body.seed,
        tolerance: body.tolerance ?? null,
        pool: body.pool ?? null,
      };
    } catch (e) {
      throw asHttpError(e);
    }
    const id = jsonHash(request);
    const existing = await this.#find(id);
    if (existing) return { view: existing, created: false };
    const run = await this.#run(id, request).catch((e: unknown) => {
      throw asHttpError(e);
    });
    try {
      await this.#store(id, request, run);
    } catch (e) {
      // A concurrent identical request stored it first: same id, same deterministic run.
      if ((e as { code?: string }).code === 'P2002') {
        const stored = await this.#find(id);
        if (stored) return { view: stored, created: false };
      }
      throw e;
    }
    return { view: (await this.#find(id))!, created: true };
  }

  async view(id: string): Promise<ValuationView> {
    const v = await this.#find(id);
    if (!v) throw notFound(`no valuation ${id}`);
    return v;
  }

  /** A logged evaluation and its inclusion proof against the valuation's signed log head. */
  async evaluation(id: string, index: number): Promise<EvaluationView> {
    const head = await this.db.valuation.findUnique({
      where: { id },
      select: { logSize: true, logRoot: true, checkpoint: true },
    });
    if (!head) throw notFound(`no valuation ${id}`);
    const size = Number(head.logSize);
    if (index >= size)
      throw notFound(`valuation ${id} has ${size} logged evaluations; no index ${index}`);
    const row = await this.db.valuationEvaluation.findUniqueOrThrow({
      where: { valuationId_index: { valuationId: id, index: BigInt(index) } },
    });
    const tree = await this.#tree(id);
    return {
      entry: entryView(row.body),
      leafHash: row.leafHash,
      proof: { index, size, path: tree.inclusionProof(index, size).map(toHex) },
      log: { origin: this.origin(id), size, rootHex: head.logRoot, checkpoint: head.checkpoint },
    };
  }

  /** Entries from..from+limit−1 of a valuation's log (fewer at the end). */
  async evaluations(
    id: string,
    from: number,
    limit: number,
  ): Promise<{ size: number; from: number; entries: EvaluationView['entry'][] }> {
    const head = await this.db.valuation.findUnique({ where: { id }, select: { logSize: true } });
    if (!head) throw notFound(`no valuation ${id}`);
    const size = Number(head.logSize);
    if (from > size) throw invalid(`from ${from} is past the end of the log (${size} entries)`);
    const rows = await this.db.valuationEvaluation.findMany({
      where: { valuationId: id, index: { gte: BigInt(from), lt: BigInt(from + limit) } },
      orderBy: { index: 'asc' },
      select: { body: true },
    });
    return { size, from, entries: rows.map((r) => entryView(r.body)) };
  }

  async #run(id: string, request: ValuationRequest): Promise<ValuationRun> {
    const game = buildGame(request.game);
    const n = game.players.length;
    if (ENUMERATING.has(request.method) && 2 ** n > MAX_VALUATION_BUDGET) {
      throw new InvalidInputError(`method ${request.method} evaluates all 2^${n} coalitions`, {
        details: `got ${2 ** n} evaluations, want <= ${MAX_VALUATION_BUDGET}; use a sampling method with a budget`,
      });
    }
    const log = new ValuationLog(id);
    const sink: EvaluationSink = (record) => {
      // Backstop for methods whose evaluation count is not the budget (exact least core).
      if (log.size >= MAX_VALUATION_BUDGET) {
        throw new InvalidInputError('valuation exceeds the service evaluation limit', {
          details: `got more than ${MAX_VALUATION_BUDGET} evaluations`,
        });
      }
      log.append(record);
    };
    // Log outermost: every evaluation the estimator asks for is a leaf, cache hits included.
    const logged = withEvaluationLog(withCache(game, new MemoryUtilityCache()), sink);
    const result = await runRequest(request, logged);
    const payout = request.pool ? (planRequestPayout(result, request.pool) as PayoutView) : null;
    const rootHex = log.rootHex();
    const checkpoint = signCheckpoint(
      { origin: this.origin(id), size: log.size, root: fromHex(rootHex) },
      this.signer,
    );
    return { result, payout, log, rootHex, checkpoint };
  }

  async #store(id: string, request: ValuationRequest, run: ValuationRun): Promise<void> {
    const { result, payout, log, rootHex, checkpoint } = run;
    await this.db.$transaction([
      this.db.valuation.create({
        data: {
          id,
          request: canonicalText(request),
          result: canonicalText({ players: result.players, ...resultToJSON(result) }),
          payout: payout ? canonicalText(payout) : null,
          logSize: BigInt(log.size),
          logRoot: rootHex,
          checkpoint,
        },
      }),
      this.db.valuationEvaluation.createMany({
        data: log.entries.map((entry, index) => ({
          valuationId: id,
          index: BigInt(index),
          leafHash: log.leafHash(index),
          body: new TextDecoder().decode(encodeLogEntry(entry)),
        })),
      }),
    ]);
  }

  async #find(id: string): Promise<ValuationView | null> {
    const row = await this.db.valuation.findUnique({ where: { id } });
    if (!row) return null;
    const request = JSON.parse(row.request) as ValuationRequest;
    const r = JSON.parse(row.result) as ReturnType<typeof resultToJSON> & { players: string[] };
    return {
      id,
      request: request as unknown as Record<string, unknown>,
      game: request.game.kind,
      method: request.method,
      algorithm: r.algorithm,
      players: r.players,
      values: r.values,
      stderr: r.stderr,
      counts: r.counts,
      evaluations: r.evaluations,
      status: r.status === 'converged' ? 'converged' : 'failed',
      converged: r.converged,
      ...(r.extras ? { extras: r.extras as Record<string, unknown> } : {}),
      log: {
        origin: this.origin(id),
        size: Number(row.logSize),
        rootHex: row.logRoot,
        checkpoint: row.checkpoint,
      },
      payout: row.payout ? (JSON.parse(row.payout) as PayoutView) : null,
      createdAt: row.createdAt.toISOString(),
    };
  }

  async #tree(id: string) {
    let tree = this.#trees.get(id);
    if (!tree) {
      const rows = await this.db.valuationEvaluation.findMany({
        where: { valuationId: id },
        orderBy: { index: 'asc' },
        select: { leafHash: true },
      });
      tree = treeFromLeafHashes(rows.map((r) => r.leafHash));
      if (this.#trees.size >= TREE_CACHE_SIZE) this.#trees.delete(this.#trees.keys().next().value!);
      this.#trees.set(id, tree);
    }
    return tree;
  }
}

/** A stored leaf body as the response shape (mutable arrays for the serializer). */
function entryView(body: string): EvaluationView['entry'] {
  const e = parseLogEntry(JSON.parse(body));
  return { ...e, coalition: [...e.coalition], dataRoots: [...e.dataRoots] };
}
