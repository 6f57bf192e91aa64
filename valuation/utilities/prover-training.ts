/**
 * Thin adapter over the prover's training (DESIGN §2: utilities may train via prover). A
 * utility evaluation trains with the prover's `Trainer` — W0 from the public seed, the
 * committed data order, the prover's optimizer — so every evaluation is the replayable
 * training run its log record names. Two things the prover's public API does not offer
 * directly are built here from its public pieces:
 *   - a data set made of chosen examples (`loadedData`), for coalitions the prover's owner
 *     filter cannot express (public base titles plus some distributors, capped shards);
 *   - continuing from given weights (`continueTraining`): the prover's own initial state with
 *     the `params/*` tensors replaced, restored through `Trainer.restore` (fresh optimizer
 *     slots, data order from the seed) — fine-tuning a pretrained model on a coalition's data.
 */
import type { NamedTensor } from '../../ledger/index.ts';
import { dataRoot, type Examples } from '../../prover/data/examples.ts';
import type { LoadedData } from '../../prover/data/index.ts';
import { useBackend } from '../../prover/env.ts';
import type { JobSpec } from '../../prover/spec.ts';
import { Trainer } from '../../prover/train/trainer.ts';
import { InvalidInputError } from '../errors.ts';

/** Steps between yields to the event loop, so a service stays responsive while a model trains. */
const YIELD_EVERY = 8;
const PARAM_PREFIX = 'params/';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A LoadedData over explicit training examples (the held-out set is never trained on). */
export function loadedData(
  train: Examples,
  heldOut: Examples,
  allOwners: readonly string[],
): LoadedData {
  if (train.count === 0) {
    throw new InvalidInputError('cannot train on an empty data set', { details: 'got 0 examples' });
  }
  return { train, heldOut, allOwners, dataRoot: dataRoot(train) };
}

/** Runs the trainer until it has completed `spec.steps` steps. */
async function runToEnd(trainer: Trainer): Promise<Trainer> {
  if (trainer.spec.batchSize > trainer.data.train.count) {
    trainer.dispose();
    throw new InvalidInputError('batch size exceeds the coalition data', {
      details: `got batchSize ${trainer.spec.batchSize}, want <= ${trainer.data.train.count} examples`,
    });
  }
  try {
    while (trainer.step < trainer.spec.steps) {
      trainer.trainStep();
      if (trainer.step % YIELD_EVERY === 0) await yieldToEventLoop();
    }
  } catch (e) {
    trainer.dispose();
    throw e;
  }
  return trainer;
}

/** Trains `spec` from W0 on `data` on the spec's backend; the caller disposes the trainer. */
export async function trainFromScratch(spec: JobSpec, data: LoadedData): Promise<Trainer> {
  await useBackend(spec.backend);
  return runToEnd(Trainer.init(spec, data));
}

/** The `params/*` tensors of a trainer's state (host copies; the trainer stays usable). */
export async function weightsOf(trainer: Trainer): Promise<NamedTensor[]> {
  return (await trainer.state()).filter((t) => t.name.startsWith(PARAM_PREFIX));
}

/**
 * Trains `spec` on `data` starting from `weights` instead of W0: the prover's step-0 state
 * (zero optimizer slots, RNG and data order from the spec's seed) with the weights replaced.
 */
export async function continueTraining(
  spec: JobSpec,
  data: LoadedData,
  weights: readonly NamedTensor[],
): Promise<Trainer> {
  await useBackend(spec.backend);
  const byName = new Map(weights.map((w) => [w.name, w]));
  const fresh = Trainer.init(spec, data);
  const initial = await fresh.state();
  fresh.dispose();
  const state = initial.map((t) => {
    if (!t.name.startsWith(PARAM_PREFIX)) return t;
    const w = byName.get(t.name);
    if (!w) {
      throw new InvalidInputError('starting weights lack a parameter of the model', {
        details: `missing ${t.name}`,
      });
    }
    return w;
  });
  // Trainer.restore checks names, dtypes and shapes, so weights of another model are rejected.
  return runToEnd(Trainer.restore(spec, data, state));
}
