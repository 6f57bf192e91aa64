/**
 * The copyright utility (issue 5 item 3b) on real movie titles: owners are the three largest
 * distributors (capped shards so the test trains 8 tiny charlms on the cpu backend in seconds).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryUtilityCache, withCache } from '../../valuation/cache.ts';
import { InvalidInputError } from '../../valuation/errors.ts';
import { encodeText } from '../../valuation/utilities/charlm-text.ts';
import {
  CoalitionModels,
  type CopyrightTraining,
} from '../../valuation/utilities/coalition-models.ts';
import {
  copyrightGame,
  sampleOutputs,
  type OutputValuation,
  valueCopyright,
} from '../../valuation/utilities/copyright.ts';
import { movieTitles, titlesOf } from '../../valuation/utilities/movie-titles.ts';

const CONTEXT = 16;
const TRAINING: CopyrightTraining = {
  model: { context: CONTEXT, dModel: 16, heads: 2, layers: 1, ffHidden: 32 },
  optimizer: { kind: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  batchSize: 16,
  pretrainSteps: 60,
  fineTuneEpochs: 4,
  seed: 3,
  backend: 'cpu',
};
const data = movieTitles({
  context: CONTEXT,
  ownerCount: 3,
  maxTitlesPerOwner: 32,
  maxBaseTitles: 160,
});
let models: CoalitionModels;

beforeAll(() => {
  models = new CoalitionModels(data, TRAINING);
});
afterAll(() => models.dispose());

describe('movie titles split', () => {
  it('owners are the largest distributors; base is everyone else; caps are deterministic', () => {
    expect(data.owners).toEqual(['Warner Bros.', 'Sony Pictures', 'Paramount Pictures']);
    expect(data.shards.map((s) => s.count)).toEqual([32, 32, 32]);
    expect(data.base.count).toBe(160);
    expect(data.base.owners.some((o) => data.owners.includes(o))).toBe(false);
    const again = movieTitles({
      context: CONTEXT,
      ownerCount: 3,
      maxTitlesPerOwner: 32,
      maxBaseTitles: 160,
    });
    expect(again.ownerRoots).toEqual(data.ownerRoots);
    expect(again.baseRoot).toBe(data.baseRoot);
    // A title decodes and re-encodes to the very tokens the model trains on.
    const title = titlesOf(data.shards[0]!, data.vocab)[0]!;
    expect(Array.from(encodeText(title, data.vocab, data.seqLen))).toEqual(
      Array.from(data.shards[0]!.tokens.subarray(0, data.seqLen)),
    );
  });

  it('rejects the no-distributor bucket as an owner', () => {
    expect(() => movieTitles({ context: CONTEXT, owners: ['(none)'] })).toThrow(InvalidInputError);
  });
});

describe('copyright log-likelihood ratio', () => {
  // One title of each owner, literally: the output "copies" that owner's work.
  const copied = data.shards.map((s, i) => titlesOf(s, data.vocab)[3 + 2 * i]!);

  it('is exactly 0 for the empty coalition', async () => {
    const game = copyrightGame(models, copied[0]!);
    expect(await game.utility([])).toBe(0);
  });

  it('gives the owner whose title was copied the largest value', async () => {
    const results = await valueCopyright(models, copied);
    results.forEach(({ output, result }, owner) => {
      expect(result.algorithm).toBe('exact-shapley');
      const best = result.values.indexOf(Math.max(...result.values));
      expect(best, `${output}: ${result.values.map((v) => v.toFixed(2)).join(' ')}`).toBe(owner);
      expect(result.values[owner]).toBeGreaterThan(1); // nats: x became e^1 times likelier
    });
    // Coalition models are shared across outputs: θ(∅) plus 7 fine-tuned models, no more.
    expect(models.trained).toBe(8);
  });

  it('is efficient and replayable: values sum to U(N), and repeat bit for bit', async () => {
    const game = copyrightGame(models, copied[1]!);
    const [{ result }] = (await valueCopyright(models, [copied[1]!])) as [OutputValuation];
    const total = result.values.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(await game.utility([0, 1, 2]), 10);
    const cached = withCache(game, new MemoryUtilityCache());
    expect(await cached.utility([1])).toBe(await game.utility([1]));
  });

  it('values outputs sampled from the full model, reproducibly per seed', async () => {
    const a = await sampleOutputs(models, 2, 11);
    expect(await sampleOutputs(models, 2, 11)).toEqual(a);
    for (const x of a) expect(x.length).toBeLessThanOrEqual(CONTEXT);
    const results = await valueCopyright(models, a);
    for (const { result } of results) {
      expect(result.values.every(Number.isFinite)).toBe(true);
    }
    expect(models.trained).toBe(8);
    // Each output has its own modelSpecHash (x is part of what U depends on).
    expect(copyrightGame(models, a[0]!).metadata!.modelSpecHash).not.toBe(
      copyrightGame(models, copied[0]!).metadata!.modelSpecHash,
    );
  });
});
