/**
 * The copyright utility's models, trained once per coalition and shared across every output x
 * (issue 5 item 3b). Following Wang, Deng, Chiba-Okabe, Barak & Su (2024), who fine-tune a
 * pretrained generator on the copyrighted data of a coalition:
 *   θ(∅) = the charlm trained from W0 on the public base titles (`pretrainSteps` steps);
 *   θ(S) = θ(∅) trained further on the titles of S's owners for `fineTuneEpochs` epochs
 *          (ceil(epochs · |D_S| / batch) steps; fresh optimizer slots, data order from the seed).
 * So U(∅) = 0 exactly, and an owner's titles move p_θ(x) only through the fine-tuning they take
 * part in. Steps scale with |D_S| so every title is seen equally often whatever the coalition.
 * Models are memoised by the sorted owner ids; concurrent requests share one training run.
 */
import type { NamedTensor } from '../../ledger/index.ts';
import { selectExamples, type TextExamples } from '../../prover/data/examples.ts';
import {
  parseSpec,
  type BackendName,
  type CharLmSpec,
  type JobSpec,
  type OptimizerSpec,
} from '../../prover/spec.ts';
import type { Trainer } from '../../prover/train/trainer.ts';
import { InvalidInputError } from '../errors.ts';
import { encodeText, logProbability } from './charlm-text.ts';
import type { MovieTitles } from './movie-titles.ts';
import { continueTraining, loadedData, trainFromScratch, weightsOf } from './prover-training.ts';

export interface CopyrightTraining {
  readonly model: Omit<CharLmSpec, 'kind'>;
  readonly optimizer: OptimizerSpec;
  readonly batchSize: number;
  readonly pretrainSteps: number;
  readonly fineTuneEpochs: number;
  readonly seed: number;
  readonly backend: BackendName;
}

/** Everything that fixes θ(S) besides S: hashed into the copyright game's modelSpecHash. */
export interface CoalitionModelsDescriptor {
  readonly v: 1;
  readonly baseSpec: JobSpec;
  readonly fineTuneEpochs: number;
  readonly baseRoot: string;
}

export class CoalitionModels {
  readonly data: MovieTitles;
  readonly training: CopyrightTraining;
  readonly baseSpec: JobSpec;
  readonly #models = new Map<string, Promise<Trainer>>();
  readonly #scores = new Map<string, Promise<number>>();
  #baseWeights: Promise<NamedTensor[]> | undefined;
  #trained = 0;

  constructor(data: MovieTitles, training: CopyrightTraining) {
    if (!Number.isInteger(training.fineTuneEpochs) || training.fineTuneEpochs < 1) {
      throw new InvalidInputError('fineTuneEpochs must be a positive integer', {
        details: `got ${training.fineTuneEpochs}`,
      });
    }
    if (training.model.context + 1 !== data.seqLen) {
      throw new InvalidInputError('model context does not match the tokenised titles', {
        details: `got context ${training.model.context}, want ${data.seqLen - 1}`,
      });
    }
    this.data = data;
    this.training = training;
    this.baseSpec = this.#spec(training.pretrainSteps, undefined);
  }

  /** Models trained so far (θ(∅) included). */
  get trained(): number {
    return this.#trained;
  }

  get descriptor(): CoalitionModelsDescriptor {
    return {
      v: 1,
      baseSpec: this.baseSpec,
      fineTuneEpochs: this.training.fineTuneEpochs,
      baseRoot: this.data.baseRoot,
    };
  }

  #spec(steps: number, owners: readonly string[] | undefined): JobSpec {
    const t = this.training;
    return parseSpec({
      model: { kind: 'charlm', ...t.model },
      optimizer: t.optimizer,
      batchSize: t.batchSize,
      steps,
      checkpointInterval: steps,
      seed: t.seed,
      backend: t.backend,
      data: { dataset: 'movies', ...(owners ? { owners: [...owners] } : {}) },
    });
  }

  /** θ(S) for owner indices S (ascending); θ(∅) for the empty coalition. */
  model(coalition: readonly number[]): Promise<Trainer> {
    const key = this.#key(coalition);
    let p = this.#models.get(key);
    if (!p) {
      p = coalition.length === 0 ? this.#pretrain() : this.#fineTune(coalition);
      this.#models.set(key, p);
      p.catch(() => this.#models.delete(key));
    }
    return p;
  }

  /** ln p_θ(S)(x), memoised per coalition and text. */
  logProbability(coalition: readonly number[], text: string): Promise<number> {
    const key = `${this.#key(coalition)}\u0000${text}`;
    let p = this.#scores.get(key);
    if (!p) {
      const tokens = encodeText(text, this.data.vocab, this.data.seqLen);
      p = this.model(coalition).then((m) => logProbability(m, tokens));
      this.#scores.set(key, p);
      p.catch(() => this.#scores.delete(key));
    }
    return p;
  }

  /** Frees every trained model. */
  async dispose(): Promise<void> {
    const models = await Promise.allSettled(this.#models.values());
    for (const m of models) if (m.status === 'fulfilled') m.value.dispose();
    this.#models.clear();
    this.#scores.clear();
  }

  #key(coalition: readonly number[]): string {
    return coalition
      .map((i) => this.#owner(i))
      .sort()
      .join('\u0000');
  }

  #owner(i: number): string {
    const o = this.data.owners[i];
    if (o === undefined) {
      throw new InvalidInputError('coalition names an unknown owner index', {
        details: `got ${i}, want 0..${this.data.owners.length - 1}`,
      });
    }
    return o;
  }

  async #pretrain(): Promise<Trainer> {
    const data = loadedData(this.data.base, selectExamples(this.data.base, []), this.data.owners);
    const trainer = await trainFromScratch(this.baseSpec, data);
    this.#trained++;
    return trainer;
  }

  async #fineTune(coalition: readonly number[]): Promise<Trainer> {
    this.#baseWeights ??= this.model([]).then(weightsOf);
    const weights = await this.#baseWeights;
    const shard = this.#union(coalition);
    const steps = Math.ceil((this.training.fineTuneEpochs * shard.count) / this.training.batchSize);
    const spec = this.#spec(steps, coalition.map((i) => this.#owner(i)).sort());
    const trainer = await continueTraining(
      spec,
      loadedData(shard, shard, this.data.owners),
      weights,
    );
    this.#trained++;
    return trainer;
  }

  /**
   * The members' titles, concatenated by owner id (the order a log record lists them in), so
   * the record alone fixes θ(S)'s committed data order.
   */
  #union(coalition: readonly number[]): TextExamples {
    const parts = coalition
      .map((i) => [this.#owner(i), this.data.shards[i]!] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([, shard]) => shard);
    if (parts.length === 1) return parts[0]!;
    const tokens = new Int32Array(parts.reduce((n, s) => n + s.tokens.length, 0));
    let at = 0;
    for (const s of parts) {
      tokens.set(s.tokens, at);
      at += s.tokens.length;
    }
    return {
      ...parts[0]!,
      count: parts.reduce((n, s) => n + s.count, 0),
      tokens,
      owners: parts.flatMap((s) => s.owners),
    };
  }
}
