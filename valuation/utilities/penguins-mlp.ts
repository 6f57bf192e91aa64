/**
 * The real training game on Palmer penguins (vega-datasets penguins.json) as the prover loads
 * it: owners are the three islands (Biscoe: Adelie and Gentoo; Dream: Adelie and Chinstrap;
 * Torgersen: Adelie only), the task is species from body measurements and sex, U(S) the
 * held-out score of a small MLP trained on S's records. Small enough to tabulate all 8
 * coalitions in well under a second per coalition on the cpu backend.
 */
import { parseSpec, type BackendName, type JobSpec } from '../../prover/spec.ts';
import { trainingGame, type HeldOutMetric, type TrainingGame } from './heldout-training.ts';

export interface PenguinsMlpOptions {
  readonly seed?: number;
  readonly steps?: number;
  readonly backend?: BackendName;
  readonly metric?: HeldOutMetric;
}

/** The job spec every coalition trains (one hidden layer of 16, Adam, batches of 32). */
export function penguinsMlpSpec(options: PenguinsMlpOptions = {}): JobSpec {
  const steps = options.steps ?? 100;
  return parseSpec({
    model: { kind: 'mlp', hidden: [16] },
    optimizer: { kind: 'adam', learningRate: 0.02 },
    batchSize: 32,
    steps,
    checkpointInterval: steps,
    seed: options.seed ?? 1,
    backend: options.backend ?? 'cpu',
    data: { dataset: 'penguins' },
  });
}

export function penguinsMlpGame(options: PenguinsMlpOptions = {}): TrainingGame {
  return trainingGame({
    spec: penguinsMlpSpec(options),
    ...(options.metric ? { metric: options.metric } : {}),
  });
}
