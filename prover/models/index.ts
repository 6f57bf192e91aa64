/** Builds the spec's architecture for the loaded data. */
import type { Examples } from '../data/examples.ts';
import { ProverError } from '../errors.ts';
import type { ModelSpec } from '../spec.ts';
import { charLmModel } from './charlm.ts';
import { mlpModel } from './mlp.ts';
import type { Model } from './types.ts';

export * from './types.ts';
export * from './flops.ts';
export { initialValues } from './init.ts';
export { mlpModel } from './mlp.ts';
export { charLmModel } from './charlm.ts';

export function buildModel(spec: ModelSpec, data: Examples): Model {
  if (spec.kind === 'mlp') {
    if (data.kind !== 'tabular')
      throw new ProverError('FLAGSTONE_ERR_SPEC_INVALID', 'mlp needs tabular data');
    return mlpModel({ inputDim: data.dim, hidden: spec.hidden, classes: data.classes });
  }
  if (data.kind !== 'text')
    throw new ProverError('FLAGSTONE_ERR_SPEC_INVALID', 'charlm needs text data');
  return charLmModel({ ...spec, vocabSize: data.vocabSize });
}
