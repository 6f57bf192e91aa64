/**
 * Model-quality utility (DESIGN §7, issue 5 item 3a): U(S) is the held-out accuracy, or the
 * held-out log-likelihood (minus the mean log-loss, in nats), of the prover's model trained
 * from W0 on the union of S's training examples. Everything but S is fixed: the job spec (model,
 * optimizer, steps, seed, backend), the held-out set (the prover's hash split, the same for
 * every coalition) and the metric — they make up `modelSpecHash`. The coalition's data are the
 * prover's own `loadData({ ...spec.data, owners: S })`, so a logged evaluation is replayed by
 * running that spec.
 *
 * U(∅) is the chance model (no data, no training): accuracy 1/classes, log-likelihood
 * −ln(classes) — the score of the uniform prediction, which is what a classifier that has seen
 * no example can justify. A coalition with fewer examples than a batch trains with batch size
 * equal to its example count (otherwise the prover refuses), recorded in the spec it trains.
 */
import { jsonHash } from '../../ledger/index.ts';
import {
  dataRoot,
  loadData,
  ownerRoots,
  selectExamples,
  type LoadedData,
} from '../../prover/data/index.ts';
import { evaluate } from '../../prover/train/evaluate.ts';
import type { JobSpec } from '../../prover/spec.ts';
import { InvalidGameError, InvalidInputError } from '../errors.ts';
import { defineGame, type Game } from '../game.ts';
import { loadedData, trainFromScratch } from './prover-training.ts';

export const HELDOUT_METRICS = ['accuracy', 'log-likelihood'] as const;
export type HeldOutMetric = (typeof HELDOUT_METRICS)[number];

export interface TrainingGameParameters {
  /** A parsed mlp job spec; `data.owners` and `data.dataRoot` are set per coalition. */
  readonly spec: JobSpec;
  readonly metric?: HeldOutMetric;
  /** Owners to value (default: every owner with training examples), in player order. */
  readonly players?: readonly string[];
}

export interface TrainingGame extends Game {
  readonly trainCount: number;
  readonly heldOutCount: number;
  /** U(∅): the chance model's score. */
  readonly chance: number;
  /** The spec one coalition trains (data.owners, data.dataRoot and batch size filled in). */
  coalitionSpec(owners: readonly string[]): JobSpec;
}

/** The spec without the per-coalition data fields: what every coalition shares. */
function sharedSpec(spec: JobSpec): JobSpec {
  const { owners: _owners, dataRoot: _root, ...data } = spec.data;
  return { ...spec, data } as JobSpec;
}

export function trainingGame(p: TrainingGameParameters): TrainingGame {
  if (p.spec.model.kind !== 'mlp') {
    throw new InvalidInputError('the held-out training utility needs a classifier spec', {
      details: `got model ${p.spec.model.kind}, want mlp`,
    });
  }
  const metric = p.metric ?? 'accuracy';
  const shared = sharedSpec(p.spec);
  const full = loadData(shared.data, shared.model);
  if (full.train.kind !== 'tabular') throw new InvalidInputError('mlp data must be tabular');
  const roots = ownerRoots(full.train);
  const players = p.players ?? [...roots.keys()];
  for (const owner of players) {
    if (!roots.has(owner)) {
      throw new InvalidGameError('a player has no training examples in the data set', {
        details: `got "${owner}", want one of ${[...roots.keys()].join(', ')}`,
      });
    }
  }
  const classes = full.train.classes;
  const chance = metric === 'accuracy' ? 1 / classes : -Math.log(classes);

  const dataOf = (owners: readonly string[]): LoadedData => {
    const wanted = new Set(owners);
    const rows: number[] = [];
    full.train.owners.forEach((o, i) => {
      if (wanted.has(o)) rows.push(i);
    });
    return loadedData(selectExamples(full.train, rows), full.heldOut, full.allOwners);
  };

  const prepare = (owners: readonly string[]): { spec: JobSpec; data: LoadedData } => {
    const data = dataOf(owners);
    const spec = {
      ...shared,
      batchSize: Math.min(shared.batchSize, data.train.count),
      data: { ...shared.data, owners: [...owners].sort(), dataRoot: data.dataRoot },
    };
    return { spec, data };
  };

  const utility = async (coalition: readonly number[]): Promise<number> => {
    if (coalition.length === 0) return chance;
    const { spec, data } = prepare(coalition.map((i) => players[i]!));
    const trainer = await trainFromScratch(spec, data);
    try {
      const ev = await evaluate(trainer, full.heldOut);
      return metric === 'accuracy' ? ev.accuracy! : -ev.loss;
    } finally {
      trainer.dispose();
    }
  };

  const modelSpecHash = jsonHash({
    v: 1,
    kind: 'heldout-training',
    metric,
    spec: shared,
    heldOutRoot: dataRoot(full.heldOut),
  });
  const game = defineGame(players, utility, {
    kind: `heldout-${metric}`,
    modelSpecHash,
    dataRoots: players.map((o) => roots.get(o)!),
    seed: String(shared.seed),
  });
  return {
    ...game,
    trainCount: full.train.count,
    heldOutCount: full.heldOut.count,
    chance,
    coalitionSpec: (owners) => prepare(owners).spec,
  };
}
