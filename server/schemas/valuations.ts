/** Valuations (issue 5): request and response schemas of /v1/valuations. */
import { z } from 'zod';
import { METHOD_NAMES } from '../../valuation/methods/index.ts';
import { GAME_KINDS } from '../../valuation/utilities/game-catalog.ts';
import { HELDOUT_METRICS } from '../../valuation/utilities/heldout-training.ts';
import { address, hash32, uint, uintParam } from './common.ts';

/** Largest evaluation budget a request may ask for (every evaluation is a stored log leaf). */
export const MAX_VALUATION_BUDGET = 20_000;

const tableGame = z.strictObject({
  kind: z.literal('table'),
  players: z.array(z.string().min(1).max(64)).min(1).max(16),
  utility: z
    .record(z.string(), z.number())
    .describe('U of every coalition: keys list members comma-separated, "" is the empty one'),
});

const penguinsKnnGame = z.strictObject({
  kind: z.literal('penguins-knn'),
  k: z.number().int().min(1).max(50).default(5),
});

const penguinsMlpGame = z.strictObject({
  kind: z.literal('penguins-mlp'),
  steps: z.number().int().min(1).max(400).default(100),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
  metric: z.enum(HELDOUT_METRICS).default('accuracy'),
});

export const gameBody = z
  .discriminatedUnion('kind', [tableGame, penguinsKnnGame, penguinsMlpGame])
  .describe(
    'table: an inline utility table; penguins-knn: 12 owners, K-NN accuracy; penguins-mlp: 3 islands, MLP trained by the prover',
  );

export const poolBody = z.strictObject({
  amount: z.string().regex(/^(0|[1-9][0-9]{0,77})$/, 'must be a decimal integer in smallest units'),
  optOut: z.array(z.string().min(1)).default([]),
  addresses: z.record(z.string(), address).optional(),
  confidence: z.number().gt(0).lt(1).default(0.95),
});

export const createValuationBody = z.strictObject({
  game: gameBody,
  method: z.enum(METHOD_NAMES),
  budget: z.number().int().min(1).max(MAX_VALUATION_BUDGET).optional(),
  seed: z
    .union([z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), z.string().min(1).max(128)])
    .default(0),
  tolerance: z.number().positive().optional(),
  pool: poolBody.optional().describe('split this revenue pool by the values (payout plan)'),
});

export type CreateValuationBody = z.infer<typeof createValuationBody>;

const nullableNumber = z.number().nullable();

export const payoutView = z.object({
  pool: z.string(),
  total: z.string(),
  merkleRoot: z.string().nullable(),
  missingAddresses: z.array(z.string()),
  statements: z.array(
    z.object({
      owner: z.string(),
      address: z.string().nullable(),
      value: nullableNumber,
      stderr: nullableNumber,
      optedOut: z.boolean(),
      share: z.number(),
      amount: z.string(),
      interval: z.object({ level: z.number(), low: z.string(), high: z.string() }),
      proof: z.array(z.string()).nullable(),
    }),
  ),
});

export const logHeadView = z.object({
  origin: z.string(),
  size: uint,
  rootHex: hash32,
  checkpoint: z
    .string()
    .describe('C2SP checkpoint note signed by the log key (GET /v1/log/public-key)'),
});

export const valuationView = z.object({
  id: hash32,
  request: z
    .record(z.string(), z.unknown())
    .describe(
      'the normalised request ({v, game, method, budget, seed, tolerance, pool}); id = SHA-256 of its RFC 8785 form, so an auditor can replay it',
    ),
  game: z.enum(GAME_KINDS),
  method: z.enum(METHOD_NAMES),
  algorithm: z.string(),
  players: z.array(z.string()),
  values: z.record(z.string(), nullableNumber),
  stderr: z.record(z.string(), nullableNumber),
  counts: z.record(z.string(), z.number()),
  evaluations: uint,
  status: z.enum(['converged', 'failed']),
  converged: z.boolean(),
  extras: z.record(z.string(), z.unknown()).optional(),
  log: logHeadView,
  payout: payoutView.nullable(),
  createdAt: z.string(),
});

export const valuationIdParams = z.strictObject({ id: hash32 });
export const evaluationParams = z.strictObject({ id: hash32, index: uintParam });

export const logEntryView = z.object({
  v: z.literal(1),
  valuationId: hash32,
  index: uint,
  kind: z.string(),
  coalition: z.array(z.string()),
  dataRoots: z.array(z.string()),
  modelSpecHash: z.string(),
  seed: z.string(),
  value: z.number(),
});

export const evaluationView = z.object({
  entry: logEntryView,
  leafHash: hash32,
  proof: z.object({ index: uint, size: uint, path: z.array(hash32) }),
  log: logHeadView,
});

/** Largest page of GET /v1/valuations/:id/evaluations. */
export const MAX_EVALUATION_PAGE = 1000;

export const evaluationListQuery = z.strictObject({
  from: uintParam.default(0),
  limit: uintParam.pipe(z.number().min(1).max(MAX_EVALUATION_PAGE)).default(MAX_EVALUATION_PAGE),
});

export const evaluationListView = z.object({
  size: uint.describe('logged evaluations in all (the log head size)'),
  from: uint,
  entries: z.array(logEntryView).describe('entries from..from+limit−1, in log order'),
});
