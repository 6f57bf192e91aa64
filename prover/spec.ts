/**
 * The job spec (issue 4, item 1): everything that determines training, validated with zod.
 * The spec hash is `specHashOf(normalised spec)`: we always hash the parsed form (defaults
 * filled in), so two spellings of one job cannot get two hashes.
 */
import { z } from 'zod';
import { jsonHash, specHashOf } from '../ledger/index.ts';
import { ProverError } from './errors.ts';

const positiveInt = z.number().int().positive();
const hash64 = z.string().regex(/^[0-9a-f]{64}$/, 'want 64 lowercase hex digits');

export const MlpModelSchema = z.object({
  kind: z.literal('mlp'),
  hidden: z.array(positiveInt).max(8).default([32, 32]),
});

/** Decoder-only character transformer (pre-LayerNorm, causal attention, ReLU MLP). */
export const CharLmModelSchema = z
  .object({
    kind: z.literal('charlm'),
    context: positiveInt.max(512).default(32),
    dModel: positiveInt.max(1024).default(64),
    heads: positiveInt.max(32).default(4),
    layers: positiveInt.max(16).default(2),
    ffHidden: positiveInt.max(4096).default(256),
  })
  .refine((m) => m.dModel % m.heads === 0, { message: 'dModel must be divisible by heads' });

export const ModelSchema = z.discriminatedUnion('kind', [MlpModelSchema, CharLmModelSchema]);

export const SgdMomentumSchema = z.object({
  kind: z.literal('sgd-momentum'),
  learningRate: z.number().positive(),
  momentum: z.number().min(0).lt(1).default(0.9),
});

export const AdamSchema = z.object({
  kind: z.literal('adam'),
  learningRate: z.number().positive(),
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  epsilon: z.number().positive().default(1e-7),
});

export const OptimizerSchema = z.discriminatedUnion('kind', [SgdMomentumSchema, AdamSchema]);

export const DATASETS = [
  'penguins',
  'flights-2k',
  'flights-5k',
  'flights-10k',
  'flights-20k',
  'movies',
] as const;
export type DatasetName = (typeof DATASETS)[number];

export const DataSchema = z.object({
  dataset: z.enum(DATASETS),
  /** Owners whose training examples are used (the coalition); omitted = every owner. */
  owners: z.array(z.string().min(1)).min(1).optional(),
  /** Fraction of each dataset held out for evaluation (chosen by hash, independent of owners). */
  heldOutFraction: z.number().min(0).lt(1).default(0.2),
  splitSeed: z.number().int().min(0).max(0xffffffff).default(0),
  /** The client's commitment to the training examples; training refuses other data. */
  dataRoot: hash64.optional(),
});

export const BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const JobSpecSchema = z
  .object({
    v: z.literal(1).default(1),
    model: ModelSchema,
    optimizer: OptimizerSchema,
    batchSize: positiveInt.max(65536),
    steps: positiveInt,
    /** k: an entry every k steps (and one for the last step). */
    checkpointInterval: positiveInt,
    /** Public seed of W0 and of the committed data-order generator. */
    seed: z.number().int().min(0).max(0xffffffff),
    backend: z.enum(BACKENDS),
    data: DataSchema,
    /** Input noise for the mlp: uniform in [−featureNoise, featureNoise], drawn from the committed RNG. */
    augment: z.object({ featureNoise: z.number().min(0).default(0) }).default({ featureNoise: 0 }),
  })
  .refine((s) => (s.model.kind === 'charlm') === (s.data.dataset === 'movies'), {
    message: 'charlm trains on movies; mlp trains on penguins or flights',
  })
  .refine((s) => s.model.kind === 'mlp' || s.augment.featureNoise === 0, {
    message: 'augment.featureNoise applies to the mlp only',
  });

export type JobSpec = z.infer<typeof JobSpecSchema>;
export type ModelSpec = z.infer<typeof ModelSchema>;
export type MlpSpec = z.infer<typeof MlpModelSchema>;
export type CharLmSpec = z.infer<typeof CharLmModelSchema>;
export type OptimizerSpec = z.infer<typeof OptimizerSchema>;
export type DataSpec = z.infer<typeof DataSchema>;

/** Parses and normalises a spec; throws ProverError naming every problem. */
export function parseSpec(input: unknown): JobSpec {
  const r = JobSpecSchema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues
      .map((i) => `${i.path.join('.') || '(spec)'}: ${i.message}`)
      .join('; ');
    throw new ProverError('FLAGSTONE_ERR_SPEC_INVALID', `invalid job spec: ${issues}`);
  }
  return r.data;
}

/** sha256(JCS(normalised spec)), 64-hex — the job's specHash. */
export function specHash(spec: JobSpec): string {
  return specHashOf(spec);
}

/** Hyper-parameters that drive each step (entry field hparamsHash). */
export function hparamsOf(spec: JobSpec): Record<string, unknown> {
  return {
    optimizer: spec.optimizer,
    batchSize: spec.batchSize,
    checkpointInterval: spec.checkpointInterval,
    augment: spec.augment,
  };
}

export function hparamsHash(spec: JobSpec): string {
  return jsonHash(hparamsOf(spec));
}

/** Step counts of entries 0..n: 0, k, 2k, …, steps (the last segment may be shorter). */
export function entrySteps(spec: Pick<JobSpec, 'steps' | 'checkpointInterval'>): number[] {
  const out = [0];
  for (let s = spec.checkpointInterval; s < spec.steps; s += spec.checkpointInterval) out.push(s);
  out.push(spec.steps);
  return out;
}
