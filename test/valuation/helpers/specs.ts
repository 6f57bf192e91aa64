/** Tiny prover specs for valuation tests (cpu backend, few steps). */
import { parseSpec, type JobSpec } from '../../../prover/spec.ts';

export function charSpecForTest(): JobSpec {
  return parseSpec({
    model: { kind: 'charlm', context: 12, dModel: 16, heads: 2, layers: 1, ffHidden: 32 },
    optimizer: { kind: 'adam', learningRate: 0.01 },
    batchSize: 8,
    steps: 6,
    checkpointInterval: 3,
    seed: 7,
    backend: 'cpu',
    data: { dataset: 'movies' },
  });
}
