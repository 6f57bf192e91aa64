/**
 * The deterministic training step and the full training state. A Trainer owns tf variables for
 * the weights and optimizer slots and plain JS values for the rest of the state; `snapshot()`
 * captures all of it at a step boundary without copying device memory (it clones tensor
 * handles, which share the immutable buffers that the next update replaces), so commitments can
 * be computed off the critical path while training continues.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '../../ledger/index.ts';
import type { LoadedData } from '../data/index.ts';
import { buildModel, initialValues, stepFlops, type Model } from '../models/index.ts';
import { Rng } from '../rng.ts';
import type { JobSpec } from '../spec.ts';
import { batchTensors, disposeBatch } from './batch.ts';
import { initialCursor, nextBatch, type DataCursor } from './batcher.ts';
import {
  applyUpdate,
  BETA1_POWER,
  BETA2_POWER,
  initialScalars,
  slotSpecs,
  type OptimizerScalars,
} from './optimizer.ts';
import {
  bytesOf,
  checkLayout,
  DATA_CURSOR,
  DATA_EPOCH,
  DATA_ORDER,
  f32Of,
  f64Of,
  f64Scalar,
  paramName,
  RNG_STATE,
  STEP,
  u32Of,
  u32Scalar,
  u32Tensor,
  type TensorLayout,
} from './state.ts';

/** A state captured at a step boundary; `materialize` reads it (once). */
export interface StateSnapshot {
  readonly step: number;
  readonly device: readonly { readonly name: string; readonly tensor: tf.Tensor }[];
  readonly host: readonly NamedTensor[];
}

export interface StepResult {
  readonly step: number;
  readonly indices: Uint32Array;
}

export class Trainer {
  readonly model: Model;
  readonly flopsPerStep: bigint;
  private readonly params: { name: string; variable: tf.Variable }[];
  private readonly slots = new Map<string, tf.Variable>();
  private lastLoss: tf.Scalar | undefined;

  private constructor(
    readonly spec: JobSpec,
    readonly data: LoadedData,
    values: ReadonlyMap<string, Float32Array>,
    private readonly scalars: OptimizerScalars,
    private readonly rng: Rng,
    private readonly cursor: DataCursor,
    private stepCount: number,
  ) {
    this.model = buildModel(spec.model, data.train);
    this.flopsPerStep = stepFlops(this.model.forwardFlops(spec.batchSize));
    this.params = this.model.params.map((p) => ({
      name: p.name,
      variable: newVariable(values.get(paramName(p.name))!, p.shape),
    }));
    for (const s of slotSpecs(spec.optimizer, this.model.params))
      this.slots.set(s.name, newVariable(values.get(s.name)!, s.shape));
  }

  /** Step 0: W0 from the public seed, zero slots, RNG from the seed, no epoch drawn. */
  static init(spec: JobSpec, data: LoadedData): Trainer {
    const model = buildModel(spec.model, data.train);
    const values = new Map<string, Float32Array>();
    for (const p of model.params) values.set(paramName(p.name), initialValues(p, spec.seed));
    for (const s of slotSpecs(spec.optimizer, model.params))
      values.set(s.name, new Float32Array(s.shape.reduce((a, b) => a * b, 1)));
    model.dispose();
    return new Trainer(
      spec,
      data,
      values,
      initialScalars(),
      Rng.fromSeed('data-order', spec.seed),
      initialCursor(data.train.count),
      0,
    );
  }

  /** Resumes from a full state (e.g. a decoded state blob); rejects states of another layout. */
  static restore(spec: JobSpec, data: LoadedData, tensors: readonly NamedTensor[]): Trainer {
    const model = buildModel(spec.model, data.train);
    const byName = checkLayout(tensors, stateLayout(spec, model, data.train.count));
    model.dispose();
    const values = new Map<string, Float32Array>();
    for (const t of tensors) if (t.dtype === 'float32') values.set(t.name, f32Of(t));
    const scalars =
      spec.optimizer.kind === 'adam'
        ? {
            beta1Power: f64Of(byName.get(BETA1_POWER)!)[0]!,
            beta2Power: f64Of(byName.get(BETA2_POWER)!)[0]!,
          }
        : initialScalars();
    const cursor = {
      order: u32Of(byName.get(DATA_ORDER)!),
      cursor: u32Of(byName.get(DATA_CURSOR)!)[0]!,
      epoch: u32Of(byName.get(DATA_EPOCH)!)[0]!,
    };
    const rng = new Rng(u32Of(byName.get(RNG_STATE)!));
    return new Trainer(spec, data, values, scalars, rng, cursor, u32Of(byName.get(STEP)!)[0]!);
  }

  get step(): number {
    return this.stepCount;
  }

