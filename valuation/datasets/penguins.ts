/**
 * The benchmark's real game: Palmer penguins (vega-datasets penguins.json, Gorman, Williams &
 * Fraser 2014) split among 12 data owners — the survey teams of each colony (species × island)
 * and sex, plus one owner per species for the records whose sex was not determined. The task
 * is species classification from the four body measurements; the utility is held-out accuracy
 * of a KNN classifier trained on the coalition's records (knn-accuracy.ts). Owners hold one
 * species each, so the game has strong complementarity (no species, no accuracy on it) and
 * substitutes (six Adelie teams) — the structure that makes fair division non-trivial.
 * Pure: the caller reads the JSON file.
 */
import { InvalidDataError } from '../errors.ts';
import type { Game } from '../game.ts';
import type { LabeledMatrix } from '../knn/dataset.ts';
import { standardize } from '../knn/dataset.ts';
import { Rng, type Seed } from '../rng.ts';
import { knnAccuracyGame } from '../utilities/knn-accuracy.ts';

export const PENGUIN_FEATURES = [
  'Beak Length (mm)',
  'Beak Depth (mm)',
  'Flipper Length (mm)',
  'Body Mass (g)',
] as const;
export const PENGUIN_SPECIES = ['Adelie', 'Chinstrap', 'Gentoo'] as const;

export interface PenguinGameOptions {
  /** Fraction of each owner's records held out for testing (default 0.3). */
  readonly testFraction?: number;
  readonly k?: number;
  readonly seed?: Seed;
}

export interface PenguinGame {
  readonly game: Game;
  readonly owners: readonly string[];
  readonly trainRows: number;
  readonly testRows: number;
  readonly description: string;
}

type Row = Record<string, unknown>;

/** Owner of a record: "Species/Island/sex", or "Species/unsexed" when sex is missing. */
export function penguinOwner(r: Row): string {
  const sex = r['Sex'];
  return sex === 'MALE' || sex === 'FEMALE'
    ? `${String(r['Species'])}/${String(r['Island'])}/${sex.toLowerCase()}`
    : `${String(r['Species'])}/unsexed`;
}

export function penguinGame(rows: readonly Row[], options: PenguinGameOptions = {}): PenguinGame {
  const testFraction = options.testFraction ?? 0.3;
  const k = options.k ?? 5;
  const usable = rows.filter(
    (r) =>
      PENGUIN_FEATURES.every((f) => typeof r[f] === 'number') &&
      PENGUIN_SPECIES.includes(r['Species'] as never),
  );
  if (usable.length === 0)
    throw new InvalidDataError('no usable penguin records', { details: 'want penguins.json rows' });
  const owners = [...new Set(usable.map(penguinOwner))].sort();
  const rng = new Rng(options.seed ?? 'penguins');
  const train: Row[] = [];
  const test: Row[] = [];
  for (const owner of owners) {
    const mine = rng.shuffle(usable.filter((r) => penguinOwner(r) === owner));
    const held = Math.min(mine.length - 1, Math.floor(mine.length * testFraction));
    test.push(...mine.slice(0, held));
    train.push(...mine.slice(held));
  }
  const matrix = (rs: Row[]): LabeledMatrix => ({
    rows: rs.length,
    dim: PENGUIN_FEATURES.length,
    features: Float64Array.from(rs.flatMap((r) => PENGUIN_FEATURES.map((f) => r[f] as number))),
    labels: Int32Array.from(rs, (r) =>
      PENGUIN_SPECIES.indexOf(r['Species'] as (typeof PENGUIN_SPECIES)[number]),
    ),
  });
  const [trainM, testM] = standardize(matrix(train), matrix(test));
  const game = knnAccuracyGame({
    players: owners,
    train: trainM,
    ownerOf: Int32Array.from(train, (r) => owners.indexOf(penguinOwner(r))),
    test: testM,
    k,
    numClasses: PENGUIN_SPECIES.length,
    seed: String(options.seed ?? 'penguins'),
  });
  return {
    game,
    owners,
    trainRows: train.length,
    testRows: test.length,
    description:
      `Palmer penguins (vega-datasets penguins.json), ${owners.length} owners = colony survey teams ` +
      `(species/island/sex, unsexed records per species); utility = held-out accuracy of a ${k}-NN ` +
      `species classifier (z-scored beak length/depth, flipper length, body mass) trained on the ` +
      `coalition's records; ${train.length} train / ${test.length} test rows (${Math.round(testFraction * 100)}% of each owner held out); U(∅) = 1/3.`,
  };
}
