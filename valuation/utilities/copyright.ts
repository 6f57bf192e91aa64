/**
 * The copyright utility (Wang, Deng, Chiba-Okabe, Barak & Su 2024, "An Economic Solution to
 * Copyright Challenges of Generative AI"; DESIGN §7): for a generated output x,
 *   U_x(S) = ln p_θ(S)(x) − ln p_θ(∅)(x),
 * how much more likely the owners in S made x. One game per output; all of them share one
 * `CoalitionModels`, so each coalition's model is trained once however many outputs are valued.
 * Exact Shapley for up to 8 owners (2^8 = 256 models), a sampled estimator beyond.
 */
import { jsonHash } from '../../ledger/index.ts';
import { defineGame, type Game } from '../game.ts';
import type { ProgressReport } from '../methods/driver.ts';
import { runMethod, type MethodName } from '../methods/index.ts';
import type { ValuationResult } from '../result.ts';
import { Rng, type Seed } from '../rng.ts';
import { sampleText } from './charlm-text.ts';
import type { CoalitionModels } from './coalition-models.ts';

/** Largest owner count valued exactly by default. */
export const MAX_EXACT_COPYRIGHT_OWNERS = 8;

/** U_x as a game over the models' owners. */
export function copyrightGame(models: CoalitionModels, output: string): Game {
  const utility = async (coalition: readonly number[]): Promise<number> => {
    if (coalition.length === 0) return 0; // θ(S) = θ(∅): the difference is exactly zero
    const [withS, without] = await Promise.all([
      models.logProbability(coalition, output),
      models.logProbability([], output),
    ]);
    return withS - without;
  };
  return defineGame(models.data.owners, utility, {
    kind: 'copyright-llr',
    modelSpecHash: jsonHash({ ...models.descriptor, kind: 'copyright-llr', output }),
    dataRoots: models.data.ownerRoots,
    seed: String(models.training.seed),
  });
}

/** `count` outputs sampled from θ(N), the model trained on the base and every owner. */
export async function sampleOutputs(
  models: CoalitionModels,
  count: number,
  seed: Seed,
): Promise<string[]> {
  const everyone = models.data.owners.map((_, i) => i);
  const model = await models.model(everyone);
  const rng = new Rng(seed);
  const out: string[] = [];
  for (let k = 0; k < count; k++) out.push(await sampleText(model, models.data.vocab, rng));
  return out;
}

export interface ValueCopyrightOptions {
  /** Default: exact up to 8 owners, KernelSHAP beyond. */
  readonly method?: MethodName;
  readonly budget?: number;
  readonly seed?: Seed;
  /** Wraps each output's game (e.g. cache, evaluation log) before it is valued. */
  readonly wrap?: (game: Game, output: string) => Game;
  readonly onProgress?: (output: string, report: ProgressReport) => void;
}

export interface OutputValuation {
  readonly output: string;
  readonly result: ValuationResult;
}

/** Values every output's game with one shared model store. */
export async function valueCopyright(
  models: CoalitionModels,
  outputs: readonly string[],
  options: ValueCopyrightOptions = {},
): Promise<OutputValuation[]> {
  const n = models.data.owners.length;
  const method = options.method ?? (n <= MAX_EXACT_COPYRIGHT_OWNERS ? 'exact' : 'kernel');
  const results: OutputValuation[] = [];
  for (const output of outputs) {
    const game = copyrightGame(models, output);
    const onProgress = options.onProgress;
    const result = await runMethod(method, options.wrap ? options.wrap(game, output) : game, {
      ...(options.budget !== undefined ? { budget: options.budget } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(onProgress ? { onProgress: (r: ProgressReport) => onProgress(output, r) } : {}),
    });
    results.push({ output, result });
  }
  return results;
}