  /** One optimizer step on the next committed batch. */
  trainStep(): StepResult {
    const indices = nextBatch(this.cursor, this.rng, this.spec.batchSize);
    const batch = batchTensors(this.data.train, indices, this.rng, this.spec.augment.featureNoise);
    const vars = this.params.map((p) => p.variable);
    const loss = tf.tidy(() => {
      const f = (...ps: tf.Tensor[]) =>
        this.model.loss(new Map(this.params.map((p, i) => [p.name, ps[i]!])), batch);
      const { value, grads } = tf.valueAndGrads(f)(vars);
      applyUpdate(this.spec.optimizer, this.params, grads, this.slots, this.scalars);
      return value;
    });
    disposeBatch(batch);
    this.lastLoss?.dispose();
    this.lastLoss = loss;
    this.stepCount += 1;
    return { step: this.stepCount, indices };
  }

  /** Loss of the last step (reads the device; call sparingly). */
  async loss(): Promise<number> {
    return this.lastLoss ? (await this.lastLoss.data())[0]! : Number.NaN;
  }

  /** Captures the state now; cheap (no device copy). Read it with materialize(). */
  snapshot(): StateSnapshot {
    const device = [
      ...this.params.map((p) => ({ name: paramName(p.name), tensor: tf.clone(p.variable) })),
      ...[...this.slots].map(([name, v]) => ({ name, tensor: tf.clone(v) })),
    ];
    const host: NamedTensor[] = [
      u32Scalar(STEP, this.stepCount),
      u32Tensor(RNG_STATE, this.rng.state),
      // The order array is replaced (never mutated) at each epoch, so sharing it is safe.
      {
        name: DATA_ORDER,
        dtype: 'uint32',
        shape: [this.cursor.order.length],
        data: bytesOf(this.cursor.order),
      },
      u32Scalar(DATA_CURSOR, this.cursor.cursor),
      u32Scalar(DATA_EPOCH, this.cursor.epoch),
    ];
    if (this.spec.optimizer.kind === 'adam') {
      host.push(
        f64Scalar(BETA1_POWER, this.scalars.beta1Power),
        f64Scalar(BETA2_POWER, this.scalars.beta2Power),
      );
    }
    return { step: this.stepCount, device, host };
  }

  /** The full state as named tensors (reads the device). */
  async state(): Promise<NamedTensor[]> {
    return materialize(this.snapshot());
  }

  dispose(): void {
    for (const p of this.params) p.variable.dispose();
    for (const v of this.slots.values()) v.dispose();
    this.lastLoss?.dispose();
    this.model.dispose();
  }

  /** Model parameters keyed by param name (for evaluation). */
  paramMap(): Map<string, tf.Tensor> {
    return new Map(this.params.map((p) => [p.name, p.variable]));
  }
}

/** A variable owning its buffer (the initial tensor would otherwise keep a second reference). */
function newVariable(values: Float32Array, shape: readonly number[]): tf.Variable {
  const t = tf.tensor(values, [...shape], 'float32');
  const v = tf.variable(t);
  t.dispose();
  return v;
}

/** Reads a snapshot's device tensors and releases them. */
export async function materialize(snap: StateSnapshot): Promise<NamedTensor[]> {
  const out: NamedTensor[] = [...snap.host];
  for (const { name, tensor } of snap.device) {
    const values = (await tensor.data()) as Float32Array;
    out.push({ name, dtype: 'float32', shape: tensor.shape, data: bytesOf(values) });
    tensor.dispose();
  }
  return out;
}

/** Releases a snapshot without reading it. */
export function discardSnapshot(snap: StateSnapshot): void {
  for (const { tensor } of snap.device) tensor.dispose();
}

/** Every tensor a state for this spec must have, with dtype and shape. */
export function stateLayout(spec: JobSpec, model: Model, trainCount: number): TensorLayout[] {
  const out: TensorLayout[] = [
    ...model.params.map((p) => ({
      name: paramName(p.name),
      dtype: 'float32' as const,
      shape: p.shape,
    })),
    ...slotSpecs(spec.optimizer, model.params).map((s) => ({
      name: s.name,
      dtype: 'float32' as const,
      shape: s.shape,
    })),
    { name: STEP, dtype: 'uint32', shape: [] },
    { name: RNG_STATE, dtype: 'uint32', shape: [4] },
    { name: DATA_ORDER, dtype: 'uint32', shape: [trainCount] },
    { name: DATA_CURSOR, dtype: 'uint32', shape: [] },
    { name: DATA_EPOCH, dtype: 'uint32', shape: [] },
  ];
  if (spec.optimizer.kind === 'adam') {
    out.push(
      { name: BETA1_POWER, dtype: 'float64', shape: [] },
      { name: BETA2_POWER, dtype: 'float64', shape: [] },
    );
  }
  return out;
}
