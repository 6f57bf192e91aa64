/**
 * Loads a spec's dataset: the training examples of the selected owners in file order (the
 * committed order), plus a held-out set that is the same for every coalition. An example is
 * held out when sha256("flagstone:split:<dataset>:<splitSeed>:<row>") read as a uint32 falls
 * below heldOutFraction × 2³², so the split is public and needs no randomness of its own.
 */
import { sha256 } from '../../ledger/index.ts';
import { ProverError } from '../errors.ts';
import type { DataSpec, ModelSpec } from '../spec.ts';
import { dataRoot, selectExamples, type Examples } from './examples.ts';
import { loadFlights } from './flights.ts';
import { loadMovies } from './movies.ts';
import { loadPenguins } from './penguins.ts';

export * from './examples.ts';
export { PENGUIN_CLASSES, PENGUIN_FEATURES } from './penguins.ts';
export { FLIGHT_FEATURES } from './flights.ts';
export { BOS, EOS, PAD, UNK, movieVocab } from './movies.ts';

export interface LoadedData {
  readonly train: Examples;
  readonly heldOut: Examples;
  /** Every owner in the dataset (sorted), whether selected or not. */
  readonly allOwners: readonly string[];
  /** 64-hex root over the training examples (entry field dataRoot). */
  readonly dataRoot: string;
}

function allExamples(data: DataSpec, model: ModelSpec): Examples {
  if (data.dataset === 'movies') {
    if (model.kind !== 'charlm') throw new ProverError('FLAGSTONE_ERR_SPEC_INVALID', 'movies needs the charlm');
    return loadMovies(model.context).examples;
  }
  if (data.dataset === 'penguins') return loadPenguins().examples;
  return loadFlights(`${data.dataset}.json`).examples;
}

export function isHeldOut(dataset: string, splitSeed: number, row: number, fraction: number): boolean {
  const h = sha256(new TextEncoder().encode(`flagstone:split:${dataset}:${splitSeed}:${row}`));
  return new DataView(h.buffer, h.byteOffset).getUint32(0, false) < fraction * 0x100000000;
}

export function loadData(data: DataSpec, model: ModelSpec): LoadedData {
  const all = allExamples(data, model);
  const allOwners = [...new Set(all.owners)].sort();
  const wanted = new Set(data.owners ?? allOwners);
  for (const o of wanted) {
    if (!allOwners.includes(o)) {
      throw new ProverError('FLAGSTONE_ERR_SPEC_INVALID', `unknown owner ${JSON.stringify(o)} in ${data.dataset}`);
    }
  }
  const train: number[] = [];
  const heldOut: number[] = [];
  for (let i = 0; i < all.count; i++) {
    if (isHeldOut(data.dataset, data.splitSeed, i, data.heldOutFraction)) heldOut.push(i);
    else if (wanted.has(all.owners[i]!)) train.push(i);
  }
  if (train.length === 0) throw new ProverError('FLAGSTONE_ERR_SPEC_INVALID', 'the selected owners have no training examples');
  const trainEx = selectExamples(all, train);
  const root = dataRoot(trainEx);
  if (data.dataRoot !== undefined && data.dataRoot !== root) {
    throw new ProverError('FLAGSTONE_ERR_DATA_ROOT_MISMATCH', `data root: got ${root}, want ${data.dataRoot}`);
  }
  return { train: trainEx, heldOut: selectExamples(all, heldOut), allOwners, dataRoot: root };
}
