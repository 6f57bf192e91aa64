/** Small specs and fixed keys for prover tests: tiny models, few steps, real data. */
import { parseSpec, type BackendName, type JobSpec } from '../../prover/spec.ts';
import { signerFromKey } from '../../prover/signer.ts';

export const TRAINER_KEY = '22'.repeat(32);
export const CLIENT_KEY = '11'.repeat(32);
export const trainer = signerFromKey(TRAINER_KEY);
export const DOMAIN = { chainId: 31337 };
export const JOB_ID = 'ab'.repeat(32);
export const SALT = '5a'.repeat(32);

export function mlpSpec(backend: BackendName = 'cpu', over: Record<string, unknown> = {}): JobSpec {
  return parseSpec({
    model: { kind: 'mlp', hidden: [8] },
    optimizer: { kind: 'sgd-momentum', learningRate: 0.05, momentum: 0.9 },
    batchSize: 16,
    steps: 12,
    checkpointInterval: 4,
    seed: 42,
    backend,
    data: { dataset: 'penguins' },
    augment: { featureNoise: 0.05 },
    ...over,
  });
}

export function charSpec(
  backend: BackendName = 'cpu',
  over: Record<string, unknown> = {},
): JobSpec {
  return parseSpec({
    model: { kind: 'charlm', context: 12, dModel: 16, heads: 2, layers: 1, ffHidden: 32 },
    optimizer: { kind: 'adam', learningRate: 0.01 },
    batchSize: 8,
    steps: 6,
    checkpointInterval: 3,
    seed: 7,
    backend,
    data: { dataset: 'movies' },
    ...over,
  });
}
